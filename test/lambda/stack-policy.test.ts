import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, GetStackPolicyCommand } from '@aws-sdk/client-cloudformation';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { handler, stackPolicyDocument } from '../../lambda-src/stack-policy';
import { ASSETS_DIR } from '../../src/private/bundled-code';
import { motoClientConfig } from '../harness/moto';
import { ResponseServer } from '../harness/response-server';

const cloudFormation = new CloudFormationClient(motoClientConfig());
const TEMPLATE = JSON.stringify({
  Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
});
const context = { logStreamName: '2026/11/25/[$LATEST]stream' } as Context;

let server: ResponseServer;
let stackId: string;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  server = await ResponseServer.start();
  const created = await cloudFormation.send(new CreateStackCommand({ StackName: 'stack-policy-handler-test', TemplateBody: TEMPLATE }));
  stackId = created.StackId!;
});

afterAll(async () => {
  await cloudFormation.send(new DeleteStackCommand({ StackName: stackId }));
  await server.stop();
});

function event(requestType: 'Create' | 'Update' | 'Delete', responsePath: string, properties: Record<string, unknown>): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:stack-policy',
    ResponseURL: server.url(responsePath),
    StackId: stackId,
    RequestId: `request-${responsePath}`,
    LogicalResourceId: 'ProtectionStackPolicy',
    ResourceType: 'Custom::StackPolicy',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:stack-policy', ...properties },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' } as CloudFormationCustomResourceEvent;
  return { ...common, RequestType: requestType, PhysicalResourceId: 'existing-id', OldResourceProperties: {} } as CloudFormationCustomResourceEvent;
}

async function currentPolicy(): Promise<unknown> {
  const result = await cloudFormation.send(new GetStackPolicyCommand({ StackName: stackId }));
  return result.StackPolicyBody === undefined ? undefined : JSON.parse(result.StackPolicyBody);
}

test('Create sets the stack policy denying replacement and deletion of the protected resources, and reports SUCCESS', async () => {
  await handler(event('Create', 'create', { StackId: stackId, ProtectedLogicalResourceIds: ['TableA1B2', 'BucketC3D4'] }), context);

  expect(await currentPolicy()).toEqual({
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: ['Update:Replace', 'Update:Delete'],
        Resource: ['LogicalResourceId/TableA1B2', 'LogicalResourceId/BucketC3D4'],
      },
    ],
  });
  const [response] = server.bodiesFor('create');
  expect(response).toEqual({
    Status: 'SUCCESS',
    PhysicalResourceId: `ProtectionStackPolicy-${stackId}`,
    StackId: stackId,
    RequestId: 'request-create',
    LogicalResourceId: 'ProtectionStackPolicy',
  });
  const [request] = server.received.filter((r) => r.url.startsWith('/create?'));
  expect(request.method).toBe('PUT');
  expect(request.url).toBe('/create?X-Amz-Signature=test');
});

test('Update replaces the policy with the new list and keeps the physical id', async () => {
  await handler(event('Update', 'update', { StackId: stackId, ProtectedLogicalResourceIds: ['TableA1B2'] }), context);

  expect(await currentPolicy()).toEqual(stackPolicyDocument(['TableA1B2']));
  expect(server.bodiesFor('update')).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'existing-id' })]);
});

test('with no protected resources the policy only allows updates', async () => {
  await handler(event('Update', 'empty', { StackId: stackId, ProtectedLogicalResourceIds: [] }), context);

  expect(await currentPolicy()).toEqual({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' }] });
  expect(server.bodiesFor('empty')[0].Status).toBe('SUCCESS');
});

test('Delete leaves the policy alone and reports SUCCESS', async () => {
  const before = await currentPolicy();
  await handler(event('Delete', 'delete', { StackId: stackId, ProtectedLogicalResourceIds: ['Other'] }), context);

  expect(await currentPolicy()).toEqual(before);
  expect(server.bodiesFor('delete')).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'existing-id' })]);
});

test('an unknown stack reports FAILED with the reason and the log stream, and never logs the pre-signed URL', async () => {
  const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const unknown = 'arn:aws:cloudformation:us-east-1:123456789012:stack/no-such-stack/00000000-0000-0000-0000-000000000000';
  await handler(event('Create', 'unknown', { StackId: unknown, ProtectedLogicalResourceIds: ['TableA1B2'] }), context);

  const [response] = server.bodiesFor('unknown');
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(/^ValidationError: Stack: .*no-such-stack.* does not exist \(log stream 2026\/11\/25\/\[\$LATEST\]stream\)$/);
  expect(response.PhysicalResourceId).toBe(`ProtectionStackPolicy-${stackId}`);
  const logLines = logged.mock.calls.map((args) => args.join(' '));
  logged.mockRestore();
  expect(logLines).toEqual([expect.stringContaining('"message":"stack policy not set"')]);
  expect(logLines.join()).not.toContain('X-Amz-Signature');
});

test('a missing StackId property reports FAILED', async () => {
  jest.spyOn(console, 'error').mockImplementationOnce(() => undefined);
  await handler(event('Create', 'missing', { ProtectedLogicalResourceIds: [] }), context);

  expect(server.bodiesFor('missing')).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: expect.stringMatching(/the StackId property is missing/) })]);
});

test('a rejected or undeliverable response throws, so Lambda retries the invocation and then dead-letters it', async () => {
  const rejected = { ...event('Delete', 'rejected', {}), ResponseURL: server.url('rejected', 403) } as CloudFormationCustomResourceEvent;
  await expect(handler(rejected, context)).rejects.toThrow('CloudFormation rejected the custom resource response: HTTP 403');
  const unreachable = { ...event('Delete', 'unreachable', {}), ResponseURL: 'http://127.0.0.1:1/closed-port' } as CloudFormationCustomResourceEvent;
  await expect(handler(unreachable, context)).rejects.toThrow('fetch failed');
});

test('the bundle shipped in assets/ exports the same handler', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = require(join(ASSETS_DIR, 'stack-policy', 'index.js'));
  expect(typeof bundle.handler).toBe('function');
  expect(bundle.stackPolicyDocument(['TableA1B2'])).toEqual(stackPolicyDocument(['TableA1B2']));
});

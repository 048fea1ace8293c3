import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, GetStackPolicyCommand } from '@aws-sdk/client-cloudformation';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { handler, stackPolicyDocument } from '../../lambda-src/stack-policy';
import { ASSETS_DIR } from '../../src/core/bundled-code';
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

/** The protecting policy for two resources, written from the stack policy examples of the CloudFormation user guide
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html): allow every update,
 * deny replacement and deletion of the named logical ids. */
const PROTECTING_POLICY = {
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: ['Update:Replace', 'Update:Delete'],
      Resource: ['LogicalResourceId/TableA1B2', 'LogicalResourceId/BucketC3D4'],
    },
  ],
};
/** The policy that allows every update (same page: "the default policy ... allows all updates"). */
const ALLOW_ALL = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' }] };

test('Create only answers SUCCESS: the stack is still being created, so the policy is left to the completion event', async () => {
  await handler(event('Create', 'create', { StackId: stackId, ProtectedLogicalResourceIds: ['TableA1B2', 'BucketC3D4'] }), context);

  expect(await currentPolicy()).toBeUndefined();
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

test('the EventBridge rule\'s input (after CREATE_COMPLETE or UPDATE_COMPLETE) sets the protecting policy', async () => {
  await handler({ StackId: stackId, ProtectedLogicalResourceIds: ['TableA1B2', 'BucketC3D4'] }, context);

  expect(await currentPolicy()).toEqual(PROTECTING_POLICY);
  expect(stackPolicyDocument(['TableA1B2', 'BucketC3D4'])).toEqual(PROTECTING_POLICY);
});

test('Update leaves the policy to the completion event and keeps the physical id', async () => {
  await handler(event('Update', 'update', { StackId: stackId, ProtectedLogicalResourceIds: ['TableA1B2'] }), context);

  expect(await currentPolicy()).toEqual(PROTECTING_POLICY);
  expect(server.bodiesFor('update')).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'existing-id' })]);
});

test('a failure to set the policy from the rule throws, so Lambda retries and then dead-letters the event', async () => {
  const unknown = 'arn:aws:cloudformation:us-east-1:123456789012:stack/no-such-stack/00000000-0000-0000-0000-000000000000';
  await expect(handler({ StackId: unknown, ProtectedLogicalResourceIds: ['TableA1B2'] }, context)).rejects.toThrow(/does not exist/);
});

test('Delete (protection removed from the app) lifts the protection: the policy allows every update again', async () => {
  await handler({ StackId: stackId, ProtectedLogicalResourceIds: ['TableA1B2', 'BucketC3D4'] }, context);
  await handler(event('Delete', 'delete', { StackId: stackId }), context);

  expect(await currentPolicy()).toEqual(ALLOW_ALL);
  expect(server.bodiesFor('delete')).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'existing-id' })]);
});

test('Delete while the whole stack is being deleted leaves the policy alone and reports SUCCESS', async () => {
  const gone = await cloudFormation.send(new CreateStackCommand({ StackName: 'stack-policy-deleted-stack', TemplateBody: TEMPLATE }));
  await cloudFormation.send(new DeleteStackCommand({ StackName: gone.StackId }));
  const set = jest.spyOn(CloudFormationClient.prototype, 'send');
  await handler(event('Delete', 'deleted-stack', { StackId: gone.StackId }), context);

  const actions = set.mock.calls.map(([command]) => command.constructor.name);
  set.mockRestore();
  expect(actions).not.toContain('SetStackPolicyCommand');
  expect(server.bodiesFor('deleted-stack')).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
});

test('an unknown stack reports FAILED with the reason and the log stream, and never logs the pre-signed URL', async () => {
  const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const unknown = 'arn:aws:cloudformation:us-east-1:123456789012:stack/no-such-stack/00000000-0000-0000-0000-000000000000';
  await handler(event('Delete', 'unknown', { StackId: unknown }), context);

  const [response] = server.bodiesFor('unknown');
  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(/^ValidationError: Stack.*no-such-stack.* does not exist \(log stream 2026\/11\/25\/\[\$LATEST\]stream\)$/);
  expect(response.PhysicalResourceId).toBe('existing-id');
  const logLines = logged.mock.calls.map((args) => args.join(' '));
  logged.mockRestore();
  expect(logLines).toEqual([expect.stringContaining('"message":"stack policy not lifted"')]);
  expect(logLines.join()).not.toContain('X-Amz-Signature');
});

test('a missing StackId property reports FAILED', async () => {
  jest.spyOn(console, 'error').mockImplementationOnce(() => undefined);
  await handler(event('Delete', 'missing', { ProtectedLogicalResourceIds: [] }), context);

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

import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  ITEMS_HANDLER_SOURCE, ItemsBackend, ItemsHandler, captureStdout, createItemsBackend, handlerEnv, invoke, loadHandler,
} from './items-fixture';
import { DeploymentStage, ServerlessService } from '../../src';
import { FaultProxy } from '../harness/fault-proxy';
import { motoEndpoint } from '../harness/moto';

/** What each item of a DynamoDB transaction is authorized as (DynamoDB's "Using IAM with transactions"). */
const TRANSACTION_ITEM_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

/**
 * The IAM actions an AWS JSON-protocol request needs, from its X-Amz-Target header (`DynamoDB_20120810.PutItem`):
 * a DynamoDB transaction is no IAM action of its own but needs the actions of its items.
 */
function iamActionsOf(target: string, body: string): string[] {
  const [api, operation] = target.split('.');
  if (!operation) return [];
  if (api.startsWith('DynamoDB_')) {
    if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
      const items: Array<Record<string, unknown>> = JSON.parse(body).TransactItems ?? [];
      return items.flatMap((item) => Object.keys(item).map((kind) => TRANSACTION_ITEM_ACTIONS[kind] ?? `dynamodb:${kind}`));
    }
    return [`dynamodb:${operation}`];
  }
  return [`${api}:${operation}`];
}

let backend: ItemsBackend;
let proxy: FaultProxy;
let handler: ItemsHandler;
const calledActions = new Set<string>();

captureStdout();

beforeAll(async () => {
  backend = await createItemsBackend('permissions');
  proxy = await FaultProxy.start(motoEndpoint());
  // Forwards everything and records what the handler asked AWS for.
  proxy.plan = ({ target, body }) => {
    for (const action of iamActionsOf(target, body)) calledActions.add(action);
    return undefined;
  };
  handler = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { AWS_ENDPOINT_URL: proxy.endpoint }));

  // Every route, its success and its failure paths (conflicts, missing items, pagination).
  const call = (method: string, path: string, body?: unknown, query?: Record<string, string>) => invoke(handler, { method, path, body, query });
  expect((await call('POST', '/items', { id: 'a', data: { n: 1 } })).statusCode).toBe(201);
  expect((await call('POST', '/items', { id: 'b', data: { n: 2 } })).statusCode).toBe(201);
  expect((await call('POST', '/items', { id: 'a', data: { n: 1 } })).statusCode).toBe(409);
  expect((await call('GET', '/items/a')).statusCode).toBe(200);
  expect((await call('GET', '/items/missing')).statusCode).toBe(404);
  const firstPage = await call('GET', '/items', undefined, { limit: '1' });
  expect(firstPage.statusCode).toBe(200);
  expect((await call('GET', '/items', undefined, { limit: '1', nextToken: firstPage.json.nextToken })).statusCode).toBe(200);
  expect((await call('PUT', '/items/a', { data: { n: 3 }, version: 1 })).statusCode).toBe(200);
  expect((await call('PUT', '/items/a', { data: { n: 4 }, version: 1 })).statusCode).toBe(409);
  expect((await call('PUT', '/items/missing', { data: {}, version: 1 })).statusCode).toBe(404);
  expect((await call('DELETE', '/items/b')).statusCode).toBe(204);
  expect((await call('DELETE', '/items/b')).statusCode).toBe(404);
  expect((await call('OPTIONS', '/items')).statusCode).toBe(204);
});

afterAll(async () => {
  await proxy.close();
});

/** The actions ServerlessService grants the items handler's role, by service prefix. */
function grantedHandlerActions(prefix: string): string[] {
  const app = new App();
  const stack = new Stack(app, 'Service', { env: { account: '111111111111', region: 'eu-west-1' } });
  const service = new ServerlessService(stack, 'Orders', { serviceName: 'orders', stage: DeploymentStage.PROD });
  const template = Template.fromStack(stack);
  const roleId = stack.getLogicalId(service.handlerFunction.role.node.defaultChild as any);
  const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  const actions = statements.flatMap((s) => [s.Action].flat() as string[]).filter((a) => a.startsWith(`${prefix}:`));
  return [...new Set(actions)].sort();
}

test('the handler\'s role may call exactly the DynamoDB actions the handler calls while serving every route', () => {
  const called = [...calledActions].filter((a) => a.startsWith('dynamodb:')).sort();
  expect(called.length).toBeGreaterThan(0);
  expect(grantedHandlerActions('dynamodb')).toEqual(called);
});

test('every Secrets Manager action the handler calls is granted', () => {
  const called = [...calledActions].filter((a) => a.startsWith('secretsmanager:'));
  expect(called.length).toBeGreaterThan(0);
  expect(grantedHandlerActions('secretsmanager')).toEqual(expect.arrayContaining(called));
});

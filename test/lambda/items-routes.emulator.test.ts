import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import {
  ITEMS_HANDLER_SOURCE, ItemsBackend, ItemsHandler, capturedOutput, captureStdout, handlerEnv, invoke, itemsHandlerWithBackend, loadHandler,
} from './items-fixture';
import {
  ITEM_ID_PATTERN, ITEMS_ROUTES, createItemRequestSchema, itemsResourcePath, updateItemRequestSchema, validateSchema,
} from '../../src/contract/items';

let backend: ItemsBackend;
let handler: ItemsHandler;

captureStdout();

beforeAll(async () => {
  ({ backend, handler } = await itemsHandlerWithBackend('routes'));
});

function expectError(response: { statusCode: number; json: any; requestId: string }, status: number, code: string) {
  expect({ status: response.statusCode, code: response.json?.error?.code }).toEqual({ status, code });
  expect(response.json.error.requestId).toBe(response.requestId);
  expect(typeof response.json.error.message).toBe('string');
}

describe('POST /items', () => {
  test('creates an item with the given id at version 1 and answers 201 with it', async () => {
    const response = await invoke(handler, { method: 'POST', path: '/items', body: { id: 'post-1', data: { name: 'first', n: 1 } } });
    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({
      id: 'post-1', data: { name: 'first', n: 1 }, version: 1, createdAt: expect.any(String), updatedAt: response.json.createdAt,
    });
    expect(new Date(response.json.createdAt).toISOString()).toBe(response.json.createdAt);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('generates a UUID id when none is given', async () => {
    const response = await invoke(handler, { method: 'POST', path: '/items', body: { data: {} } });
    expect(response.statusCode).toBe(201);
    expect(response.json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await invoke(handler, { method: 'GET', path: `/items/${response.json.id}` })).statusCode).toBe(200);
  });

  test('answers 409 for an existing id and overwrites nothing', async () => {
    await invoke(handler, { method: 'POST', path: '/items', body: { id: 'post-dup', data: { original: true } } });
    const response = await invoke(handler, { method: 'POST', path: '/items', body: { id: 'post-dup', data: { original: false } } });
    expectError(response, 409, 'ItemAlreadyExists');
    expect((await invoke(handler, { method: 'GET', path: '/items/post-dup' })).json.data).toEqual({ original: true });
  });

  test('stores any JSON number DynamoDB can hold and returns the same value', async () => {
    const data = { big: 1e20, huge: -9.87654321e125, tiny: 1e-130, fraction: 0.1, negative: -123.456, precise: 2 ** 53 + 2, zero: 0 };
    expect((await invoke(handler, { method: 'POST', path: '/items', body: { id: 'numbers', data } })).json.data).toEqual(data);
    expect((await invoke(handler, { method: 'GET', path: '/items/numbers' })).json.data).toEqual(data);
  });

  test('stores data nested as deep as DynamoDB allows', async () => {
    const data = JSON.parse('{"a":'.repeat(30) + '[1]' + '}'.repeat(30));
    expect((await invoke(handler, { method: 'POST', path: '/items', body: { id: 'deep', data } })).statusCode).toBe(201);
    expect((await invoke(handler, { method: 'GET', path: '/items/deep' })).json.data).toEqual(data);
  });

  test('accepts a base64-encoded body', async () => {
    const body = Buffer.from(JSON.stringify({ id: 'post-b64', data: { b: 'ü' } })).toString('base64');
    const response = await invoke(handler, { method: 'POST', path: '/items', body, isBase64Encoded: true });
    expect(response.statusCode).toBe(201);
    expect(response.json.data).toEqual({ b: 'ü' });
  });

  test.each([
    ['no data', { id: 'x' }, 'ValidationError'],
    ['data not an object', { data: [1] }, 'ValidationError'],
    ['an unknown property', { data: {}, owner: 'me' }, 'ValidationError'],
    ['an id outside the pattern', { id: 'a b', data: {} }, 'ValidationError'],
    ['a too long id', { id: 'x'.repeat(129), data: {} }, 'ValidationError'],
    ['data nested too deep', { data: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) }, 'ValidationError'],
    ['a number DynamoDB cannot store', { data: { n: 1e200 } }, 'ValidationError'],
    ['a __proto__ key', JSON.parse('{"data":{"__proto__":{"admin":true}}}'), 'ValidationError'],
  ])('answers 400 for %s', async (_name, body, code) => {
    const response = await invoke(handler, { method: 'POST', path: '/items', body });
    expectError(response, 400, code);
    const violation = expect.objectContaining({ path: expect.any(String), message: expect.any(String) });
    expect(response.json.error.details).toEqual(expect.arrayContaining([violation]));
  });

  test('answers 400 for malformed JSON and invalid UTF-8', async () => {
    expectError(await invoke(handler, { method: 'POST', path: '/items', body: '{"data":' }), 400, 'ValidationError');
    expectError(await invoke(handler, { method: 'POST', path: '/items', body: Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'), isBase64Encoded: true }), 400, 'ValidationError');
  });

  test('answers 413 for a body over MAX_BODY_BYTES and 415 for a non-JSON content type', async () => {
    expectError(await invoke(handler, { method: 'POST', path: '/items', body: { data: { s: 'x'.repeat(70_000) } } }), 413, 'PayloadTooLarge');
    expectError(await invoke(handler, { method: 'POST', path: '/items', body: { data: {} }, headers: { 'Content-Type': 'text/plain' } }), 415, 'UnsupportedMediaType');
  });
});

describe('GET /items/{id}', () => {
  test('answers 200 with the item, 404 when absent, 400 for a bad id', async () => {
    await invoke(handler, { method: 'POST', path: '/items', body: { id: 'get-1', data: { a: [1, 'two', null, true, { b: 2.5 }] } } });
    const found = await invoke(handler, { method: 'GET', path: '/items/get-1' });
    expect(found.statusCode).toBe(200);
    expect(found.json).toMatchObject({ id: 'get-1', data: { a: [1, 'two', null, true, { b: 2.5 }] }, version: 1 });
    expect(Object.keys(found.json).sort()).toEqual(['createdAt', 'data', 'id', 'updatedAt', 'version']);
    expectError(await invoke(handler, { method: 'GET', path: '/items/get-absent' }), 404, 'ItemNotFound');
    expectError(await invoke(handler, { method: 'GET', path: '/items/%3Aid' }), 400, 'InvalidItemId');
  });
});

describe('PUT /items/{id}', () => {
  test('replaces the data and increments the version; a stale version gets 409 with the current version', async () => {
    const created = await invoke(handler, { method: 'POST', path: '/items', body: { id: 'put-1', data: { v: 1 } } });
    const updated = await invoke(handler, { method: 'PUT', path: '/items/put-1', body: { data: { v: 2 }, version: 1 } });
    expect(updated.statusCode).toBe(200);
    expect(updated.json).toMatchObject({ id: 'put-1', data: { v: 2 }, version: 2, createdAt: created.json.createdAt });
    expect(updated.json.updatedAt >= created.json.updatedAt).toBe(true);

    const stale = await invoke(handler, { method: 'PUT', path: '/items/put-1', body: { data: { v: 3 }, version: 1 } });
    expectError(stale, 409, 'VersionConflict');
    expect(stale.json.error.details).toEqual([{ path: '/version', message: expect.any(String), currentVersion: 2 }]);
    expect((await invoke(handler, { method: 'GET', path: '/items/put-1' })).json).toMatchObject({ data: { v: 2 }, version: 2 });
  });

  test('answers 404 for an absent item, 400 for a bad body', async () => {
    expectError(await invoke(handler, { method: 'PUT', path: '/items/put-absent', body: { data: {}, version: 1 } }), 404, 'ItemNotFound');
    expectError(await invoke(handler, { method: 'PUT', path: '/items/put-1', body: { data: {}, version: '1' } }), 400, 'ValidationError');
    expectError(await invoke(handler, { method: 'PUT', path: '/items/put-1', body: { data: {}, version: 1.5 } }), 400, 'ValidationError');
    expectError(await invoke(handler, { method: 'PUT', path: '/items/put-1', body: { data: {} } }), 400, 'ValidationError');
  });
});

describe('DELETE /items/{id}', () => {
  test('answers 204 with no body, then 404', async () => {
    await invoke(handler, { method: 'POST', path: '/items', body: { id: 'del-1', data: {} } });
    const deleted = await invoke(handler, { method: 'DELETE', path: '/items/del-1' });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expectError(await invoke(handler, { method: 'DELETE', path: '/items/del-1' }), 404, 'ItemNotFound');
    expectError(await invoke(handler, { method: 'GET', path: '/items/del-1' }), 404, 'ItemNotFound');
  });
});

// docs/items-api.md: ids match ^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$, so the longest valid id has 1 + 127 = 128 characters.
test('an id of exactly 128 characters is created, read, listed, updated and deleted', async () => {
  const id = `long-${'x'.repeat(123)}`;
  expect(id).toHaveLength(128);
  expect((await invoke(handler, { method: 'POST', path: '/items', body: { id, data: { n: 1 } } })).statusCode).toBe(201);
  expect((await invoke(handler, { method: 'GET', path: `/items/${id}` })).json).toMatchObject({ id, version: 1 });
  const listed: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await invoke(handler, { method: 'GET', path: '/items', query: { limit: '100', ...(nextToken ? { nextToken } : {}) } });
    expect(page.statusCode).toBe(200);
    listed.push(...page.json.items.map((item: { id: string }) => item.id));
    nextToken = page.json.nextToken;
  } while (nextToken);
  expect(listed).toContain(id);
  expect((await invoke(handler, { method: 'PUT', path: `/items/${id}`, body: { data: { n: 2 }, version: 1 } })).json).toMatchObject({ id, version: 2 });
  expect((await invoke(handler, { method: 'DELETE', path: `/items/${id}`, headers: { 'If-Match': '"2"' } })).statusCode).toBe(204);
  expect((await invoke(handler, { method: 'GET', path: `/items/${id}` })).statusCode).toBe(404);
});

describe('GET /items', () => {
  test('answers 200 with items and a nextToken while more may follow', async () => {
    const page = await invoke(handler, { method: 'GET', path: '/items', query: { limit: '1' } });
    expect(page.statusCode).toBe(200);
    expect(page.json.items).toHaveLength(1);
    expect(page.json.nextToken).toEqual(expect.any(String));
  });

  test.each(['0', '101', '-1', '1.5', 'ten', ''])('answers 400 for limit=%p', async (limit) => {
    expectError(await invoke(handler, { method: 'GET', path: '/items', query: { limit } }), 400, 'InvalidLimit');
  });
});

describe('routing', () => {
  test('answers 405 with Allow for a method the route does not serve', async () => {
    const onCollection = await invoke(handler, { method: 'DELETE', path: '/items' });
    expectError(onCollection, 405, 'MethodNotAllowed');
    expect(onCollection.headers.allow).toBe('GET, POST, OPTIONS');
    const onItem = await invoke(handler, { method: 'POST', path: '/items/x' });
    expectError(onItem, 405, 'MethodNotAllowed');
    expect(onItem.headers.allow).toBe('GET, PUT, DELETE, OPTIONS');
  });

  test('every route of the contract\'s route table reaches its operation: never RouteNotFound or MethodNotAllowed', async () => {
    for (const route of ITEMS_ROUTES) {
      const path = itemsResourcePath(route.resource, 'items').replace('{id}', 'routed-1');
      const response = await invoke(handler, { method: route.method, path, body: route.requestBody ? {} : undefined });
      const code: unknown = response.body ? JSON.parse(response.body).error?.code : undefined;
      expect({ route: route.route, code }).toEqual({ route: route.route, code: expect.not.stringMatching(/^(RouteNotFound|MethodNotAllowed)$/) });
    }
  });

  test('answers 404 for an unknown route, also on direct invokes without a resource', async () => {
    expectError(await invoke(handler, { method: 'GET', path: '/things' }), 404, 'RouteNotFound');
    expectError(await invoke(handler, { method: 'GET', path: '/items/a/b', resource: '' }), 404, 'RouteNotFound');
    const direct = await handler({ httpMethod: 'GET', path: '/items/get-1', requestContext: { requestId: 'direct-1' } } as any);
    expect(direct.statusCode).toBe(200);
  });
});

describe('CORS', () => {
  test('echoes an allowed Origin with Vary: Origin, and never a foreign one', async () => {
    const allowed = await invoke(handler, { method: 'GET', path: '/items/get-1', headers: { Origin: 'https://app.example.com' } });
    expect(allowed.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'vary': 'Origin' });
    const foreign = await invoke(handler, { method: 'GET', path: '/items/get-1', headers: { origin: 'https://evil.example.com' } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers.vary).toBe('Origin');
    const failed = await invoke(handler, { method: 'GET', path: '/items/get-absent', headers: { origin: 'https://admin.example.com' } });
    expect(failed.headers['access-control-allow-origin']).toBe('https://admin.example.com');
  });

  test('answers a preflight with 204 and the route\'s methods', async () => {
    const preflight = await invoke(handler, { method: 'OPTIONS', path: '/items/x', headers: { origin: 'https://app.example.com' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-methods': 'GET, PUT, DELETE, OPTIONS' });
  });

  test('sends * when configured with *', async () => {
    const anyOrigin = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { CORS_ALLOWED_ORIGINS: '*' }));
    const response = await invoke(anyOrigin, { method: 'GET', path: '/items/get-1', headers: { origin: 'https://anything.example' } });
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('ITEM_DATA_SCHEMA', () => {
  const dataSchema = {
    type: 'object',
    properties: { name: { type: 'string', minLength: 1, maxLength: 5 }, tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, maxItems: 2 } },
    required: ['name'],
    additionalProperties: false,
  };
  let schemaHandler: ItemsHandler;
  beforeAll(() => {
    schemaHandler = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { ITEM_DATA_SCHEMA: JSON.stringify(dataSchema) }));
  });

  test('accepts data that satisfies the configured schema', async () => {
    const response = await invoke(schemaHandler, { method: 'POST', path: '/items', body: { id: 'schema-ok', data: { name: 'abc', tags: ['a'] } } });
    expect(response.statusCode).toBe(201);
  });

  test('rejects data that does not, naming each violation', async () => {
    const response = await invoke(schemaHandler, { method: 'POST', path: '/items', body: { data: { name: 'toolong', tags: ['a', 'c', 'b'], extra: 1 } } });
    expectError(response, 400, 'ValidationError');
    expect(response.json.error.details).toEqual(expect.arrayContaining([
      { path: '/data/name', message: 'must have at most 5 characters' },
      { path: '/data/tags', message: 'must have at most 2 items' },
      { path: '/data/tags/1', message: 'must be one of ["a","b"]' },
      { path: '/data/extra', message: 'is not an allowed property' },
    ]));
    const update = await invoke(schemaHandler, { method: 'PUT', path: '/items/schema-ok', body: { data: {}, version: 1 } });
    expect(update.json.error.details).toEqual([{ path: '/data/name', message: 'is required' }]);
  });
});

describe('failures', () => {
  test('a misconfigured function answers 500 without internal details', async () => {
    const broken = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { TABLE_NAME: undefined }));
    const response = await invoke(broken, { method: 'GET', path: '/items/x' });
    expectError(response, 500, 'InternalError');
    expect(response.body).not.toMatch(/TABLE_NAME/);
    expect(capturedOutput).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'configuration error: TABLE_NAME is not set', requestId: response.requestId }));
  });

  test('a dependency error that is not transient answers 500 with a generic message', async () => {
    const missingTable = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { TABLE_NAME: 'no-such-table' }));
    const response = await invoke(missingTable, { method: 'GET', path: '/items/x' });
    expectError(response, 500, 'InternalError');
    expect(response.json.error.message).toBe('Internal error.');
    expect(response.body).not.toMatch(/no-such-table|ResourceNotFound/);
    // docs/items-api.md, Observability: what the client is not told goes to the log, with the AWS request id.
    expect(capturedOutput).toContainEqual(expect.objectContaining({
      level: 'ERROR',
      message: 'request failed',
      requestId: response.requestId,
      error: expect.objectContaining({ name: 'ResourceNotFoundException' }),
      awsStatusCode: 400,
    }));
  });

  test('a failed write or delete that is no condition failure answers 500, never 204, 404 or 409', async () => {
    const missingTable = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { TABLE_NAME: 'no-such-table' }));
    const created = await invoke(missingTable, { method: 'POST', path: '/items', body: { id: 'x', data: { n: 1 } } });
    expectError(created, 500, 'InternalError');
    const updated = await invoke(missingTable, { method: 'PUT', path: '/items/x', body: { data: { n: 2 }, version: 1 } });
    expectError(updated, 500, 'InternalError');
    expectError(await invoke(missingTable, { method: 'DELETE', path: '/items/x' }), 500, 'InternalError');
    expectError(await invoke(missingTable, { method: 'DELETE', path: '/items/x', headers: { 'If-Match': '"1"' } }), 500, 'InternalError');
  });

  test('an item written by another tool, without the handler\'s write id, still answers a POST of its id with 409', async () => {
    // Items imported or written directly (docs/items-api.md: id, data, version, createdAt, updatedAt) carry no lastWriteId.
    await backend.dynamodb.send(new PutItemCommand({
      TableName: backend.tableName,
      Item: { id: { S: 'imported-1' }, data: { M: {} }, version: { N: '1' }, createdAt: { S: '2026-01-01T00:00:00Z' }, updatedAt: { S: '2026-01-01T00:00:00Z' } },
    }));
    expectError(await invoke(handler, { method: 'POST', path: '/items', body: { id: 'imported-1', data: {} } }), 409, 'ItemAlreadyExists');
  });

  test('a refused request is logged at INFO with the error code the client got', async () => {
    const response = await invoke(handler, { method: 'GET', path: '/items/logged-absent' });
    expectError(response, 404, 'ItemNotFound');
    expect(capturedOutput).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'request failed', requestId: response.requestId, code: 'ItemNotFound' }));
  });
});

describe('observability', () => {
  test('logs one structured line per request with the request id, and EMF metrics', async () => {
    const response = await invoke(handler, { method: 'GET', path: '/items/get-1' });
    expect(capturedOutput).toContainEqual(expect.objectContaining({
      level: 'INFO', message: 'request completed', service: 'items-test', requestId: response.requestId, status: 200, method: 'GET',
    }));
    expect(capturedOutput).toContainEqual(expect.objectContaining({
      _aws: { Timestamp: expect.any(Number), CloudWatchMetrics: [expect.objectContaining({ Namespace: 'ItemsTest', Dimensions: [['service']] })] },
      service: 'items-test',
      requestId: response.requestId,
      Requests: 1,
      ServerErrors: 0,
      ClientErrors: 0,
    }));
  });
});

describe('log level', () => {
  test('LOG_LEVEL filters entries below it', async () => {
    const quiet = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { LOG_LEVEL: 'WARN' }));
    const response = await invoke(quiet, { method: 'GET', path: '/items/get-absent' });
    expect(response.statusCode).toBe(404);
    expect(capturedOutput.filter((line: any) => line.requestId === response.requestId && line.level)).toEqual([]);
  });

  test('concurrent invocations keep their own request ids', async () => {
    const responses = await Promise.all(['get-1', 'get-absent', 'x'].map((id) => invoke(handler, { method: 'GET', path: `/items/${id}` })));
    for (const response of responses) {
      expect(capturedOutput).toContainEqual(expect.objectContaining({ message: 'request completed', requestId: response.requestId, status: response.statusCode }));
    }
  });
});

describe('the request schema shared with API Gateway', () => {
  test('renders as API Gateway draft-04 models', () => {
    const stack = new Stack(new App(), 'Models');
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addMethod('GET');
    new apigw.Model(stack, 'Create', { restApi: api, contentType: 'application/json', schema: createItemRequestSchema() as apigw.JsonSchema });
    new apigw.Model(stack, 'Update', { restApi: api, contentType: 'application/json', schema: updateItemRequestSchema({ schema: 'http://json-schema.org/draft-04/schema#', type: 'array', required: ['name'] }) as apigw.JsonSchema });
    const models = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::Model')).map((model: any) => model.Properties.Schema);
    expect(models).toContainEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: 'CreateItemRequest',
      type: 'object',
      properties: { id: { type: 'string', minLength: 1, maxLength: 128, pattern: ITEM_ID_PATTERN }, data: { type: 'object' } },
      required: ['data'],
      additionalProperties: false,
    });
    expect(models).toContainEqual(expect.objectContaining({
      title: 'UpdateItemRequest',
      properties: { data: { type: 'object', required: ['name'] }, version: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER - 1 } },
      required: ['data', 'version'],
    }));
  });

  test.each([
    { data: {} },
    { id: 'agree-1', data: { a: 1 } },
    { id: 'with space', data: {} },
    { id: '', data: {} },
    { id: 7, data: {} },
    { data: 'text' },
    { data: null },
    {},
    { data: {}, extra: true },
    [],
  ])('the handler accepts exactly what the create model accepts: %j', async (body) => {
    const schemaAccepts = validateSchema(createItemRequestSchema(), body).length === 0;
    const response = await invoke(handler, { method: 'POST', path: '/items', body });
    expect(response.statusCode).toBe(schemaAccepts ? 201 : 400);
  });
});

import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  ApiResponse, ITEMS_HANDLER_SOURCE, ItemsBackend, ItemsHandler, captureStdout, createItemsBackend, handlerEnv, invoke, loadHandler,
} from './items-fixture';
import { FaultProxy, randomFaults, type FaultPlan } from '../harness/fault-proxy';
import { motoEndpoint } from '../harness/moto';

const MAX_ATTEMPTS = 4;
// Long enough that moto, serving one request at a time to ten concurrent callers on a loaded machine (or under the
// mutation runs' instrumentation), answers within it: a write applied after the client gave up on its last attempt is
// a 503 for a stored write, which only the injected faults may cause here (250 ms failed the first test under load).
const REQUEST_TIMEOUT_MS = 1_000;

let backend: ItemsBackend;
let proxy: FaultProxy;
let handler: ItemsHandler;

captureStdout();

beforeAll(async () => {
  backend = await createItemsBackend('faults');
  proxy = await FaultProxy.start(motoEndpoint());
  // The handler's SDK clients reach moto only through the proxy; the test's own clients go to moto directly.
  handler = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, {
    AWS_ENDPOINT_URL: proxy.endpoint,
    SDK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    SDK_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    SDK_CONNECTION_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    RETRY_AFTER_SECONDS: '2',
  }));
});

afterAll(async () => {
  // Undefined when beforeAll failed: its error is the one to report.
  await proxy?.close();
});

beforeEach(() => {
  proxy.plan = () => undefined;
  proxy.beforeForward = async () => undefined;
  proxy.resetStats();
});

/** Faults only the first `count` DynamoDB calls whose target ends with `operation`. */
function faultFirst(operation: string, fault: ReturnType<FaultPlan>, count = 1): FaultPlan {
  let remaining = count;
  return ({ target }) => (target.endsWith(`.${operation}`) && remaining-- > 0 ? fault : undefined);
}

function expectUnavailable(response: ApiResponse) {
  expect(response.statusCode).toBe(503);
  expect(response.headers['retry-after']).toBe('2');
  expect(response.json.error).toEqual({ code: 'ServiceUnavailable', message: expect.any(String), requestId: response.requestId, details: [] });
}

async function storedVersions(): Promise<Map<string, number>> {
  return new Map((await backend.scanTable()).map((item) => [item.id.S!, Number(item.version.N)]));
}

test('with throttling and 5xx on 30% of calls, requests succeed within the retry budget or get 503, and the table holds exactly the acknowledged writes', async () => {
  proxy.plan = randomFaults(7, { 'throttle': 0.1, 'throughput': 0.05, 'server-error': 0.1, 'unavailable': 0.05 });
  const ids = Array.from({ length: 60 }, (_, i) => `flaky-${i}`);
  const created = new Set<string>();
  const updated = new Set<string>();
  for (let start = 0; start < ids.length; start += 10) {
    const batch = ids.slice(start, start + 10);
    const creates = await Promise.all(batch.map((id) => invoke(handler, { method: 'POST', path: '/items', body: { id, data: { id } } })));
    creates.forEach((response, i) => (response.statusCode === 201 ? created.add(batch[i]) : expectUnavailable(response)));
    const live = batch.filter((id) => created.has(id));
    const updates = await Promise.all(live.map((id) => invoke(handler, { method: 'PUT', path: `/items/${id}`, body: { data: { id, updated: true }, version: 1 } })));
    updates.forEach((response, i) => (response.statusCode === 200 ? updated.add(live[i]) : expectUnavailable(response)));
  }

  const faults = Object.values(proxy.stats.faulted).reduce((sum, n) => sum + n, 0);
  expect(faults).toBeGreaterThan(20);
  expect(created.size).toBeGreaterThan(ids.length * 0.9);
  const versions = await storedVersions();
  expect([...versions.keys()].filter((id) => id.startsWith('flaky-')).sort()).toEqual([...created].sort());
  for (const id of created) expect({ id, version: versions.get(id) }).toEqual({ id, version: updated.has(id) ? 2 : 1 });
});

test('a dependency that keeps throttling gets 503 with Retry-After after exactly the configured attempts, and nothing is written', async () => {
  proxy.plan = ({ target }) => (target.startsWith('DynamoDB') ? 'throttle' : undefined);
  expectUnavailable(await invoke(handler, { method: 'POST', path: '/items', body: { id: 'never-written', data: {} } }));
  expect(proxy.stats.faulted.throttle).toBe(MAX_ATTEMPTS);
  expect((await storedVersions()).has('never-written')).toBe(false);
});

test('a delete whose DeleteItem keeps failing gets 503 and keeps the item, never a 204', async () => {
  expect((await invoke(handler, { method: 'POST', path: '/items', body: { id: 'kept-on-failure', data: { n: 1 } } })).statusCode).toBe(201);
  proxy.plan = ({ target }) => (target.endsWith('.DeleteItem') ? 'throttle' : undefined);
  expectUnavailable(await invoke(handler, { method: 'DELETE', path: '/items/kept-on-failure' }));
  expect((await storedVersions()).get('kept-on-failure')).toBe(1);
});

test('a stalled call times out and is retried', async () => {
  await invoke(handler, { method: 'POST', path: '/items', body: { id: 'stall-read', data: { ok: true } } });
  proxy.plan = faultFirst('GetItem', 'stall');
  const started = Date.now();
  const response = await invoke(handler, { method: 'GET', path: '/items/stall-read' });
  expect(response.statusCode).toBe(200);
  expect(response.json.data).toEqual({ ok: true });
  expect(Date.now() - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 10);
  expect(proxy.stats.faulted.stall).toBe(1);
});

test('a dependency that stays stalled gets 503 within the timeout budget, and nothing is written', async () => {
  proxy.plan = ({ target }) => (target.startsWith('DynamoDB') ? 'stall' : undefined);
  const started = Date.now();
  expectUnavailable(await invoke(handler, { method: 'POST', path: '/items', body: { id: 'stalled-create', data: {} } }));
  expect(Date.now() - started).toBeLessThan(MAX_ATTEMPTS * REQUEST_TIMEOUT_MS + 3_000);
  expect(proxy.stats.faulted.stall).toBe(MAX_ATTEMPTS);
  expect((await storedVersions()).has('stalled-create')).toBe(false);
});

test('a create whose response was lost is retried into a 201, not a false 409 or a duplicate', async () => {
  proxy.plan = faultFirst('PutItem', 'lose-response');
  const response = await invoke(handler, { method: 'POST', path: '/items', body: { id: 'lost-create', data: { n: 1 } } });
  expect(proxy.stats.faulted['lose-response']).toBe(1);
  expect(response.statusCode).toBe(201);
  expect(response.json).toMatchObject({ id: 'lost-create', version: 1, data: { n: 1 } });
  expect((await storedVersions()).get('lost-create')).toBe(1);
  // Someone else's create of the same id is still a conflict.
  expect((await invoke(handler, { method: 'POST', path: '/items', body: { id: 'lost-create', data: { n: 2 } } })).statusCode).toBe(409);
});

test('an update whose response timed out after it was applied is retried into a 200 at version + 1, not a false 409', async () => {
  await invoke(handler, { method: 'POST', path: '/items', body: { id: 'lost-update', data: { n: 1 } } });
  proxy.plan = faultFirst('UpdateItem', 'stall-after-forward');
  const response = await invoke(handler, { method: 'PUT', path: '/items/lost-update', body: { data: { n: 2 }, version: 1 } });
  expect(proxy.stats.faulted['stall-after-forward']).toBe(1);
  expect(response.statusCode).toBe(200);
  expect(response.json).toMatchObject({ version: 2, data: { n: 2 } });
  expect((await storedVersions()).get('lost-update')).toBe(2);
  // A second client still holding version 1 loses.
  expect((await invoke(handler, { method: 'PUT', path: '/items/lost-update', body: { data: { n: 3 }, version: 1 } })).statusCode).toBe(409);
});

/** Another client's update of `id` to version 2, written straight to moto just before the handler's first DeleteItem. */
function updateBeforeFirstDelete(id: string): () => boolean {
  let landed = false;
  proxy.beforeForward = async ({ target }) => {
    if (landed || !target.endsWith('.DeleteItem')) return;
    landed = true;
    await backend.dynamodb.send(new UpdateItemCommand({
      TableName: backend.tableName,
      Key: { id: { S: id } },
      UpdateExpression: 'SET #data = :data, #version = :two',
      ExpressionAttributeNames: { '#data': 'data', '#version': 'version' },
      ExpressionAttributeValues: { ':data': { M: { by: { S: 'other-client' } } }, ':two': { N: '2' } },
    }));
  };
  return () => landed;
}

// docs/items-api.md: a delete with an expected version answers `409 VersionConflict` when it is not the stored one, and
// the item is kept; an update landing after the handler read version 1 makes version 2 the stored one.
test.each([
  ['If-Match', 'etag', { headers: { 'If-Match': '"1"' } }],
  ['?version=', 'query', { query: { version: '1' } }],
])('a delete with %s whose item is updated between its read and its DeleteItem answers 409 and keeps the update', async (_, label, expected) => {
  const id = `raced-delete-${label}`;
  await invoke(handler, { method: 'POST', path: '/items', body: { id, data: { by: 'creator' } } });
  const updateLanded = updateBeforeFirstDelete(id);
  const response = await invoke(handler, { method: 'DELETE', path: `/items/${id}`, ...expected });
  expect(updateLanded()).toBe(true);
  expect(response.statusCode).toBe(409);
  expect(response.json.error).toMatchObject({ code: 'VersionConflict', details: [expect.objectContaining({ currentVersion: 2 })] });
  const stored = await invoke(handler, { method: 'GET', path: `/items/${id}` });
  expect(stored.json).toMatchObject({ version: 2, data: { by: 'other-client' } });
});

test('an unavailable Secrets Manager makes listing 503 while the other routes keep working', async () => {
  const fresh = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, {
    AWS_ENDPOINT_URL: proxy.endpoint, SDK_MAX_ATTEMPTS: '2', SDK_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), RETRY_AFTER_SECONDS: '2',
  }));
  proxy.plan = randomFaults(1, { 'server-error': 1 }, 'secretsmanager.');
  expectUnavailable(await invoke(fresh, { method: 'GET', path: '/items' }));
  expect((await invoke(fresh, { method: 'GET', path: '/items/lost-update' })).statusCode).toBe(200);
});

test('GET /items/{id} is one strongly consistent GetItem, so a client reads the version its last write produced', async () => {
  // docs/items-api.md: "GET /items/{id}: 200 and the item (one strongly consistent GetItem)"; DynamoDB reads are
  // eventually consistent unless the request sets ConsistentRead (DynamoDB API reference, GetItem).
  expect((await invoke(handler, { method: 'POST', path: '/items', body: { id: 'consistent-1', data: {} } })).statusCode).toBe(201);
  const reads: unknown[] = [];
  proxy.plan = ({ target, body }) => {
    if (target.endsWith('.GetItem')) reads.push(JSON.parse(body));
    return undefined;
  };
  expect((await invoke(handler, { method: 'GET', path: '/items/consistent-1' })).statusCode).toBe(200);
  expect(reads).toEqual([expect.objectContaining({ Key: { id: { S: 'consistent-1' } }, ConsistentRead: true })]);
});

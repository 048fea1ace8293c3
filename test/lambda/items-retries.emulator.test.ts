import {
  ITEMS_HANDLER_SOURCE, ItemsBackend, ItemsHandler, captureStdout, createItemsBackend, handlerEnv, invoke, loadHandler,
} from './items-fixture';
import { fullJitterBackoff } from '../../lambda-src/shared/aws-clients';
import { FaultProxy, type Fault, type FaultPlan } from '../harness/fault-proxy';
import { motoEndpoint } from '../harness/moto';

/**
 * Retries as they happen on the wire (the fault proxy sees every attempt), and the guarantees that depend on them:
 * deletes and Idempotency-Key writes whose responses are lost, and a signing key served stale while Secrets
 * Manager fails.
 */
const MAX_ATTEMPTS = 4;

let backend: ItemsBackend;
let proxy: FaultProxy;
let handler: ItemsHandler;

captureStdout();
// Hundreds of requests per test against a shared moto: far beyond the default 5 s on a loaded machine.
jest.setTimeout(60_000);

/**
 * A handler whose SDK clients reach moto through the proxy. Each test gets a fresh one: the SDK's retry quota (a
 * token bucket per client that stops retrying under sustained failure) would otherwise carry over between tests.
 */
function proxiedHandler(overrides: Record<string, string> = {}): ItemsHandler {
  return loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, {
    AWS_ENDPOINT_URL: proxy.endpoint,
    SDK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    SDK_REQUEST_TIMEOUT_MS: '400',
    SECRET_CACHE_TTL_SECONDS: '1',
    SECRET_MAX_STALE_SECONDS: '3',
    ...overrides,
  }));
}

beforeAll(async () => {
  backend = await createItemsBackend('retries');
  proxy = await FaultProxy.start(motoEndpoint());
});

afterAll(async () => {
  await proxy.close();
});

beforeEach(() => {
  proxy.plan = () => undefined;
  proxy.resetStats();
  handler = proxiedHandler();
});

/** Faults the first `count` requests whose target ends with `operation`. */
function faultFirst(operation: string, fault: Fault, count = 1): FaultPlan {
  let remaining = count;
  return ({ target }) => (target.endsWith(`.${operation}`) && remaining-- > 0 ? fault : undefined);
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function standardDeviation(values: number[]): number {
  const average = mean(values);
  return Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
}

describe('SDK retries', () => {
  // Full jitter with base 50 ms (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform on
  // [0, 50 ms * 2^n). Sampled from the delay function itself, so no wall-clock bound can fail under load.
  test('the retry delay is full-jitter exponential: within [0, 50 ms * 2^n), spread out, growing with the attempt', () => {
    const first = Array.from({ length: 2000 }, () => fullJitterBackoff(1));
    const second = Array.from({ length: 2000 }, () => fullJitterBackoff(2));
    expect(Math.min(...first, ...second)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first)).toBeLessThan(100);
    expect(Math.max(...second)).toBeLessThan(200);
    // Uniform on [0, 100) has a standard deviation of 29 ms; a constant delay has none.
    expect(standardDeviation(first)).toBeGreaterThan(12);
    expect(standardDeviation(second)).toBeGreaterThan(24);
    // Expected means 50 ms and 100 ms.
    expect(mean(second)).toBeGreaterThan(mean(first) * 1.25);
  });

  test('a retried call waits at least the chosen delay on the wire, longer for the later attempt', async () => {
    await invoke(handler, { method: 'POST', path: '/items', body: { id: 'backoff', data: {} } });
    // The random draw fixed at 0.9: delays of 90 ms and 180 ms. Load only lengthens the gaps, so lower bounds hold.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.9);
    try {
      proxy.resetStats();
      proxy.plan = faultFirst('GetItem', 'server-error', 2);
      expect((await invoke(handler, { method: 'GET', path: '/items/backoff' })).statusCode).toBe(200);
    } finally {
      random.mockRestore();
    }
    const times = proxy.arrivals.filter((arrival) => arrival.target.endsWith('.GetItem')).map((arrival) => arrival.atMs);
    expect(times).toHaveLength(3);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(90);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(180);
  });

  test('a call that keeps failing is attempted exactly the configured number of times', async () => {
    proxy.plan = ({ target }) => (target.endsWith('.GetItem') ? 'server-error' : undefined);
    expect((await invoke(handler, { method: 'GET', path: '/items/backoff' })).statusCode).toBe(503);
    expect(proxy.arrivals.filter((arrival) => arrival.target.endsWith('.GetItem'))).toHaveLength(MAX_ATTEMPTS);
  });
});

describe('conditional and retried deletes', () => {
  test('DELETE with a stale If-Match or ?version= gets 409 and keeps the item; the current version deletes it', async () => {
    await invoke(handler, { method: 'POST', path: '/items', body: { id: 'guarded', data: { v: 1 } } });
    const updated = await invoke(handler, { method: 'PUT', path: '/items/guarded', body: { data: { v: 2 }, version: 1 } });
    expect(updated.headers.etag).toBe('"2"');
    for (const request of [{ headers: { 'If-Match': '"1"' } }, { query: { version: '1' } }]) {
      const stale = await invoke(handler, { method: 'DELETE', path: '/items/guarded', ...request });
      expect(stale.statusCode).toBe(409);
      expect(stale.json.error).toMatchObject({ code: 'VersionConflict', details: [{ path: '/version', currentVersion: 2 }] });
    }
    expect((await invoke(handler, { method: 'GET', path: '/items/guarded' })).json.version).toBe(2);
    for (const bad of [{ headers: { 'If-Match': '2' } }, { headers: { 'If-Match': 'W/"2"' } }, { query: { version: '0' } },
      { query: { version: 'abc' } }, { headers: { 'If-Match': '"2"' }, query: { version: '3' } }]) {
      const rejected = await invoke(handler, { method: 'DELETE', path: '/items/guarded', ...bad });
      expect({ status: rejected.statusCode, code: rejected.json.error.code }).toEqual({ status: 400, code: 'InvalidVersion' });
    }
    expect((await invoke(handler, { method: 'DELETE', path: '/items/guarded', headers: { 'If-Match': '"2"' } })).statusCode).toBe(204);
    expect((await invoke(handler, { method: 'GET', path: '/items/guarded' })).statusCode).toBe(404);
  });

  test.each(['lose-response', 'stall-after-forward'] as Fault[])('a delete whose response is lost (%s) and retried by the SDK answers 204, not 404', async (fault) => {
    const id = `lost-delete-${fault}`;
    await invoke(handler, { method: 'POST', path: '/items', body: { id, data: {} } });
    for (const request of [{}, { query: { version: '1' } }]) {
      if (Object.keys(request).length > 0) await invoke(handler, { method: 'POST', path: '/items', body: { id, data: {} } });
      proxy.resetStats();
      proxy.plan = faultFirst('DeleteItem', fault);
      const deleted = await invoke(handler, { method: 'DELETE', path: `/items/${id}`, ...request });
      expect(deleted.statusCode).toBe(204);
      expect(proxy.stats.faulted[fault]).toBe(1);
      expect((await backend.scanTable()).some((item) => item.id.S === id)).toBe(false);
    }
  });
});

describe('Idempotency-Key', () => {
  test('a POST without an id retried with the same key answers the first response and creates one item', async () => {
    const request = { method: 'POST', path: '/items', body: { data: { order: 1 } }, headers: { 'Idempotency-Key': 'order-1' } };
    const first = await invoke(handler, request);
    expect(first.statusCode).toBe(201);
    const retried = await invoke(handler, request);
    expect({ status: retried.statusCode, body: retried.json }).toEqual({ status: 201, body: first.json });
    const items = (await backend.scanTable()).filter((item) => item.data?.M?.order?.N === '1');
    expect(items).toHaveLength(1);
  });

  test('a POST with an id retried after its response was lost answers 201, not 409', async () => {
    const request = { method: 'POST', path: '/items', body: { id: 'charged', data: {} }, headers: { 'Idempotency-Key': 'charge-7' } };
    // The create writes, then the client never hears back: the gateway's or the client's retry sends it again.
    proxy.plan = faultFirst('UpdateItem', 'stall-after-forward');
    const first = await invoke(handler, request);
    expect(first.statusCode).toBe(201);
    const retried = await invoke(handler, request);
    expect(retried.statusCode).toBe(201);
    expect(retried.json).toEqual(first.json);
    expect(retried.headers['idempotent-replayed']).toBe('true');
  });

  test('the SDK retrying a claim whose response was lost does not block the request itself', async () => {
    proxy.plan = faultFirst('PutItem', 'lose-response');
    const created = await invoke(handler, { method: 'POST', path: '/items', body: { id: 'claimed', data: {} }, headers: { 'Idempotency-Key': 'claim-1' } });
    expect(created.statusCode).toBe(201);
    expect(proxy.stats.faulted['lose-response']).toBe(1);
  });

  test('the same key with a different body answers 422 and writes nothing', async () => {
    await invoke(handler, { method: 'POST', path: '/items', body: { id: 'k-a', data: {} }, headers: { 'Idempotency-Key': 'reused' } });
    const before = await backend.scanTable();
    const reused = await invoke(handler, { method: 'POST', path: '/items', body: { id: 'k-b', data: {} }, headers: { 'Idempotency-Key': 'reused' } });
    expect({ status: reused.statusCode, code: reused.json.error.code }).toEqual({ status: 422, code: 'IdempotencyKeyReused' });
    expect(await backend.scanTable()).toEqual(before);
  });

  test('PUT with a key: the retry answers the first 200 instead of a 409 for its own update', async () => {
    await invoke(handler, { method: 'POST', path: '/items', body: { id: 'put-key', data: {} } });
    const request = { method: 'PUT', path: '/items/put-key', body: { data: { n: 1 }, version: 1 }, headers: { 'Idempotency-Key': 'put-1' } };
    const first = await invoke(handler, request);
    const retried = await invoke(handler, request);
    expect([first.statusCode, retried.statusCode]).toEqual([200, 200]);
    expect(retried.json).toEqual(first.json);
  });

  test('a failed write releases the key, so the retry runs again', async () => {
    await invoke(handler, { method: 'POST', path: '/items', body: { id: 'taken', data: {} } });
    const request = { method: 'POST', path: '/items', body: { id: 'taken', data: {} }, headers: { 'Idempotency-Key': 'taken-1' } };
    expect((await invoke(handler, request)).statusCode).toBe(409);
    await invoke(handler, { method: 'DELETE', path: '/items/taken' });
    expect((await invoke(handler, request)).statusCode).toBe(201);
  });

  test('records expire after the configured window, and the table TTL attribute is set on them', async () => {
    const shortWindow = proxiedHandler({ IDEMPOTENCY_WINDOW_SECONDS: '1' });
    const request = { method: 'POST', path: '/items', body: { data: { window: true } }, headers: { 'Idempotency-Key': 'window-1' } };
    const first = await invoke(shortWindow, request);
    const record = (await backend.scanTable()).find((item) => item.id.S!.startsWith('#') && item.payloadHash && Number(item.expiresAt.N) <= Date.now() / 1000 + 2);
    expect(record).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const after = await invoke(shortWindow, request);
    expect(after.statusCode).toBe(201);
    expect(after.json.id).not.toBe(first.json.id);
  });

  test('records never appear in listings, and a page ending on one still continues', async () => {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await invoke(handler, { method: 'GET', path: '/items', query: { limit: '1', ...(nextToken ? { nextToken } : {}) } });
      expect(page.statusCode).toBe(200);
      ids.push(...page.json.items.map((item: { id: string }) => item.id));
      nextToken = page.json.nextToken;
    } while (nextToken);
    const stored = (await backend.scanTable()).map((item) => item.id.S!);
    expect(stored.some((id) => id.startsWith('#'))).toBe(true);
    expect(ids.sort()).toEqual(stored.filter((id) => !id.startsWith('#')).sort());
  });

  test('a malformed key gets 400', async () => {
    for (const key of ['', 'a b', 'x'.repeat(256), 'ü']) {
      const response = await invoke(handler, { method: 'POST', path: '/items', body: { data: {} }, headers: { 'Idempotency-Key': key } });
      expect({ key, status: response.statusCode, code: response.json.error.code }).toEqual({ key, status: 400, code: 'InvalidIdempotencyKey' });
    }
  });
});

describe('signing key when Secrets Manager fails', () => {
  test('a key cached moments ago serves listings while Secrets Manager is down, for at most the TTL plus the stale bound', async () => {
    expect((await invoke(handler, { method: 'GET', path: '/items', query: { limit: '1' } })).statusCode).toBe(200);
    proxy.plan = ({ target }) => (target.startsWith('secretsmanager.') ? 'unavailable' : undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const stale = await invoke(handler, { method: 'GET', path: '/items', query: { limit: '1' } });
    expect(stale.statusCode).toBe(200);
    expect(proxy.arrivals.some((arrival) => arrival.target.startsWith('secretsmanager.'))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await invoke(handler, { method: 'GET', path: '/items', query: { limit: '1' } })).statusCode).toBe(503);
  });
});

test('one Idempotency-Key on PUTs to two items with the same body updates each item: the key is per method and path', async () => {
  // docs/items-api.md: a request "runs at most once per key, method and route"; the item's id is part of its path.
  for (const id of ['twin-a', 'twin-b']) {
    expect((await invoke(handler, { method: 'POST', path: '/items', body: { id, data: {} } })).statusCode).toBe(201);
  }
  const update = (id: string) => invoke(handler, {
    method: 'PUT', path: `/items/${id}`, body: { data: { shipped: true }, version: 1 }, headers: { 'Idempotency-Key': 'ship-twins' },
  });
  const first = await update('twin-a');
  const second = await update('twin-b');
  expect([first.json, second.json]).toMatchObject([{ id: 'twin-a', version: 2 }, { id: 'twin-b', version: 2 }]);
  expect(second.headers['idempotent-replayed']).toBeUndefined();
  expect((await invoke(handler, { method: 'GET', path: '/items/twin-b' })).json).toMatchObject({ version: 2, data: { shipped: true } });
});

test('DELETE with If-Match: * deletes the item whatever its version', async () => {
  // RFC 9110 section 13.1.1: "If-Match: *" is true for any current representation of the target resource.
  expect((await invoke(handler, { method: 'POST', path: '/items', body: { id: 'any-version', data: {} } })).statusCode).toBe(201);
  expect((await invoke(handler, { method: 'PUT', path: '/items/any-version', body: { data: { v: 2 }, version: 1 } })).statusCode).toBe(200);
  expect((await invoke(handler, { method: 'DELETE', path: '/items/any-version', headers: { 'If-Match': '*' } })).statusCode).toBe(204);
  expect((await invoke(handler, { method: 'GET', path: '/items/any-version' })).statusCode).toBe(404);
});

import { acceptedHostileData } from './hostile-corpus';
import {
  ITEMS_HANDLER_SOURCE, ItemsBackend, ItemsHandler, capturedOutput, captureStdout, handlerEnv, invoke, itemsHandlerWithBackend, loadHandler,
} from './items-fixture';
import { Logger } from '../../lambda-src/shared/logger';

/** What a client stores reads back exactly, whatever its keys are named, and nothing stored breaks a later read. */
let backend: ItemsBackend;
let handler: ItemsHandler;

captureStdout();
// Hundreds of requests per test against a shared moto: far beyond the default 5 s on a loaded machine.
jest.setTimeout(60_000);

beforeAll(async () => {
  ({ backend, handler } = await itemsHandlerWithBackend('data'));
});

test('data keys named after Object.prototype members, with type-tag values, round-trip exactly at every depth', async () => {
  const cases = acceptedHostileData();
  const failures: unknown[] = [];
  for (const [index, data] of cases.entries()) {
    const id = `proto-${index}`;
    const created = await invoke(handler, { method: 'POST', path: '/items', body: { id, data } });
    const read = await invoke(handler, { method: 'GET', path: `/items/${id}` });
    const updated = await invoke(handler, { method: 'PUT', path: `/items/${id}`, body: { data: { again: data }, version: 1 } });
    if (created.statusCode !== 201 || read.statusCode !== 200 || JSON.stringify(read.json.data) !== JSON.stringify(data)
      || updated.statusCode !== 200 || JSON.stringify(updated.json.data) !== JSON.stringify({ again: data })) {
      failures.push({ data, created: created.body.slice(0, 200), read: read.body.slice(0, 200), updated: updated.body.slice(0, 200) });
    }
  }
  expect(failures).toEqual([]);
  const listing = await invoke(handler, { method: 'GET', path: '/items', query: { limit: '100' } });
  expect(listing.statusCode).toBe(200);
});

test('an empty key at any depth is refused with 400 on POST and PUT, and the table is unchanged', async () => {
  await invoke(handler, { method: 'POST', path: '/items', body: { id: 'empty-key-target', data: {} } });
  const before = await backend.scanTable();
  const bodies = ['{"data":{"":1}}', '{"data":{"a":{"":1}}}', '{"data":{"l":[{"":1}]}}', '{"data":{"l":[[{"x":{"":null}}]]}}'];
  for (const body of bodies) {
    const created = await invoke(handler, { method: 'POST', path: '/items', body });
    const updated = await invoke(handler, { method: 'PUT', path: '/items/empty-key-target', body: body.replace(/}$/, ',"version":1}') });
    for (const response of [created, updated]) {
      expect({ body, status: response.statusCode, code: response.json.error.code }).toEqual({ body, status: 400, code: 'ValidationError' });
    }
  }
  expect(await backend.scanTable()).toEqual(before);
  expect((await invoke(handler, { method: 'GET', path: '/items' })).statusCode).toBe(200);
});

test('ids "." and ".." (and any leading dot) are refused: URL normalisation would make them unreachable', async () => {
  for (const id of ['.', '..', '.hidden']) {
    const response = await invoke(handler, { method: 'POST', path: '/items', body: { id, data: {} } });
    expect({ id, status: response.statusCode }).toEqual({ id, status: 400 });
  }
  expect((await invoke(handler, { method: 'POST', path: '/items', body: { id: 'a..b', data: {} } })).statusCode).toBe(201);
  expect((await invoke(handler, { method: 'GET', path: '/items/a..b' })).statusCode).toBe(200);
});

test('a body of exactly MAX_BODY_BYTES is accepted; one byte more gets 413', async () => {
  const limited = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { MAX_BODY_BYTES: '2048' }));
  const padded = (size: number) => {
    const skeleton = JSON.stringify({ data: { s: '' } });
    return JSON.stringify({ data: { s: 'x'.repeat(size - skeleton.length) } });
  };
  expect(Buffer.byteLength(padded(2048))).toBe(2048);
  expect((await invoke(limited, { method: 'POST', path: '/items', body: padded(2048) })).statusCode).toBe(201);
  const over = await invoke(limited, { method: 'POST', path: '/items', body: padded(2049) });
  expect({ status: over.statusCode, code: over.json.error.code }).toEqual({ status: 413, code: 'PayloadTooLarge' });
  // Counted in bytes, not characters: 1024 two-byte characters plus the skeleton are over the limit.
  const multiByte = JSON.stringify({ data: { s: 'é'.repeat(1024) } });
  expect((await invoke(limited, { method: 'POST', path: '/items', body: multiByte })).statusCode).toBe(413);
});

test('caller fields and child keys cannot overwrite level, message, service or timestamp', () => {
  const before = capturedOutput.length;
  const logger = new Logger('svc', 'INFO').child({ level: 'DEBUG', service: 'spoofed', timestamp: 'then' });
  logger.info('real message', { level: 'ERROR', message: 'forged', timestamp: '1970-01-01T00:00:00.000Z', service: 'other', extra: 1 });
  const entry = capturedOutput[before] as Record<string, unknown>;
  expect(entry).toMatchObject({ level: 'INFO', message: 'real message', service: 'svc', extra: 1 });
  expect(Date.parse(entry.timestamp as string)).toBeGreaterThan(Date.parse('2020-01-01'));
});

test('each JSON type is stored as the DynamoDB attribute type of the same kind, null as NULL: true', async () => {
  // AttributeValue (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html): S, N as a
  // decimal string, BOOL, NULL ("NULL": true), L, M. DynamoDB refuses "NULL": false.
  const data = { s: 'x', n: 1.5, yes: true, no: false, nothing: null, list: [null, 2], map: { k: 'v' } };
  expect((await invoke(handler, { method: 'POST', path: '/items', body: { id: 'attribute-types', data } })).statusCode).toBe(201);
  const stored = (await backend.scanTable()).find((item) => item.id.S === 'attribute-types');
  const expected = { s: { S: 'x' }, n: { N: '1.5' }, yes: { BOOL: true }, no: { BOOL: false }, nothing: { NULL: true }, list: { L: [{ NULL: true }, { N: '2' }] }, map: { M: { k: { S: 'v' } } } };
  expect(stored?.data).toEqual({ M: expected });
  expect((await invoke(handler, { method: 'GET', path: '/items/attribute-types' })).json.data).toEqual(data);
});

import { createSocket, type Socket } from 'node:dgram';
import { join } from 'node:path';
import {
  ITEMS_HANDLER_SOURCE, ItemsBackend, captureStdout, createItemsBackend, handlerEnv, invoke, loadHandler,
} from './items-fixture';
import { ASSETS_DIR } from '../../src/core/bundled-code';

let backend: ItemsBackend;

captureStdout();

beforeAll(async () => {
  backend = await createItemsBackend('bundle');
});

test('the bundled assets/items/index.js serves create, read, update, list and delete', async () => {
  const handler = loadHandler(join(ASSETS_DIR, 'items', 'index.js'), handlerEnv(backend));
  const created = await invoke(handler, { method: 'POST', path: '/items', body: { id: 'bundled', data: { from: 'bundle' } } });
  expect(created.statusCode).toBe(201);
  expect((await invoke(handler, { method: 'GET', path: '/items/bundled' })).json).toMatchObject({ id: 'bundled', version: 1 });
  expect((await invoke(handler, { method: 'PUT', path: '/items/bundled', body: { data: {}, version: 1 } })).json.version).toBe(2);
  expect((await invoke(handler, { method: 'PUT', path: '/items/bundled', body: { data: {}, version: 1 } })).statusCode).toBe(409);
  const list = await invoke(handler, { method: 'GET', path: '/items', query: { limit: '1' } });
  expect(list.statusCode).toBe(200);
  expect(list.json.items).toHaveLength(1);
  expect((await invoke(handler, { method: 'GET', path: '/items', query: { nextToken: 'forged.token' } })).statusCode).toBe(400);
  expect((await invoke(handler, { method: 'DELETE', path: '/items/bundled' })).statusCode).toBe(204);
  expect((await invoke(handler, { method: 'POST', path: '/items', body: '{' })).json.error.code).toBe('ValidationError');
});

describe('X-Ray', () => {
  let daemon: Socket;
  const documents: any[] = [];

  beforeAll(async () => {
    daemon = createSocket('udp4');
    daemon.on('message', (message) => documents.push(JSON.parse(message.toString().split('\n')[1])));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  });

  afterAll(() => daemon.close());

  test('each SDK call of a sampled invocation is sent to the daemon as a subsegment of the function segment', async () => {
    const handler = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, {
      AWS_XRAY_DAEMON_ADDRESS: `tcp:127.0.0.1:${daemon.address().port} udp:127.0.0.1:${daemon.address().port}`,
    }));
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    try {
      await invoke(handler, { method: 'GET', path: '/items/traced' });
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
    }
    for (let wait = 0; documents.length === 0 && wait < 50; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(documents).toEqual([expect.objectContaining({
      type: 'subsegment',
      name: 'DynamoDB',
      namespace: 'aws',
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      parent_id: '53995c3f42cd8ad8',
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      aws: expect.objectContaining({ operation: 'GetItem', table_name: backend.tableName, retries: 0 }),
      http: { response: { status: 200 } },
    })]);
    expect(documents[0].end_time).toBeGreaterThanOrEqual(documents[0].start_time);
  });

  test('an unsampled invocation sends nothing', async () => {
    documents.length = 0;
    const handler = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}` }));
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0';
    try {
      await invoke(handler, { method: 'GET', path: '/items/traced' });
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(documents).toEqual([]);
  });
});

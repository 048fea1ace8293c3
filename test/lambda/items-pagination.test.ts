import { randomBytes } from 'node:crypto';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  ITEMS_HANDLER_SOURCE, ItemsBackend, ItemsHandler, captureStdout, createItemsBackend, handlerEnv, invoke, loadHandler,
} from './items-fixture';
import { encodePageToken } from '../../lambda-src/items/pagination';

const ITEM_COUNT = 263;
let backend: ItemsBackend;
let handler: ItemsHandler;

captureStdout();

beforeAll(async () => {
  backend = await createItemsBackend('pages');
  handler = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { SECRET_CACHE_TTL_SECONDS: '1' }));
  const ids = Array.from({ length: ITEM_COUNT }, (_, i) => `page-${String(i).padStart(4, '0')}`);
  for (let start = 0; start < ids.length; start += 25) {
    const batch = ids.slice(start, start + 25).map((id) => invoke(handler, { method: 'POST', path: '/items', body: { id, data: { id } } }));
    expect((await Promise.all(batch)).map((r) => r.statusCode)).toEqual(Array(batch.length).fill(201));
  }
});

async function listAll(limit?: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const query: Record<string, string> = {};
    if (limit !== undefined) query.limit = String(limit);
    if (nextToken) query.nextToken = nextToken;
    const response = await invoke(handler, { method: 'GET', path: '/items', query });
    expect(response.statusCode).toBe(200);
    expect(response.json.items.length).toBeLessThanOrEqual(limit ?? 20);
    ids.push(...response.json.items.map((item: { id: string }) => item.id));
    nextToken = response.json.nextToken;
    pages++;
  } while (nextToken);
  return { ids, pages };
}

test.each([7, 100, undefined])('paging with limit=%p visits every item exactly once', async (limit) => {
  const { ids, pages } = await listAll(limit);
  expect(ids).toHaveLength(ITEM_COUNT);
  expect(new Set(ids).size).toBe(ITEM_COUNT);
  expect(pages).toBeGreaterThanOrEqual(Math.ceil(ITEM_COUNT / (limit ?? 20)));
});

describe('tokens', () => {
  let token: string;
  beforeAll(async () => {
    token = (await invoke(handler, { method: 'GET', path: '/items', query: { limit: '3' } })).json.nextToken;
  });

  test('a token is opaque base64url with a signature', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  test('a token the API issued continues the listing', async () => {
    const next = await invoke(handler, { method: 'GET', path: '/items', query: { limit: '3', nextToken: token } });
    expect(next.statusCode).toBe(200);
    expect(next.json.items).toHaveLength(3);
  });

  test('an altered payload, an altered signature or a start key signed with another key gets 400', async () => {
    const [payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ v: 1, k: { id: 'page-0200' } })).toString('base64url');
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const forgeries = [
      `${forgedPayload}.${signature}`,
      `${flip(payload, 2)}.${signature}`,
      `${payload}.${flip(signature, 5)}`,
      encodePageToken(randomBytes(32), backend.tableName, { id: 'page-0200' }),
      encodePageToken(Buffer.from('guessable-signing-key'), backend.tableName, { id: 'page-0200' }),
      token + 'x',
      payload,
    ];
    for (const nextToken of forgeries) {
      const response = await invoke(handler, { method: 'GET', path: '/items', query: { nextToken } });
      expect({ nextToken, status: response.statusCode, code: response.json.error?.code }).toEqual({ nextToken, status: 400, code: 'InvalidNextToken' });
    }
  });

  test('after a rotation and the cache TTL, old tokens are rejected and new ones are signed with the new key', async () => {
    const newKey = await backend.rotateSigningKey();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const old = await invoke(handler, { method: 'GET', path: '/items', query: { nextToken: token } });
    expect(old.statusCode).toBe(400);
    expect(old.json.error.code).toBe('InvalidNextToken');

    const fresh = await invoke(handler, { method: 'GET', path: '/items', query: { limit: '3' } });
    const lastId = fresh.json.items[2].id;
    expect(fresh.json.nextToken).toBe(encodePageToken(Buffer.from(newKey), backend.tableName, { id: lastId }));
    expect((await invoke(handler, { method: 'GET', path: '/items', query: { nextToken: fresh.json.nextToken } })).statusCode).toBe(200);
  });

  test('within the TTL the cached key keeps serving without a Secrets Manager call per request', async () => {
    const cached = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { SECRET_CACHE_TTL_SECONDS: '300' }));
    const first = await invoke(cached, { method: 'GET', path: '/items', query: { limit: '2' } });
    await backend.rotateSigningKey();
    const second = await invoke(cached, { method: 'GET', path: '/items', query: { limit: '2', nextToken: first.json.nextToken } });
    expect(second.statusCode).toBe(200);
  });
});

test('a secret that is not JSON is used whole as the key', async () => {
  const plain = 'a-plain-string-signing-key-0123456789';
  await backend.secretsManager.send(new PutSecretValueCommand({ SecretId: backend.secretArn, SecretString: plain }));
  const plainHandler = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend));
  const page = await invoke(plainHandler, { method: 'GET', path: '/items', query: { limit: '1' } });
  expect(page.json.nextToken).toBe(encodePageToken(Buffer.from(plain), backend.tableName, { id: page.json.items[0].id }));
});

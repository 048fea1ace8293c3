import { randomBytes } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import {
  ITEMS_HANDLER_SOURCE, ItemsBackend, ItemsHandler, captureStdout, createItemsBackend, handlerEnv, invoke, loadHandler,
} from './items-fixture';
import { encodePageToken } from '../../lambda-src/items/pagination';

const ITEM_COUNT = 263;

/** The secret version a token names, read from its payload as a client could (the payload is not secret). */
function versionOf(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')).kid;
}
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
    const forgedPayload = Buffer.from(JSON.stringify({ v: 2, kid: versionOf(token), k: { id: 'page-0200' } })).toString('base64url');
    const versionId = versionOf(token);
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const forgeries = [
      `${forgedPayload}.${signature}`,
      `${flip(payload, 2)}.${signature}`,
      `${payload}.${flip(signature, 5)}`,
      encodePageToken({ versionId, key: randomBytes(32) }, backend.tableName, { id: 'page-0200' }),
      encodePageToken({ versionId, key: Buffer.from('guessable-signing-key') }, backend.tableName, { id: 'page-0200' }),
      encodePageToken({ versionId: 'no-such-version', key: randomBytes(32) }, backend.tableName, { id: 'page-0200' }),
      token + 'x',
      payload,
    ];
    for (const nextToken of forgeries) {
      const response = await invoke(handler, { method: 'GET', path: '/items', query: { nextToken } });
      expect({ nextToken, status: response.statusCode, code: response.json.error?.code }).toEqual({ nextToken, status: 400, code: 'InvalidNextToken' });
    }
  });

  // docs/items-api.md, Pagination: tokens are signed with the service's secret and bound to the table, so a token minted
  // for another table is `400 InvalidNextToken` even where the same secret signs both (ids page-0000.. exist in both).
  test('a token minted for another table signed by the same secret gets 400, while that table\'s own token is accepted', async () => {
    const other = await createItemsBackend('pages-other');
    const otherHandler = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(other, { SECRET_ARN: backend.secretArn }));
    for (const id of ['page-0000', 'page-0001', 'page-0002', 'page-0003']) {
      expect((await invoke(otherHandler, { method: 'POST', path: '/items', body: { id, data: {} } })).statusCode).toBe(201);
    }
    const foreign = await invoke(otherHandler, { method: 'GET', path: '/items', query: { nextToken: token } });
    expect({ status: foreign.statusCode, code: foreign.json.error?.code }).toEqual({ status: 400, code: 'InvalidNextToken' });
    const ownToken = (await invoke(otherHandler, { method: 'GET', path: '/items', query: { limit: '1' } })).json.nextToken;
    expect((await invoke(otherHandler, { method: 'GET', path: '/items', query: { limit: '1', nextToken: ownToken } })).statusCode).toBe(200);
  });

  test('a token differing only in the unused low bits of its last base64url character gets 400', async () => {
    // 32 signature bytes are 43 base64url characters: the last one carries 4 bits of the digest and 2 unused bits.
    const [payload, signature] = token.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The four characters sharing the last one's high 4 bits (same decoded bytes) are 4 apart in the alphabet.
    const group = Math.floor(alphabet.indexOf(signature[42]) / 4) * 4;
    const variants = [0, 1, 2, 3].map((offset) => alphabet[group + offset]).filter((character) => character !== signature[42])
      .map((character) => `${payload}.${signature.slice(0, 42)}${character}`);
    expect(variants).toHaveLength(3);
    for (const nextToken of variants) {
      expect(Buffer.from(nextToken.split('.')[1], 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
      const response = await invoke(handler, { method: 'GET', path: '/items', query: { nextToken } });
      expect({ status: response.statusCode, code: response.json.error?.code }).toEqual({ status: 400, code: 'InvalidNextToken' });
    }
  });

  test('a token minted before a rotation keeps working until the next rotation; new tokens name the new version', async () => {
    const rotated = await backend.rotateSigningKey();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await invoke(handler, { method: 'GET', path: '/items', query: { nextToken: token } })).statusCode).toBe(200);

    const fresh = await invoke(handler, { method: 'GET', path: '/items', query: { limit: '3' } });
    const lastId = fresh.json.items[2].id;
    expect(fresh.json.nextToken).toBe(encodePageToken(rotated, backend.tableName, { id: lastId }));
    expect((await invoke(handler, { method: 'GET', path: '/items', query: { nextToken: fresh.json.nextToken } })).statusCode).toBe(200);

    await backend.rotateSigningKey();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const old = await invoke(handler, { method: 'GET', path: '/items', query: { nextToken: token } });
    expect({ status: old.statusCode, code: old.json.error?.code }).toEqual({ status: 400, code: 'InvalidNextToken' });
    expect((await invoke(handler, { method: 'GET', path: '/items', query: { nextToken: fresh.json.nextToken } })).statusCode).toBe(200);
    token = fresh.json.nextToken;
  });

  test('a container that has not seen a rotation yet accepts a token another container signed with the new key', async () => {
    const lagging = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { SECRET_CACHE_TTL_SECONDS: '300' }));
    expect((await invoke(lagging, { method: 'GET', path: '/items', query: { limit: '1' } })).statusCode).toBe(200);
    await backend.rotateSigningKey();
    const current = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend));
    const minted = (await invoke(current, { method: 'GET', path: '/items', query: { limit: '2' } })).json.nextToken;
    expect((await invoke(lagging, { method: 'GET', path: '/items', query: { nextToken: minted } })).statusCode).toBe(200);
    token = minted;
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
  const versionId = (await backend.secretsManager.send(new GetSecretValueCommand({ SecretId: backend.secretArn }))).VersionId!;
  expect(page.json.nextToken).toBe(encodePageToken({ versionId, key: Buffer.from(plain) }, backend.tableName, { id: page.json.items[0].id }));
});

import { SEED_IDS, buildCorpus, methodsMissingFrom } from './hostile-corpus';
import { ItemsBackend, ItemsHandler, capturedOutput, captureStdout, invoke, itemsHandlerWithBackend } from './items-fixture';

let backend: ItemsBackend;
let handler: ItemsHandler;

captureStdout();
// Several hundred requests against a shared moto: far beyond the default 5 s on a loaded machine.
jest.setTimeout(60_000);

beforeAll(async () => {
  ({ backend, handler } = await itemsHandlerWithBackend('hostile'));
  for (const id of SEED_IDS) {
    expect((await invoke(handler, { method: 'POST', path: '/items', body: { id, data: { id, note: 'seed' } } })).statusCode).toBe(201);
  }
});

test('every malformed or hostile request gets a 4xx JSON error, and the table is unchanged', async () => {
  const validToken = (await invoke(handler, { method: 'GET', path: '/items', query: { limit: '1' } })).json.nextToken;
  const corpus = buildCorpus(validToken, backend.tableName);
  expect(corpus.length).toBeGreaterThanOrEqual(500);
  const before = await backend.scanTable();

  const unexpected: unknown[] = [];
  for (let start = 0; start < corpus.length; start += 20) {
    const batch = corpus.slice(start, start + 20);
    const responses = await Promise.all(batch.map((request) => invoke(handler, request)));
    responses.forEach((response, i) => {
      const error = response.json?.error;
      const ok = response.statusCode >= 400 && response.statusCode < 500
        && response.headers['content-type'] === 'application/json; charset=utf-8'
        && typeof error?.code === 'string' && typeof error?.message === 'string' && error?.requestId === response.requestId
        && Array.isArray(error?.details) && Object.keys(error).length === 4;
      if (!ok) unexpected.push({ request: JSON.stringify(batch[i]).slice(0, 300), status: response.statusCode, body: response.body.slice(0, 300) });
    });
  }
  expect(unexpected).toEqual([]);
  expect(capturedOutput.filter((line: any) => line.level === 'ERROR' || line.level === 'WARN')).toEqual([]);
  expect(await backend.scanTable()).toEqual(before);
});

test('the wrong-method requests of the corpus, derived from the route table, are the pairs docs/items-api.md lists no route for', () => {
  // docs/items-api.md: GET and POST on /items; GET, PUT and DELETE on /items/{id}.
  expect(methodsMissingFrom('collection').sort()).toEqual(['DELETE', 'PUT']);
  expect(methodsMissingFrom('item')).toEqual(['POST']);
});

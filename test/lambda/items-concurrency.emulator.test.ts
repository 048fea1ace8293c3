import { ItemsHandler, captureStdout, invoke, itemsHandlerWithBackend } from './items-fixture';

let handler: ItemsHandler;

captureStdout();

beforeAll(async () => {
  ({ handler } = await itemsHandlerWithBackend('race'));
});

test('50 concurrent PUTs carrying the same version: exactly one wins, 49 get 409, no update is lost', async () => {
  await invoke(handler, { method: 'POST', path: '/items', body: { id: 'contended', data: { writer: -1 } } });
  const responses = await Promise.all(Array.from({ length: 50 }, (_, writer) =>
    invoke(handler, { method: 'PUT', path: '/items/contended', body: { data: { writer }, version: 1 } })));

  const winners = responses.filter((r) => r.statusCode === 200);
  const conflicts = responses.filter((r) => r.statusCode === 409);
  expect(winners).toHaveLength(1);
  expect(conflicts).toHaveLength(49);
  expect(conflicts.every((r) => r.json.error.code === 'VersionConflict' && r.json.error.details[0].currentVersion === 2)).toBe(true);

  const stored = await invoke(handler, { method: 'GET', path: '/items/contended' });
  expect(stored.json).toMatchObject({ version: 2, data: winners[0].json.data });
});

test('rounds of read-modify-write by 10 clients never lose an increment', async () => {
  await invoke(handler, { method: 'POST', path: '/items', body: { id: 'counter', data: { count: 0 } } });
  const incrementUntilDone = async () => {
    for (;;) {
      const current = (await invoke(handler, { method: 'GET', path: '/items/counter' })).json;
      const response = await invoke(handler, { method: 'PUT', path: '/items/counter', body: { data: { count: current.data.count + 1 }, version: current.version } });
      if (response.statusCode === 200) return;
      expect(response.statusCode).toBe(409);
    }
  };
  await Promise.all(Array.from({ length: 10 }, incrementUntilDone));
  const final = (await invoke(handler, { method: 'GET', path: '/items/counter' })).json;
  expect(final).toMatchObject({ version: 11, data: { count: 10 } });
});

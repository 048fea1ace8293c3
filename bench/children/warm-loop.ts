import { createRequire } from 'node:module';
import { apiEvent, lambdaContext, type Handler } from './api-event.ts';
import { report } from './event.ts';

/**
 * A warm execution environment: a bundled handler answering `GET /items/{id}` in a loop after a warm-up, optionally
 * interleaved with a raw GetCommand to the same table (the floor any handler pays). Records each latency and the
 * peak resident set size. Usage: warm-loop.ts <asset> <item id> <requests> <warm-up> <raw|no-raw>.
 */
const [assetPath, itemId, requestsArg, warmupArg, rawArg] = process.argv.slice(2);
const requests = Number(requestsArg);
const warmup = Number(warmupArg);
const withRaw = rawArg === 'raw';

const load = createRequire(import.meta.url);
const handler = (load(assetPath) as { handler: Handler }).handler;
// The raw client is loaded only when compared, so it does not count in a peak-RSS run. Loaded from the project's
// node_modules (dev dependencies), like the bundles' sources.
type Sdk = typeof import('@aws-sdk/client-dynamodb') & typeof import('@aws-sdk/lib-dynamodb');
const sdk = withRaw ? { ...load('@aws-sdk/client-dynamodb'), ...load('@aws-sdk/lib-dynamodb') } as Sdk : undefined;
const raw = sdk ? sdk.DynamoDBDocumentClient.from(new sdk.DynamoDBClient({})) : undefined;
const tableName = process.env.TABLE_NAME;

let peakRss = process.memoryUsage().rss;
async function timed(call: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await call();
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return elapsed;
}

const callHandler = async () => {
  const response = await handler(apiEvent('GET', `/items/${itemId}`), lambdaContext());
  if (response.statusCode !== 200) throw new Error(`handler answered ${response.statusCode}`);
};
const callRaw = async () => {
  if (!sdk || !raw) throw new Error('raw client not loaded');
  const result = await raw.send(new sdk.GetCommand({ TableName: tableName, Key: { id: itemId }, ConsistentRead: true }));
  if (!result.Item) throw new Error('raw GetCommand found no item');
};

for (let i = 0; i < warmup; i++) {
  await callHandler();
  if (withRaw) await callRaw();
}
const handlerMs: number[] = [];
const rawMs: number[] = [];
for (let i = 0; i < requests; i++) {
  // Alternate which goes first, so neither always runs on a freshly used connection.
  if (withRaw && i % 2 === 1) rawMs.push(await timed(callRaw));
  handlerMs.push(await timed(callHandler));
  if (withRaw && i % 2 === 0) rawMs.push(await timed(callRaw));
}
report({ handlerMs, rawMs, peakRssBytes: peakRss, maxRssKb: process.resourceUsage().maxRSS });

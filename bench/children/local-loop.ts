import { createRequire } from 'node:module';
import { apiEvent, lambdaContext, type Handler } from './api-event.ts';
import { report } from './event.ts';

/**
 * `GET /items/{id}` through a running local mode (HTTP to its gateway) interleaved with a direct call of the same
 * bundled handler in this process, against the same moto server: the difference is the emulator's own overhead.
 * Usage: local-loop.ts <local mode URL> <asset> <item id> <requests> <warm-up>.
 */
const [baseUrl, assetPath, itemId, requestsArg, warmupArg] = process.argv.slice(2);
const handler = (createRequire(import.meta.url)(assetPath) as { handler: Handler }).handler;

async function timed(call: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await call();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const throughLocalMode = async () => {
  const response = await fetch(`${baseUrl}/items/${itemId}`);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`local mode answered ${response.status}`);
};
const direct = async () => {
  const response = await handler(apiEvent('GET', `/items/${itemId}`), lambdaContext());
  if (response.statusCode !== 200) throw new Error(`handler answered ${response.statusCode}: ${response.body}`);
};

for (let i = 0; i < Number(warmupArg); i++) {
  await throughLocalMode();
  await direct();
}
const localMs: number[] = [];
const directMs: number[] = [];
for (let i = 0; i < Number(requestsArg); i++) {
  // Alternate which goes first, so neither always follows the other's use of the connection to moto.
  if (i % 2 === 1) directMs.push(await timed(direct));
  localMs.push(await timed(throughLocalMode));
  if (i % 2 === 0) directMs.push(await timed(direct));
}
report({ localMs, directMs });

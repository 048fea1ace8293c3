import { createRequire } from 'node:module';
import { apiEvent, lambdaContext, type Handler } from './api-event.ts';
import { report } from './event.ts';

/**
 * One cold start in a fresh process: `require()` of a bundled handler (what Lambda's init phase does), timed with the
 * high-resolution clock, then optionally the first `GET /items/{id}`. Usage: cold-start.ts <asset> <item id | ->.
 */
const [assetPath, itemId] = process.argv.slice(2);
const load = createRequire(import.meta.url);

const initStart = process.hrtime.bigint();
const module = load(assetPath) as { handler: Handler };
const initMs = Number(process.hrtime.bigint() - initStart) / 1e6;

let firstRequestMs: number | undefined;
let status: number | undefined;
if (itemId && itemId !== '-') {
  const requestStart = process.hrtime.bigint();
  status = (await module.handler(apiEvent('GET', `/items/${itemId}`), lambdaContext())).statusCode;
  firstRequestMs = Number(process.hrtime.bigint() - requestStart) / 1e6;
}
report({ initMs, firstRequestMs, status, uptimeMs: process.uptime() * 1000 });

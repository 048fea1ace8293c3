import { createRequire } from 'node:module';
import { apiEvent, lambdaContext, type Handler } from './api-event.ts';
import { report } from './event.ts';

/**
 * Drives the bundled handler through every route once per item, against the capacity proxy (AWS_ENDPOINT_URL), and
 * tells the proxy which route each DynamoDB call belongs to. Usage: cost-scenario.ts <asset> <item data JSON> <items>.
 */
const [assetPath, dataJson, itemsArg] = process.argv.slice(2);
const data = JSON.parse(dataJson) as Record<string, unknown>;
const itemCount = Number(itemsArg);
const proxy = process.env.AWS_ENDPOINT_URL;
const handler = (createRequire(import.meta.url)(assetPath) as { handler: Handler }).handler;

async function call(
  route: string, expectedStatus: number, method: string, path: string, body?: unknown, query?: Record<string, string>,
): Promise<void> {
  await fetch(`${proxy}/__bench/route/${route}`, { method: 'POST' });
  const response = await handler(apiEvent(method, path, body, query), lambdaContext());
  if (response.statusCode !== expectedStatus) throw new Error(`${method} ${path}: expected ${expectedStatus}, got ${response.statusCode} ${response.body}`);
}

const ids = Array.from({ length: itemCount }, (_, i) => `cost-${String(i).padStart(4, '0')}`);
for (const id of ids) await call('create', 201, 'POST', '/items', { id, data });
for (const id of ids) await call('get', 200, 'GET', `/items/${id}`);
for (const id of ids) await call('update', 200, 'PUT', `/items/${id}`, { data: { ...data, revised: true }, version: 1 });
await call('list', 200, 'GET', '/items', undefined, { limit: String(Math.min(itemCount, 20)) });
for (const id of ids) await call('delete', 204, 'DELETE', `/items/${id}`);
await fetch(`${proxy}/__bench/route/done`, { method: 'POST' });
report({ requests: itemCount * 4 + 1 });

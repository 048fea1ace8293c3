import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { apiEvent, lambdaContext, type Handler } from './api-event.ts';
import { report } from './event.ts';

/**
 * One cold start under the V8 sampling profiler, started just before `require()` of the bundle and stopped right
 * after, so the profile holds module init only, or init and the first `GET /items/{id}` when an item id is given.
 * Usage: profile-init.ts <asset> <profile file> [item id].
 */
const [assetPath, profileFile, itemId] = process.argv.slice(2);
const load = createRequire(import.meta.url);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
const initStart = process.hrtime.bigint();
const module = load(assetPath) as { handler: Handler };
if (itemId) await module.handler(apiEvent('GET', `/items/${itemId}`), lambdaContext());
const elapsedMs = Number(process.hrtime.bigint() - initStart) / 1e6;
const { profile } = await session.post('Profiler.stop');
writeFileSync(profileFile, JSON.stringify(profile));
session.disconnect();
report({ elapsedMs });

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { runChild } from './processes';
import { summarize, type Summary } from './stats';
import { freeLoopbackPort } from '../cli/moto-server';

/**
 * Local mode (`cdk-secure-serverless local`) from a warm checkout (assets bundled, lib/ compiled): the time from
 * starting the command to the first HTTP response of its gateway, and the latency of `GET /items/{id}` through it
 * next to a direct call of the same handler.
 */
export interface LocalModeResult {
  readonly firstResponse: Summary;
  readonly throughLocalMode: Summary;
  readonly directCall: Summary;
}

export interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly url: string;
}

const ROOT = join(__dirname, '..');
const COMMAND = join(ROOT, 'bin', 'cdk-secure-serverless');
const POLL_MS = 20;

/**
 * Starts `local --no-auth` with `args` in `cwd` (the default app: the checkout's example) and resolves at its first
 * HTTP response, with the time it took.
 */
export async function start(timeoutMs: number, args: string[] = [], cwd: string = ROOT): Promise<{ running: Running; firstResponseMs: number }> {
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const startedAt = process.hrtime.bigint();
  // Without SigV4 / JWT checks, so the figures are the emulator's own (routing, validation, events), as before auth.
  const child = spawn(process.execPath, [COMMAND, 'local', '--no-auth', '--port', String(port), ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const running = { child, output: () => output, url };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`local mode exited with ${child.exitCode}:\n${output}`);
    try {
      await (await fetch(`${url}/items/bench-first`)).arrayBuffer();
      return { running, firstResponseMs: Number(process.hrtime.bigint() - startedAt) / 1e6 };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  await stop(running);
  throw new Error(`local mode did not answer within ${timeoutMs} ms:\n${output}`);
}

export async function stop(running: Running): Promise<void> {
  if (running.child.exitCode !== null) return;
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGINT');
  await exited;
}

/** What local mode printed about the emulator and the emulated table and secret. */
function emulatedResources(output: string): { endpoint: string; tableName: string; secretArn: string } {
  const find = (pattern: RegExp, what: string) => {
    const match = pattern.exec(output);
    if (!match) throw new Error(`local mode did not print ${what}:\n${output}`);
    return match[1];
  };
  return {
    endpoint: find(/AWS emulator \(moto\): (\S+)/, 'the moto endpoint'),
    tableName: find(/AWS::DynamoDB::(?:Global)?Table \S+ -> (\S+)/, 'the emulated table'),
    secretArn: find(/AWS::SecretsManager::Secret \S+ -> (\S+)/, 'the emulated secret'),
  };
}

/**
 * `starts` timed starts after one untimed warm-up start (which fills caches a warm checkout has), then, on the last
 * one, `requests` interleaved GETs through local mode and direct handler calls in one process.
 */
export async function measureLocalMode(asset: string, starts: number, requests: number, warmup: number, timeoutMs: number): Promise<LocalModeResult> {
  await stop((await start(timeoutMs)).running);
  const firstResponseMs: number[] = [];
  let running: Running | undefined;
  try {
    for (let i = 0; i < starts; i++) {
      if (running) await stop(running);
      const started = await start(timeoutMs);
      running = started.running;
      firstResponseMs.push(started.firstResponseMs);
    }
    const itemId = 'bench-local';
    const created = await fetch(`${running!.url}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: itemId, data: { name: 'bench' } }),
    });
    if (created.status !== 201) throw new Error(`local mode POST /items answered ${created.status}: ${await created.text()}`);
    const resources = emulatedResources(running!.output());
    const env = {
      PATH: process.env.PATH,
      NODE_NO_WARNINGS: '1',
      // The stack's region, where local mode created the resources (moto keeps regions apart).
      AWS_REGION: resources.secretArn.split(':')[3],
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL: resources.endpoint,
      TABLE_NAME: resources.tableName,
      SECRET_ARN: resources.secretArn,
    };
    const loop = await runChild<{ localMs: number[]; directMs: number[] }>(
      'local-loop.ts', [running!.url, asset, itemId, String(requests), String(warmup)], env, timeoutMs,
    );
    return {
      firstResponse: summarize(firstResponseMs),
      throughLocalMode: summarize(loop.result.localMs),
      directCall: summarize(loop.result.directMs),
    };
  } finally {
    if (running) await stop(running);
  }
}

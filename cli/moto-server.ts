import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { projectPython } from './python';

/** What to do when moto cannot start: the install line (a checkout of this project can run scripts/bootstrap.sh). */
export const MISSING_MOTO_HELP =
  'The AWS emulator moto is required: run `pip install "moto[server]"` (or `scripts/bootstrap.sh` in a checkout of cdk-secure-serverless).';

/** A moto server running in server mode on a loopback port. */
export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  readonly process: ChildProcess;
}

/** Whether nothing listens on `port` of 127.0.0.1 now. */
export function isFreeLoopbackPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Lowest and highest port drawn by `freeLoopbackPort`: below the ephemeral ranges of Linux (32768) and macOS/Windows (49152). */
export const LOOPBACK_PORT_RANGE = { lowest: 20_000, highest: 32_767 } as const;

/**
 * The first of `count` consecutive ports on 127.0.0.1 that are free now, for a server that binds them a moment later
 * (moto, local mode's APIs, one port each). They are drawn outside the kernel's ephemeral range: a port from
 * `listen(0)` is also what the kernel hands the next outgoing connection on the machine, so it may be taken before the
 * server binds it (seen in CI with parallel tests: "Port 42324 on 127.0.0.1 is already in use").
 */
export async function freeLoopbackPort(count = 1): Promise<number> {
  const firsts = LOOPBACK_PORT_RANGE.highest - LOOPBACK_PORT_RANGE.lowest + 2 - count;
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = LOOPBACK_PORT_RANGE.lowest + Math.floor(Math.random() * firsts);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => isFreeLoopbackPort(first + i)));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`No ${count} free consecutive ports on 127.0.0.1 between ${LOOPBACK_PORT_RANGE.lowest} and ${LOOPBACK_PORT_RANGE.highest} after 100 tries.`);
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.pid === undefined) {
      throw new Error(`moto server exited with code ${child.exitCode}: ${output()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto server did not answer on ${endpoint} within ${timeoutMs} ms: ${output()}`);
}

/**
 * `python -m moto.server`, with one request handled at a time. moto's threaded server checks a DynamoDB condition and
 * applies the write in separate steps, so two concurrent conditional writes can both succeed (measured: 2 of 60
 * rounds of 30 concurrent `UpdateItem`s on one version); DynamoDB applies each item write atomically. Serializing the
 * requests restores that guarantee for local mode and the tests, and keeps keep-alive connections.
 */
const SERIALIZED_MOTO_SERVER = [
  'import threading, moto.server as server',
  'serve, lock = server.run_simple, threading.Lock()',
  'def serialized(app):',
  '    def locked(environ, start_response):',
  '        with lock:',
  '            return list(app(environ, start_response))',
  '    return locked',
  'server.run_simple = lambda host, port, app, **options: serve(host, port, serialized(app), **options)',
  'server.main()',
].join('\n');

/**
 * Starts moto's server (requests serialized, see above) on a free loopback port and waits until it answers.
 * Fails with the install line when moto is missing.
 */
export async function startMotoServer(timeoutMs = 60_000): Promise<MotoServer> {
  const port = await freeLoopbackPort();
  const python = projectPython();
  const child = spawn(python, ['-c', SERIALIZED_MOTO_SERVER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_CALL_RESET_API: 'true' },
  });
  // A missing interpreter is reported as an 'error' event rather than a thrown exception.
  let spawnError: Error | undefined;
  await new Promise<void>((resolve) => {
    child.once('spawn', resolve);
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, timeoutMs, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    if (spawnError) {
      throw new Error(`${MISSING_MOTO_HELP} Python was not found at "${python}" (${spawnError.message}); install Python 3 or set PYTHON.`);
    }
    if (/No module named '?moto/.test(output)) {
      throw new Error(`${MISSING_MOTO_HELP} moto is not installed for ${python}.`);
    }
    throw err;
  }
  return { endpoint, port, process: child };
}

/** Stops the server and waits for the process to exit. */
export async function stopMotoServer(server: MotoServer): Promise<void> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

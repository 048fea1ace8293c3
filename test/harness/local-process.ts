import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../cli/moto-server';

const root = join(__dirname, '..', '..');

/** A running `cdk-secure-serverless local` and everything it printed so far. */
export interface LocalProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `cdk-secure-serverless local <args>` from the compiled command (lib-cli/) of this checkout or of `checkout`. */
export function startLocal(args: string[], env: NodeJS.ProcessEnv = process.env, checkout: string = root): LocalProcess {
  if (!existsSync(join(checkout, 'lib-cli', 'main.js'))) {
    throw new Error('lib-cli/ is missing: run "npx projen compile" before this test (npx projen build does).');
  }
  const child = spawn(process.execPath, [join(checkout, 'bin', 'cdk-secure-serverless'), 'local', ...args], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits until the output matches; fails with the output when the process exits or the time runs out. */
export async function waitForOutput(local: LocalProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(local.output());
    if (match) return match;
    if (local.child.exitCode !== null) throw new Error(`local mode exited with ${local.child.exitCode}:\n${local.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`local mode did not print ${pattern} within ${timeoutMs} ms:\n${local.output()}`);
}

/** Stops the process (SIGTERM, then SIGKILL) and waits for it. */
export async function stopLocal(local: LocalProcess | undefined): Promise<void> {
  if (!local || local.child.exitCode !== null || local.child.signalCode !== null) return;
  local.child.kill('SIGTERM');
  const timer = setTimeout(() => local.child.kill('SIGKILL'), 5_000);
  await local.exited;
  clearTimeout(timer);
}

/** A `local` process serving on `port` (and the ports after it, one per REST API) at `url`. */
export interface ServingLocal {
  readonly local: LocalProcess;
  readonly port: number;
  readonly url: string;
}

/** How `serveLocally` starts local mode. */
export interface ServeOptions {
  /** Printed once local mode serves. */
  readonly ready?: RegExp;
  readonly timeoutMs?: number;
  /** How many consecutive ports from --port local mode binds (one per REST API). */
  readonly ports?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** The checkout whose command runs. */
  readonly checkout?: string;
}

/**
 * Starts `cdk-secure-serverless local <args> --port P` on free ports and waits until it serves. Another process may
 * bind a probed port before local mode does (it synthesizes first); local mode then exits naming the port, and this
 * starts again on other ports.
 */
export async function serveLocally(args: string[], options: ServeOptions = {}): Promise<ServingLocal> {
  const { ready = /Press Ctrl-C to stop\./, timeoutMs = 110_000, ports = 1, env = process.env, checkout = root } = options;
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort(ports);
    const local = startLocal([...args, '--port', String(port)], env, checkout);
    try {
      await waitForOutput(local, ready, timeoutMs);
      return { local, port, url: `http://127.0.0.1:${port}` };
    } catch (error) {
      await stopLocal(local);
      if (attempt === 3 || !/is already in use: choose another with --port/.test(local.output())) throw error;
    }
  }
}

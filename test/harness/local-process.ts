import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

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

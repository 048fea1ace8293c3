import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Child processes the bench started and has not yet seen exit; all are killed on the way out. */
const live = new Set<ChildProcess>();

export function killLiveChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export interface ChildRun<T> {
  readonly result: T;
  /** Spawn to exit, measured by the parent: process start-up, module loading and the child's own work. */
  readonly wallMs: number;
}

const RESULT_MARKER = 'BENCH_RESULT ';

/** Runs `bench/children/<script>` in a fresh Node process and returns the result it reported. */
export async function runChild<T>(script: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildRun<T>> {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(__dirname, 'children', script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  }).finally(() => {
    clearTimeout(timer);
    live.delete(child);
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_MARKER));
  if (code !== 0 || !line) {
    throw new Error(`bench child ${script} ${args.join(' ')} failed (exit ${code}${code === null ? ', killed after timeout' : ''}): ${stderr || stdout.slice(-2000)}`);
  }
  return { result: JSON.parse(line.slice(RESULT_MARKER.length)) as T, wallMs };
}

/**
 * Preloaded (`NODE_OPTIONS=--require`) into the processes of the app command when local mode runs with `--watch`. The
 * process that ran the app (its main module loaded aws-cdk-lib and wrote the cloud assembly) does not exit: it connects
 * to local mode's socket and, for each reload, runs the app's main module again into the directory it is given, with
 * aws-cdk-lib, TypeScript and every other package already loaded. Only the app's own files (under its directory,
 * outside node_modules) are loaded afresh. Any other process (npx, a child of the app) is left alone.
 * Kept free of imports from the rest of the command, as it runs inside the user's app.
 */
import { existsSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { Socket, connect } from 'node:net';
import { join, sep } from 'node:path';

/** The environment variable that carries local mode's socket path to the app command. */
export const SYNTH_SOCKET_VARIABLE = 'CDK_SECURE_SERVERLESS_SYNTH_SOCKET';

/** One reload: where to write the cloud assembly, and the context (`CDK_CONTEXT_JSON`). */
export interface SynthRequest {
  readonly outdir: string;
  readonly context: string;
}

/** Node.js's CommonJS loader; its `_cache` is what `require.cache` shows. */
const loader = nodeModule.Module as unknown as {
  readonly _cache: Record<string, unknown>;
  _load(request: string, parent: unknown, isMain: boolean): unknown;
};

/** The app's own modules: what an edit changes. Packages (node_modules, also through links) stay loaded. */
export function isAppFile(file: string, appDir: string): boolean {
  return file.startsWith(appDir + sep) && !file.includes(`${sep}node_modules${sep}`);
}

/** What keeps the event loop busy, apart from `setImmediate`s: the app's asynchronous work while it is not 0. */
export function pendingWork(): number {
  return process.getActiveResourcesInfo().filter((type) => type !== 'Immediate').length;
}

/** Resolves once the work started after `baseline` was counted is done, as `beforeExit` would wait for it. */
export async function settled(baseline: number): Promise<void> {
  do await new Promise((resolve) => setImmediate(resolve));
  while (pendingWork() > baseline);
}

/**
 * Runs the main module again (as the main module, so `require.main === module` holds), waits for its asynchronous work,
 * then runs the `beforeExit` listeners it added (aws-cdk-lib's App synthesizes there unless the app calls `synth()`).
 */
export async function runAgain(main: string, request: SynthRequest): Promise<void> {
  process.env.CDK_OUTDIR = request.outdir;
  process.env.CDK_CONTEXT_JSON = request.context;
  for (const file of Object.keys(loader._cache)) if (isAppFile(file, process.cwd())) delete loader._cache[file];
  const before = new Set(process.listeners('beforeExit'));
  const baseline = pendingWork();
  try {
    loader._load(main, null, true);
    await settled(baseline);
    for (const listener of process.listeners('beforeExit').filter((l) => !before.has(l))) listener.call(process, 0);
  } finally {
    for (const listener of process.listeners('beforeExit').filter((l) => !before.has(l))) process.removeListener('beforeExit', listener);
  }
  if (process.exitCode) {
    process.exitCode = undefined;
    throw new Error('The app set a non-zero exit code.');
  }
  if (!existsSync(join(request.outdir, 'manifest.json'))) throw new Error('The app wrote no cloud assembly (does it call app.synth()?).');
}

/** The main module's file when this process is the one that ran the app (it loaded aws-cdk-lib and synthesized). */
export function appMainModule(): string | undefined {
  // `require.main` of a preloaded module was taken before the main module loaded; the process's is current.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const main = process.mainModule?.filename;
  const ranTheApp = !process.exitCode
    && Object.keys(loader._cache).some((file) => /[\\/]aws-cdk-lib[\\/]/.test(file))
    && existsSync(join(process.env.CDK_OUTDIR ?? '', 'manifest.json'));
  return ranTheApp ? main : undefined;
}

/**
 * Answers local mode's requests on `socket`, one JSON request a line, one at a time in their order: `{}` once `reload`
 * is done, `{ error }` with its stack when it fails.
 */
export function answerReloads(socket: Socket, reload: (request: SynthRequest) => Promise<void>): void {
  let buffered = '';
  let queue = Promise.resolve();
  socket.on('data', (chunk) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const request = JSON.parse(buffered.slice(0, newline)) as SynthRequest;
      buffered = buffered.slice(newline + 1);
      queue = queue.then(() => reload(request)).then(
        () => void socket.write('{}\n'),
        (error) => void socket.write(`${JSON.stringify({ error: error instanceof Error ? error.stack ?? error.message : String(error) })}\n`),
      );
    }
  });
}

/** Becomes the worker when this process is the one that ran the app; otherwise lets it exit. */
export function serveReloads(socketPath: string): void {
  const main = appMainModule();
  if (main === undefined) return;
  const socket = connect(socketPath);
  answerReloads(socket, (request) => runAgain(main, request));
  // Local mode closed the socket (it stopped, or gave up on this worker): exit as the app would have.
  socket.on('close', () => process.exit(0));
  socket.on('error', () => process.exit(0));
}

const socketPath = process.env[SYNTH_SOCKET_VARIABLE];
if (socketPath) {
  // Registered before the app's own listeners, so it runs first: deferred until they (e.g. CDK's synthesis) are done.
  process.once('beforeExit', () => setImmediate(() => serveReloads(socketPath)));
}

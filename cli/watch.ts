import { spawn } from 'node:child_process';
import { FSWatcher, existsSync, watch } from 'node:fs';
import { join } from 'node:path';
import { AppSource, PACKAGE_ROOT } from './assembly';
import { LocalSession } from './local-session';

/** Changes under these names never change the synthesized app. */
const IGNORED = /(^|\/)(node_modules|cdk\.out|\.git|__pycache__)(\/|$)|\.(swp|tmp)$|~$/;

/** Waits this long after the last change, so that an editor's save (several writes) reloads once. */
const DEBOUNCE_MS = 150;

/** In a checkout of this package, the handler sources of the example app, bundled into assets/ by the build. */
const CHECKOUT_HANDLERS = join(PACKAGE_ROOT, 'lambda-src');
const CHECKOUT_BUNDLER = join(PACKAGE_ROOT, 'build-tools', 'bundle-lambdas.mjs');

function watchedDirectories(source: AppSource): string[] {
  if (source.builtInExample) throw new Error('--watch needs an app to watch: pass --app (the built-in example does not change).');
  const dirs = [source.assemblyDir ?? source.cwd];
  if (source.cwd === join(PACKAGE_ROOT, 'examples') && existsSync(CHECKOUT_BUNDLER)) dirs.push(CHECKOUT_HANDLERS);
  return dirs;
}

async function bundleCheckoutHandlers(): Promise<void> {
  const child = spawn(process.execPath, [CHECKOUT_BUNDLER], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`Bundling lambda-src/ failed (exit code ${code}):\n${errors}`);
}

/** Reloads the session (re-bundling lambda-src/ first when it changed) and reports the outcome. */
async function reload(session: LocalSession, changedHandlers: boolean): Promise<void> {
  const started = Date.now();
  try {
    if (changedHandlers) await bundleCheckoutHandlers();
    const report = await session.reload();
    const created = report.emulated.length > 0 ? `; newly emulated: ${report.emulated.join(', ')}` : '';
    process.stdout.write(`Reloaded ${session.source.description} in ${Date.now() - started} ms${created}\n`);
  } catch (error) {
    process.stderr.write(`Reload failed; still serving the last good version:\n${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/**
 * `--watch`: reloads on every change of the app's directory (and, in a checkout of this package, of lambda-src/, which
 * is re-bundled first). Reloads run one at a time; changes during one trigger one more. Returns a function that stops.
 */
export function watchApp(session: LocalSession): () => void {
  const dirs = watchedDirectories(session.source);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let pending = false;
  let handlersChanged = false;
  const run = () => {
    if (running) {
      pending = true;
      return;
    }
    const bundle = handlersChanged;
    handlersChanged = false;
    running = reload(session, bundle).finally(() => {
      running = undefined;
      if (pending) {
        pending = false;
        run();
      }
    });
  };
  const watchers: FSWatcher[] = dirs.map((dir) => watch(dir, { recursive: true }, (_event, file) => {
    if (!file || IGNORED.test(String(file))) return;
    if (dir === CHECKOUT_HANDLERS) handlersChanged = true;
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }));
  process.stdout.write(`Watching ${dirs.join(', ')} for changes.\n`);
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}

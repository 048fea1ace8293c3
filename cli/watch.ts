import { spawn } from 'node:child_process';
import { FSWatcher, existsSync, rmSync, watch } from 'node:fs';
import { join } from 'node:path';
import { ApiDocs } from './api-docs';
import { RestApiChoice, apiLabel } from './api-selection';
import { AppSource, PACKAGE_ROOT, readStack } from './assembly';
import { createEmulatedResources } from './emulated-resources';
import { LocalAuthorizer } from './local-auth';
import { LocalGateway, PreparedApi } from './local-gateway';
import { RestApiDefinition, readRestApi } from './rest-api';
import { ResolutionContext } from './template';
import { WarmSynthesizer } from './warm-synthesizer';
import { openApiDocument } from '../lib/private/openapi';

/** Changes under these names never change the synthesized app. */
const IGNORED = /(^|\/)(node_modules|cdk\.out|\.git|__pycache__)(\/|$)|\.(swp|tmp)$|~$/;

/** Waits this long after the last change, so that an editor's save (several writes) reloads once. */
const DEBOUNCE_MS = 150;

/** One REST API local mode serves: which one, what it serves now, its gateway and API reference. */
export interface ServedApi {
  readonly choice: RestApiChoice;
  definition: RestApiDefinition;
  readonly gateway: LocalGateway;
  readonly docs: ApiDocs;
  readonly url: string;
}

/** What a reload needs: the app, the running gateways and the emulator state they keep. */
export interface WatchTarget {
  readonly source: AppSource;
  /** Synthesizes the app again (in its kept process when it could be kept). */
  readonly synthesizer: WarmSynthesizer;
  readonly stackName: string;
  readonly motoEndpoint: string;
  readonly context: ResolutionContext;
  readonly apis: ServedApi[];
  readonly sharedEnvironment: Record<string, string>;
  readonly authorizer?: LocalAuthorizer;
  /** The assembly directory now served; replaced (and the previous one removed) after each good reload. */
  assemblyDir?: string;
}

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

/** Puts back the environment variables as they were before a failed reload set the new functions' own. */
function restoreEnvironment(saved: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
}

/**
 * Loads the new definition of every API, then switches them all at once; when one fails to load, none switches (no API
 * serves the new version beside another serving the old one) and the error is thrown.
 */
async function switchAll(target: WatchTarget, definitions: RestApiDefinition[], documents: object[]): Promise<void> {
  const savedEnvironment = { ...process.env };
  const prepared: PreparedApi[] = [];
  try {
    for (const [index, api] of target.apis.entries()) prepared.push(await api.gateway.prepare(definitions[index], target.sharedEnvironment));
  } catch (error) {
    restoreEnvironment(savedEnvironment);
    throw error;
  }
  // Synchronous from here: no request is handled between the first switch and the last.
  for (const [index, api] of target.apis.entries()) {
    api.gateway.serve(prepared[index]);
    api.definition = definitions[index];
    api.docs.update(documents[index]);
  }
}

/**
 * Re-synthesizes and switches every API to the new routes and handlers, all or none; moto, its data and the emulated
 * resources stay.
 */
async function reload(target: WatchTarget, changedHandlers: boolean): Promise<void> {
  const started = Date.now();
  let assemblyDir: string | undefined;
  try {
    if (changedHandlers) await bundleCheckoutHandlers();
    assemblyDir = await target.synthesizer.synthesize();
    const stack = readStack(assemblyDir, target.stackName);
    const missing = target.apis.filter((api) => stack.template.Resources[api.choice.logicalId]?.Type !== 'AWS::ApiGateway::RestApi');
    if (missing.length > 0) throw new Error(`Stack ${stack.stackName} has no REST API ${missing.map((api) => apiLabel(api.choice)).join(', ')} any more.`);
    // Resources already emulated keep their data; only new ones are created.
    const report = await createEmulatedResources(target.motoEndpoint, stack.template, target.context);
    const definitions = target.apis.map((api) => readRestApi(stack.template, api.choice.logicalId, assemblyDir!, target.context));
    const documents = target.apis.map((api) => openApiDocument(stack.template, { restApiLogicalId: api.choice.logicalId, region: stack.region }));
    for (const definition of definitions) await target.authorizer?.prepare(definition);
    await switchAll(target, definitions, documents);
    if (target.assemblyDir && target.assemblyDir !== target.source.assemblyDir) rmSync(target.assemblyDir, { recursive: true, force: true });
    target.assemblyDir = assemblyDir;
    const created = report.emulated.length > 0 ? `; newly emulated: ${report.emulated.join(', ')}` : '';
    process.stdout.write(`Reloaded ${target.source.description} in ${Date.now() - started} ms${created}\n`);
  } catch (error) {
    if (assemblyDir && assemblyDir !== target.source.assemblyDir) rmSync(assemblyDir, { recursive: true, force: true });
    process.stderr.write(`Reload failed; still serving the last good version:\n${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/**
 * `--watch`: reloads on every change of the app's directory (and, in a checkout of this package, of lambda-src/, which
 * is re-bundled first). Reloads run one at a time; changes during one trigger one more. Returns a function that stops.
 */
export function watchApp(target: WatchTarget): () => void {
  const dirs = watchedDirectories(target.source);
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
    running = reload(target, bundle).finally(() => {
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

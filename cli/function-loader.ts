import { existsSync, readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installRuntimePackage, runtimeSdkCacheDir } from './runtime-sdk-cache';

/**
 * Packages the Lambda Node.js runtimes provide to every function (the AWS SDK for JavaScript v3 and the Smithy
 * packages it is built from), so function code does not bundle them.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included
 */
const RUNTIME_PROVIDED = /^@(aws-sdk|smithy)\//;

let sdkRoots: string[] = [];
let hooksInstalled = false;
/** Set while a fallback resolves: `createRequire().resolve` runs the hooks again, which must not fall back again. */
let fallingBack = false;

/**
 * Makes `@aws-sdk/*` resolvable from function code that does not bundle it, as the Lambda runtime does: a
 * specifier the code's own folders do not resolve is resolved from each of `roots` in turn (the app's folder, then
 * this package), then from the runtime SDK cache, where it is installed once when it is missing there too.
 * Applies to `require` and `import` alike (synchronous module hooks, Node.js 22.15 and later).
 */
export function provideRuntimeSdk(roots: string[]): void {
  sdkRoots = roots;
  if (hooksInstalled) return;
  hooksInstalled = true;
  if (typeof nodeModule.registerHooks !== 'function') return provideRuntimeSdkToRequire();
  nodeModule.registerHooks({ resolve: resolveWithRuntimeSdk });
}

/** The module resolution hook of `provideRuntimeSdk`: the next hook's answer, else the runtime-provided fallback. */
export const resolveWithRuntimeSdk: nodeModule.ResolveHookSync = (specifier, context, nextResolve) => {
  try {
    return nextResolve(specifier, context);
  } catch (error) {
    if (!RUNTIME_PROVIDED.test(specifier)) throw error;
    return resolveRuntimeProvided(specifier, error, (root) => {
      const parent = join(root, 'package.json');
      // `require` resolves against the requiring module's folders, whatever the hook's parentURL says.
      return context.conditions?.includes('require')
        ? { url: pathToFileURL(nodeModule.createRequire(parent).resolve(specifier)).href, shortCircuit: true }
        : nextResolve(specifier, { ...context, parentURL: pathToFileURL(parent).href });
    });
  }
};

/** Before Node.js 22.15 (no synchronous hooks): the same fallback for `require` only. */
function provideRuntimeSdkToRequire(): void {
  const loader = nodeModule.Module as unknown as { _resolveFilename: ResolveFilename };
  loader._resolveFilename = withRuntimeSdkFallback(loader._resolveFilename);
}

/** `Module._resolveFilename`, which resolves a `require` to a file name. */
type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;

/** `resolveFilename` with the runtime-provided fallback of `provideRuntimeSdk` for what it does not resolve. */
export function withRuntimeSdkFallback(resolveFilename: ResolveFilename): ResolveFilename {
  return function resolveWithRuntimeSdkFallback(request, ...rest) {
    try {
      return resolveFilename.call(this, request, ...rest);
    } catch (error) {
      if (!RUNTIME_PROVIDED.test(request)) throw error;
      return resolveRuntimeProvided(request, error, (root) => require.resolve(request, { paths: [root] }));
    }
  };
}

/**
 * Resolves a runtime-provided specifier with `resolveIn` from each root, then from the runtime SDK cache, installing
 * the package there when no root has it. Throws `notFound` when even the installed package does not resolve
 * (e.g. a subpath the package does not export).
 */
function resolveRuntimeProvided<T>(specifier: string, notFound: unknown, resolveIn: (root: string) => T): T {
  if (fallingBack) throw notFound;
  fallingBack = true;
  try {
    return resolveFromRootsOrCache(specifier, notFound, resolveIn);
  } finally {
    fallingBack = false;
  }
}

function resolveFromRootsOrCache<T>(specifier: string, notFound: unknown, resolveIn: (root: string) => T): T {
  const cacheDir = runtimeSdkCacheDir();
  for (const root of [...sdkRoots, cacheDir]) {
    try {
      return resolveIn(root);
    } catch {
      // Not installed under this root: try the next.
    }
  }
  installRuntimePackage(specifier, cacheDir);
  try {
    return resolveIn(cacheDir);
  } catch {
    throw notFound;
  }
}

/** Whether Node.js loads the file as an ES module: `.mjs`, or `.js` under a package.json with `"type": "module"`. */
export function isEsModule(path: string): boolean {
  const extension = extname(path);
  if (extension === '.mjs') return true;
  if (extension === '.cjs') return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
    if (dirname(dir) === dir) return false;
  }
}

/**
 * Loads a handler module as the Lambda Node.js runtime does: ES modules with `import()` (so top-level await runs to
 * completion before the first event), CommonJS with `require`. Resolves with the exported function.
 */
export async function loadHandlerModule(modulePath: string, exportName: string): Promise<unknown> {
  if (isEsModule(modulePath)) {
    const namespace = await import(pathToFileURL(modulePath).href);
    return namespace[exportName];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(modulePath)[exportName];
}

import childProcess from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as functionLoader from '../../cli/function-loader';
import { offlineNpm } from '../harness/isolated-node';

/**
 * How local mode loads function code as the Lambda Node.js runtime does: ES module or CommonJS, the handler `file.export`,
 * and the AWS SDK v3 the runtime provides to code that does not bundle it
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included, docs/local-mode.md).
 * In this process; test/cli/runtime-sdk.emulator.test.ts installs the SDK in a fresh Node.js process.
 */

const { isEsModule, loadHandlerModule, provideRuntimeSdk, resolveWithRuntimeSdk, withRuntimeSdkFallback } = functionLoader;

let work: string;
const saved = { ...process.env };

// Jest refuses module.registerHooks (the hooks would attach to the loader running Jest, not to the test's require):
// the hook is called directly here, with a stand-in for the next hook, and a real process runs it in
// test/cli/runtime-sdk.emulator.test.ts.
const registerHooks = jest.spyOn(nodeModule, 'registerHooks').mockImplementation(() => ({ deregister: () => undefined }) as nodeModule.ModuleHooks);

// npm runs in a child process, which Jest's process.env does not reach: it is given this test's environment.
const execFileSync = childProcess.execFileSync;
const withTestEnvironment = (file: string, args: string[], options: childProcess.ExecFileSyncOptions) =>
  execFileSync(file, args, { ...options, env: { ...process.env } });
jest.spyOn(childProcess, 'execFileSync').mockImplementation(withTestEnvironment as typeof execFileSync);

/**
 * A stand-in npm: `npm install --prefix DIR ... NAME@RANGE` installs a package NAME at version 3.1.0 that exports only
 * its main entry, so an install succeeds without the registry.
 */
const FAKE_NPM = `#!/bin/sh
prefix=""; last=""
while [ $# -gt 0 ]; do case "$1" in --prefix) prefix="$2"; shift;; *) last="$1";; esac; shift; done
name="\${last%@*}"
mkdir -p "$prefix/node_modules/$name"
printf '{"name":"%s","version":"3.1.0","exports":{".":"./index.js"}}' "$name" > "$prefix/node_modules/$name/package.json"
: > "$prefix/node_modules/$name/index.js"
`;
let fakeNpmPath: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'function-loader-'));
  // The runtime SDK cache lives under XDG_CACHE_HOME; npm is offline, so a package found nowhere fails its install fast.
  Object.assign(process.env, { XDG_CACHE_HOME: join(work, 'cache-home') }, offlineNpm());
  const bin = mkdtempSync(join(work, 'bin-'));
  writeFileSync(join(bin, 'npm'), FAKE_NPM);
  chmodSync(join(bin, 'npm'), 0o755);
  fakeNpmPath = `${bin}:${process.env.PATH}`;
});

afterAll(() => {
  process.env = saved;
  rmSync(work, { recursive: true, force: true });
});

/** Writes `files` (path relative to `dir` -> content) and returns `dir`. */
function tree(dir: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** A folder with `name` installed in its node_modules; returns the file `name` resolves to. */
function installed(root: string, name: string): string {
  tree(root, { [`node_modules/${name}/package.json`]: JSON.stringify({ name, main: 'index.js' }), [`node_modules/${name}/index.js`]: '' });
  return join(root, 'node_modules', name, 'index.js');
}

describe('ES module or CommonJS (Node.js rules, which the Lambda runtime follows)', () => {
  // https://nodejs.org/api/packages.html#determining-module-system: .mjs is always an ES module, .cjs always CommonJS,
  // .js follows the "type" of the nearest parent package.json (CommonJS without one or without "type").
  test.each([
    ['index.mjs under "type": "commonjs"', { 'package.json': '{"type":"commonjs"}', 'fn/index.mjs': '' }, 'fn/index.mjs', true],
    ['index.cjs under "type": "module"', { 'package.json': '{"type":"module"}', 'fn/index.cjs': '' }, 'fn/index.cjs', false],
    ['index.cjs under no "type"', { 'package.json': '{}', 'fn/index.cjs': '' }, 'fn/index.cjs', false],
    ['index.js under "type": "module"', { 'package.json': '{"type":"module"}', 'fn/index.js': '' }, 'fn/index.js', true],
    ['index.js under "type": "commonjs"', { 'package.json': '{"type":"commonjs"}', 'fn/index.js': '' }, 'fn/index.js', false],
    ['index.js whose nearest package.json has no "type", under a "type": "module" one',
      { 'package.json': '{"type":"module"}', 'fn/package.json': '{}', 'fn/index.js': '' }, 'fn/index.js', false],
    ['index.js whose nearest package.json says module, under a CommonJS one',
      { 'package.json': '{}', 'fn/package.json': '{"type":"module"}', 'fn/index.js': '' }, 'fn/index.js', true],
    ['index.js with no package.json up to the root', { 'fn/index.js': '' }, 'fn/index.js', false],
  ])('%s', (_case, files, file, esModule) => {
    const dir = tree(mkdtempSync(join(work, 'module-system-')), files);
    expect(isEsModule(join(dir, file))).toBe(esModule);
  });
});

describe('the handler `file.export` of a CommonJS function', () => {
  // "index.handler" is the handler function exported from index.js
  // (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html#nodejs-handler-naming).
  test('resolves with the named export of the module, not another one', async () => {
    const dir = tree(mkdtempSync(join(work, 'cjs-')), {
      'package.json': '{}',
      'index.js': 'exports.handler = function handler() { return "handler"; }; exports.other = function other() { return "other"; };',
    });
    const handler = await loadHandlerModule(join(dir, 'index.js'), 'handler') as () => string;
    expect(handler()).toBe('handler');
    const other = await loadHandlerModule(join(dir, 'index.js'), 'other') as () => string;
    expect(other()).toBe('other');
    expect(await loadHandlerModule(join(dir, 'index.js'), 'missing')).toBeUndefined();
  });
});

/** A module the app's function folder cannot resolve: its folders have no node_modules. */
function appFunction(): string {
  const app = mkdtempSync(join(work, 'app-'));
  tree(app, { 'package.json': '{}', 'function/index.mjs': '' });
  return join(app, 'function', 'index.mjs');
}

/** Node.js's own module functions (Jest's node:module extends them; its createRequire is Jest's, which caches what it did not find). */
const node = Object.getPrototypeOf(nodeModule.Module) as typeof nodeModule;

/** Node.js's own resolution from `context.parentURL`, as the next (default) resolve hook does it. */
function nodeResolve(specifier: string, context?: Partial<nodeModule.ResolveHookContext>): nodeModule.ResolveFnOutput {
  return { url: pathToFileURL(node.createRequire(fileURLToPath(context!.parentURL!)).resolve(specifier)).href, shortCircuit: true };
}

describe('the AWS SDK the Lambda runtime provides, for code that does not bundle it', () => {
  const requireContext = (parent: string) => ({ conditions: ['node', 'require'], importAttributes: {}, parentURL: pathToFileURL(parent).href });
  const importContext = (parent: string) => ({ conditions: ['node', 'import'], importAttributes: {}, parentURL: pathToFileURL(parent).href });

  test('what the function resolves itself is left as it is', () => {
    const fn = appFunction();
    const own = installed(join(fn, '..'), '@aws-sdk/client-own');
    const root = mkdtempSync(join(work, 'root-'));
    installed(root, '@aws-sdk/client-own');
    provideRuntimeSdk([root]);
    expect(resolveWithRuntimeSdk('@aws-sdk/client-own', requireContext(fn), nodeResolve).url).toBe(pathToFileURL(own).href);
  });

  test('a require of @aws-sdk/* or @smithy/* that fails is resolved from the first root that has it', () => {
    const [app, pkg] = [mkdtempSync(join(work, 'root-app-')), mkdtempSync(join(work, 'root-pkg-'))];
    const fromPackage = installed(pkg, '@aws-sdk/client-sqs');
    const fromApp = installed(app, '@smithy/types');
    installed(pkg, '@smithy/types');
    provideRuntimeSdk([app, pkg]);
    const fn = appFunction();
    expect(resolveWithRuntimeSdk('@aws-sdk/client-sqs', requireContext(fn), nodeResolve))
      .toEqual({ url: pathToFileURL(fromPackage).href, shortCircuit: true });
    expect(resolveWithRuntimeSdk('@smithy/types', requireContext(fn), nodeResolve).url).toBe(pathToFileURL(fromApp).href);
  });

  test('an import is resolved by the next hook again, from the root\'s package.json', () => {
    const root = mkdtempSync(join(work, 'root-'));
    const file = installed(root, '@aws-sdk/client-sns');
    provideRuntimeSdk([root]);
    const fn = appFunction();
    const parents: string[] = [];
    const next = (specifier: string, context?: Partial<nodeModule.ResolveHookContext>) => {
      parents.push(context!.parentURL!);
      return nodeResolve(specifier, context);
    };
    expect(resolveWithRuntimeSdk('@aws-sdk/client-sns', importContext(fn), next).url).toBe(pathToFileURL(file).href);
    expect(parents).toEqual([pathToFileURL(fn).href, pathToFileURL(join(root, 'package.json')).href]);
    // A hook context without conditions is an import's.
    const { conditions: _none, ...bare } = importContext(fn);
    expect(resolveWithRuntimeSdk('@aws-sdk/client-sns', bare as nodeModule.ResolveHookContext, nodeResolve).url).toBe(pathToFileURL(file).href);
  });

  test('a package no root has is resolved from the runtime SDK cache', () => {
    const cached = installed(join(process.env.XDG_CACHE_HOME!, 'cdk-secure-serverless', 'runtime-sdk'), '@aws-sdk/client-kms');
    provideRuntimeSdk([mkdtempSync(join(work, 'root-'))]);
    expect(resolveWithRuntimeSdk('@aws-sdk/client-kms', requireContext(appFunction()), nodeResolve).url).toBe(pathToFileURL(cached).href);
  });

  test('a package found nowhere is installed into the cache and resolved from there', () => {
    const path = process.env.PATH;
    process.env.PATH = fakeNpmPath;
    try {
      provideRuntimeSdk([mkdtempSync(join(work, 'root-'))]);
      const cacheDir = join(process.env.XDG_CACHE_HOME!, 'cdk-secure-serverless', 'runtime-sdk');
      // An import: resolved again by the next hook (Node.js's), from the cache.
      expect(resolveWithRuntimeSdk('@aws-sdk/client-installed', importContext(appFunction()), nodeResolve).url)
        .toBe(pathToFileURL(join(cacheDir, 'node_modules', '@aws-sdk', 'client-installed', 'index.js')).href);
      // A subpath the installed package does not export: Node.js's own error, as without the fallback.
      const fn = appFunction();
      const errors: unknown[] = [];
      const next = (specifier: string, context?: Partial<nodeModule.ResolveHookContext>) => {
        try {
          return nodeResolve(specifier, context);
        } catch (error) {
          errors.push(error);
          throw error;
        }
      };
      let thrown: unknown;
      try {
        resolveWithRuntimeSdk('@aws-sdk/client-subpath/dist-cjs/internal', importContext(fn), next);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBe(errors[0]);
    } finally {
      process.env.PATH = path;
    }
  });

  test('an install that fails (offline) names the package and the fix', () => {
    provideRuntimeSdk([mkdtempSync(join(work, 'root-'))]);
    expect(() => resolveWithRuntimeSdk('@aws-sdk/client-nowhere', requireContext(appFunction()), nodeResolve))
      .toThrow(/^Local mode cannot provide @aws-sdk\/client-nowhere, .*ENOTCACHED.*npm i -D @aws-sdk\/client-nowhere/);
  });

  test('any other package that fails keeps its own error: the runtime provides only the SDK', () => {
    const root = mkdtempSync(join(work, 'root-'));
    installed(root, 'left-pad');
    installed(root, 'aws-sdk');
    provideRuntimeSdk([root]);
    const fn = appFunction();
    const own = new Error('Cannot find module');
    const notFound = () => {
      throw own;
    };
    for (const specifier of ['left-pad', 'aws-sdk', 'x/@aws-sdk/client-s3']) {
      expect(() => resolveWithRuntimeSdk(specifier, requireContext(fn), notFound)).toThrow(own);
      expect(() => withRuntimeSdkFallback(notFound)(specifier)).toThrow(own);
    }
  });

  test('a resolution made while falling back does not fall back again; the next one does', () => {
    const root = mkdtempSync(join(work, 'root-'));
    const file = installed(root, '@aws-sdk/client-sts');
    provideRuntimeSdk([root]);
    const fn = appFunction();
    const inner: unknown[] = [];
    // The fallback's own resolution runs the hooks again (createRequire().resolve does): here, for a package found nowhere.
    const reentrant = (specifier: string, context?: Partial<nodeModule.ResolveHookContext>) => {
      if (context?.parentURL !== pathToFileURL(fn).href) {
        try {
          resolveWithRuntimeSdk('@aws-sdk/client-nowhere', importContext(fn), nodeResolve);
        } catch (error) {
          inner.push(error);
        }
      }
      return nodeResolve(specifier, context);
    };
    expect(resolveWithRuntimeSdk('@aws-sdk/client-sts', importContext(fn), reentrant).url).toBe(pathToFileURL(file).href);
    // The inner resolution threw Node.js's own "not found", without searching the roots or installing.
    expect(inner).toHaveLength(1);
    expect((inner[0] as NodeJS.ErrnoException).code).toBe('MODULE_NOT_FOUND');
    expect(resolveWithRuntimeSdk('@aws-sdk/client-sts', requireContext(fn), nodeResolve).url).toBe(pathToFileURL(file).href);
  });

  test('without synchronous hooks (Node.js before 22.15), `require` falls back the same way', () => {
    const root = mkdtempSync(join(work, 'root-'));
    const file = installed(root, '@aws-sdk/client-only-in-root');
    provideRuntimeSdk([root]);
    const notFound = Object.assign(new Error('not found'), { code: 'MODULE_NOT_FOUND' });
    const resolveFilename = withRuntimeSdkFallback((request) => {
      if (request === 'resolvable') return '/resolved';
      throw notFound;
    });
    expect(resolveFilename('resolvable')).toBe('/resolved');
    expect(resolveFilename('@aws-sdk/client-only-in-root')).toBe(file);
    expect(() => resolveFilename('left-pad')).toThrow(notFound);
  });

  test('provideRuntimeSdk installs its hook once, and a later call changes the roots it searches', () => {
    const [first, second] = [mkdtempSync(join(work, 'root-')), mkdtempSync(join(work, 'root-'))];
    installed(first, '@aws-sdk/client-first');
    const file = installed(second, '@aws-sdk/client-second');
    jest.isolateModules(() => {
      // A fresh copy of the module, which has installed no hook yet.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh: typeof functionLoader = require('../../cli/function-loader');
      fresh.provideRuntimeSdk([first]);
      fresh.provideRuntimeSdk([second]);
      expect(registerHooks.mock.calls).toEqual([[{ resolve: fresh.resolveWithRuntimeSdk }]]);
      const fn = appFunction();
      expect(fresh.resolveWithRuntimeSdk('@aws-sdk/client-second', requireContext(fn), nodeResolve).url).toBe(pathToFileURL(file).href);
      expect(() => fresh.resolveWithRuntimeSdk('@aws-sdk/client-first', requireContext(fn), nodeResolve))
        .toThrow(/^Local mode cannot provide @aws-sdk\/client-first/);
    });
  });

  test('without synchronous hooks (Node.js before 22.15), provideRuntimeSdk adds the fallback to `require`', () => {
    const root = mkdtempSync(join(work, 'root-'));
    const file = installed(root, '@aws-sdk/client-legacy');
    const loader = nodeModule.Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
    const original = loader._resolveFilename;
    const hooks = nodeModule as { registerHooks?: typeof nodeModule.registerHooks };
    const withHooks = hooks.registerHooks;
    delete hooks.registerHooks;
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh: typeof functionLoader = require('../../cli/function-loader');
        fresh.provideRuntimeSdk([root]);
      });
      expect(registerHooks).not.toHaveBeenCalled();
      expect(loader._resolveFilename).not.toBe(original);
      expect(loader._resolveFilename('@aws-sdk/client-legacy', null, false)).toBe(file);
    } finally {
      loader._resolveFilename = original;
      hooks.registerHooks = withHooks;
    }
  });
});

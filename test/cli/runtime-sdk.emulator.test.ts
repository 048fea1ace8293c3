import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineNpm, runIsolatedNode } from '../harness/isolated-node';

// The first test installs @aws-sdk/client-dynamodb into an empty cache folder with npm.
jest.setTimeout(180_000);

const LOADER = join(__dirname, '..', '..', 'lib-cli', 'function-loader.js');
const SDK_NOTES = join(__dirname, '..', 'consumer-app', 'functions', 'sdk-notes');

/**
 * Loads the consumer app's sdk-notes function (it requires @aws-sdk/client-dynamodb, which it does not bundle) in a
 * fresh Node.js process, as local mode does, from an app folder with no node_modules and without this package's
 * own node_modules among the roots: only the runtime SDK cache under `cacheHome` can provide the SDK.
 */
function loadSdkNotes(cacheHome: string, env: NodeJS.ProcessEnv = {}) {
  const app = mkdtempSync(join(tmpdir(), 'runtime-sdk-app-'));
  cpSync(SDK_NOTES, join(app, 'function'), { recursive: true });
  const script = `const loader = require(${JSON.stringify(LOADER)});
loader.provideRuntimeSdk([${JSON.stringify(app)}]);
loader.loadHandlerModule(${JSON.stringify(join(app, 'function', 'index.js'))}, 'handler')
  .then((handler) => console.log('handler is a ' + typeof handler))
  .catch((error) => { console.error(error.message); process.exitCode = 1; });`;
  const run = runIsolatedNode(script, app, cacheHome, env);
  rmSync(app, { recursive: true, force: true });
  return run;
}

describe('local mode provides the AWS SDK v3 the Lambda runtime provides', () => {
  const cacheHome = mkdtempSync(join(tmpdir(), 'runtime-sdk-cache-'));
  const cacheDir = join(cacheHome, 'cdk-secure-serverless', 'runtime-sdk');
  afterAll(() => rmSync(cacheHome, { recursive: true, force: true }));

  test('a package installed nowhere is installed once into the cache, at the runtime\'s major, and the function loads', () => {
    const first = loadSdkNotes(cacheHome);
    expect(first).toMatchObject({ status: 0 });
    expect(first.output).toMatch(/^Installed @aws-sdk\/client-dynamodb@3\.\d+\.\d+; later starts reuse it\.$/m);
    expect(first.output).toContain('handler is a function');
    // nodejs24.x includes the AWS SDK for JavaScript v3
    // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included).
    const manifest = JSON.parse(readFileSync(join(cacheDir, 'node_modules', '@aws-sdk', 'client-dynamodb', 'package.json'), 'utf8'));
    expect(manifest.version.split('.')[0]).toBe('3');
  });

  test('a later start reuses the cache: it loads with npm offline and installs nothing', () => {
    expect(existsSync(join(cacheDir, 'node_modules', '@aws-sdk', 'client-dynamodb'))).toBe(true);
    const again = loadSdkNotes(cacheHome, offlineNpm());
    expect(again).toMatchObject({ status: 0 });
    expect(again.output).toContain('handler is a function');
    expect(again.output).not.toMatch(/Install/);
  });

  test('when the install fails (offline), the error names the package and how to provide it', () => {
    const emptyCacheHome = mkdtempSync(join(tmpdir(), 'runtime-sdk-cache-'));
    try {
      const offline = loadSdkNotes(emptyCacheHome, offlineNpm());
      expect(offline.status).toBe(1);
      expect(offline.output).toMatch(/Local mode cannot provide @aws-sdk\/client-dynamodb, .* failed .*npm i -D @aws-sdk\/client-dynamodb/);
    } finally {
      rmSync(emptyCacheHome, { recursive: true, force: true });
    }
  });
});

import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalProcess, serveLocally, stopLocal, waitForOutput } from '../harness/local-process';

const root = join(__dirname, '..', '..');

/** A CDK app of a table and a function behind a REST API, the way a user's project looks. */
const APP = `
const path = require('node:path');
const cdk = require(${JSON.stringify(join(root, 'node_modules', 'aws-cdk-lib'))});
const app = new cdk.App();
const stack = new cdk.Stack(app, 'watched', { env: { account: '111111111111', region: 'us-east-1' } });
const table = new cdk.aws_dynamodb.Table(stack, 'Notes', { partitionKey: { name: 'id', type: cdk.aws_dynamodb.AttributeType.STRING } });
const fn = new cdk.aws_lambda.Function(stack, 'Fn', {
  runtime: cdk.aws_lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: cdk.aws_lambda.Code.fromAsset(path.join(__dirname, 'handler')),
  environment: { TABLE: table.tableName },
});
const api = new cdk.aws_apigateway.RestApi(stack, 'Api');
api.root.addResource('notes').addResource('{id}').addMethod('ANY', new cdk.aws_apigateway.LambdaIntegration(fn));
app.synth();
`;

/** A handler that stores and reads notes in the emulated table (DynamoDB's JSON API, no SDK needed). */
const handler = (version: string) => `
const call = (operation, body) => fetch(process.env.AWS_ENDPOINT_URL, {
  method: 'POST',
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.' + operation,
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/' + process.env.AWS_REGION + '/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  },
  body: JSON.stringify(body),
}).then((response) => response.json());
exports.handler = async (event) => {
  const key = { id: { S: event.pathParameters.id } };
  if (event.httpMethod === 'PUT') {
    await call('PutItem', { TableName: process.env.TABLE, Item: { ...key, text: { S: event.body } } });
    return { statusCode: 204 };
  }
  const { Item } = await call('GetItem', { TableName: process.env.TABLE, Key: key });
  return { statusCode: 200, body: JSON.stringify({ version: '${version}', text: Item ? Item.text.S : null }) };
};
`;

/** Writes `files` into a new app folder and starts `local --watch` on it with `args`; resolves once it watches. */
async function watchNewApp(prefix: string, files: Record<string, string>, args: string[] = [], env = process.env) {
  const appDir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(appDir, name)), { recursive: true });
    writeFileSync(join(appDir, name), content);
  }
  const { local, url } = await serveLocally(['--app', appDir, '--watch', ...args], { ready: /Watching .* for changes\./, env });
  return { appDir, local, url };
}

describe('local --watch', () => {
  let appDir: string;
  let tempDir: string;
  let local: LocalProcess;
  let url: string;

  beforeAll(async () => {
    // Its own temporary folder, so the test sees every cloud assembly local mode leaves behind.
    tempDir = mkdtempSync(join(tmpdir(), 'watch-temp-'));
    ({ appDir, local, url } = await watchNewApp('watched-app-', {
      'app.js': APP, 'handler/index.js': handler('v1'), 'cdk.json': JSON.stringify({ app: 'node app.js' }),
    }, [], { ...process.env, TMPDIR: tempDir }));
  }, 120_000);

  afterAll(async () => {
    await stopLocal(local);
    rmSync(appDir, { recursive: true, force: true });
    rmSync(tempDir, { recursive: true, force: true });
  });

  const reloads = () => local.output().match(/Reloaded .* in \d+ ms/g)?.length ?? 0;

  async function waitForReload(count: number): Promise<number> {
    const pattern = new RegExp(`(?:[\\s\\S]*?Reloaded .* in (\\d+) ms){${count}}`);
    return Number((await waitForOutput(local, pattern, 30_000))[1]);
  }

  test('an edited handler serves its new behaviour with the data stored before the edit', async () => {
    expect((await fetch(`${url}/notes/a`, { method: 'PUT', body: 'kept across reloads' })).status).toBe(204);
    expect(await (await fetch(`${url}/notes/a`)).json()).toEqual({ version: 'v1', text: 'kept across reloads' });

    const before = reloads();
    writeFileSync(join(appDir, 'handler', 'index.js'), handler('v2'));
    const ms = await waitForReload(before + 1);
    expect(ms).toBeGreaterThan(0);
    expect(await (await fetch(`${url}/notes/a`)).json()).toEqual({ version: 'v2', text: 'kept across reloads' });
  });

  test('a broken edit prints the error and keeps serving the last good version', async () => {
    const failuresBefore = local.output().split('Reload failed').length;
    writeFileSync(join(appDir, 'app.js'), `${APP}\nthis is not JavaScript(`);
    await waitForOutput(local, new RegExp(`(?:[\\s\\S]*?Reload failed; still serving the last good version:){${failuresBefore}}[\\s\\S]*SyntaxError`), 30_000);
    expect(await (await fetch(`${url}/notes/a`)).json()).toEqual({ version: 'v2', text: 'kept across reloads' });
    // Only the assembly being served is left: the failed synthesis removed its own.
    expect(readdirSync(tempDir).filter((name) => name.startsWith('cdk-secure-serverless-local-'))).toHaveLength(1);

    // Fixing it reloads again.
    const before = reloads();
    writeFileSync(join(appDir, 'app.js'), APP);
    await waitForReload(before + 1);
    expect((await fetch(`${url}/notes/a`)).status).toBe(200);
  });
});

/**
 * Two REST APIs in one stack, each with an inline function that reads its version at initialisation; `backCode`
 * replaces the back API's function (e.g. with one that fails to load).
 */
const VERSION_HANDLER = 'const version = process.env.VERSION; exports.handler = async () => ({ statusCode: 200, body: version });';
const twoApis = (version: string, backCode = VERSION_HANDLER) => `
const cdk = require(${JSON.stringify(join(root, 'node_modules', 'aws-cdk-lib'))});
const app = new cdk.App();
const stack = new cdk.Stack(app, 'two-apis', { env: { account: '111111111111', region: 'us-east-1' } });
const serve = (name, code) => {
  const fn = new cdk.aws_lambda.Function(stack, name + 'Fn', {
    runtime: cdk.aws_lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: cdk.aws_lambda.Code.fromInline(code), environment: { VERSION: '${version}' },
  });
  new cdk.aws_apigateway.RestApi(stack, name + 'Api').root.addResource('version').addMethod('GET', new cdk.aws_apigateway.LambdaIntegration(fn));
};
serve('Front', ${JSON.stringify(VERSION_HANDLER)});
serve('Back', ${JSON.stringify(backCode)});
app.synth();
`;

describe('local --watch with two REST APIs', () => {
  let appDir: string;
  let local: LocalProcess;
  let urls: { front: string; back: string };

  beforeAll(async () => {
    ({ appDir, local } = await watchNewApp('watched-apis-', { 'app.js': twoApis('v1'), 'cdk.json': JSON.stringify({ app: 'node app.js' }) }, ['--no-auth']));
    const urlOf = (name: string) => new RegExp(`/${name}Api/Resource \\(\\w+\\) on (\\S+?)[,\\n]`).exec(local.output())![1];
    urls = { front: urlOf('Front'), back: urlOf('Back') };
  }, 120_000);

  afterAll(async () => {
    await stopLocal(local);
    rmSync(appDir, { recursive: true, force: true });
  });

  const versions = async () => ({
    front: await (await fetch(`${urls.front}/version`)).text(),
    back: await (await fetch(`${urls.back}/version`)).text(),
  });

  test('an edit that breaks one API reloads none: both keep serving the previous version, and the error is printed', async () => {
    expect(await versions()).toEqual({ front: 'v1', back: 'v1' });
    // The front API comes first in the template, so a reload that switched API by API would have switched it already.
    writeFileSync(join(appDir, 'app.js'), twoApis('v2', 'throw new Error("the back end fails to load");'));
    await waitForOutput(local, /Reload failed; still serving the last good version:\n.*the back end fails to load/, 30_000);
    expect(await versions()).toEqual({ front: 'v1', back: 'v1' });

    // Once both load, both switch.
    writeFileSync(join(appDir, 'app.js'), twoApis('v3'));
    await waitForOutput(local, /Reloaded .* in \d+ ms/, 30_000);
    expect(await versions()).toEqual({ front: 'v3', back: 'v3' });
  });
});

/**
 * An app split into modules, as `cdk init` lays one out: the main module only runs when it is the main module and leaves
 * synthesis to aws-cdk-lib's App (no `app.synth()`); the stack module builds the API. The function answers with the
 * greeting of the stack module and the id of the process that synthesized it.
 */
const SPLIT_MAIN = `
const cdk = require(${JSON.stringify(join(root, 'node_modules', 'aws-cdk-lib'))});
const { build } = require('./stack');
if (require.main === module) build(new cdk.App());
`;
const splitStack = (greeting: string) => `
const cdk = require(${JSON.stringify(join(root, 'node_modules', 'aws-cdk-lib'))});
exports.build = (app) => {
  const stack = new cdk.Stack(app, 'split', { env: { account: '111111111111', region: 'us-east-1' } });
  const fn = new cdk.aws_lambda.Function(stack, 'Fn', {
    runtime: cdk.aws_lambda.Runtime.NODEJS_22_X, handler: 'index.handler',
    code: cdk.aws_lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: process.env.GREETING + " " + process.env.SYNTHESIZED_BY });'),
    environment: { GREETING: '${greeting}', SYNTHESIZED_BY: String(process.pid) },
  });
  new cdk.aws_apigateway.RestApi(stack, 'Api').root.addResource('greeting').addMethod('GET', new cdk.aws_apigateway.LambdaIntegration(fn));
};
`;

describe('local --watch keeps the app\'s process for the reloads', () => {
  let appDir: string;
  let local: LocalProcess;
  let url: string;

  beforeAll(async () => {
    ({ appDir, local, url } = await watchNewApp('watched-split-', {
      'app.js': SPLIT_MAIN, 'stack.js': splitStack('hello'), 'cdk.json': JSON.stringify({ app: 'node app.js' }),
    }, ['--no-auth']));
  }, 120_000);

  afterAll(async () => {
    await stopLocal(local);
    rmSync(appDir, { recursive: true, force: true });
  });

  test('an edit of a module the main module requires is synthesized by the process that synthesized the app at start', async () => {
    const [greeting, startPid] = (await (await fetch(`${url}/greeting`)).text()).split(' ');
    expect(greeting).toBe('hello');
    writeFileSync(join(appDir, 'stack.js'), splitStack('bonjour'));
    await waitForOutput(local, /Reloaded .* in \d+ ms/, 30_000);
    expect(await (await fetch(`${url}/greeting`)).text()).toBe(`bonjour ${startPid}`);
  });
});

/**
 * A clone of this repository as local mode sees one, in a temporary directory so that its lambda-src/ can be edited
 * while other suites run: the sources, the bundles and the compiled library and command are copied, node_modules and .venv linked.
 */
function temporaryClone(): string {
  const clone = mkdtempSync(join(tmpdir(), 'watched-clone-'));
  for (const path of ['package.json', 'bin', 'lib', 'lib-cli', 'assets', 'build-tools', 'lambda-src', 'src/contract']) {
    cpSync(join(root, path), join(clone, path), { recursive: true });
  }
  cpSync(join(root, 'examples'), join(clone, 'examples'), { recursive: true, filter: (source) => !/[/\\](node_modules|cdk\.out)$/.test(source) });
  for (const path of ['node_modules', '.venv']) symlinkSync(join(root, path), join(clone, path));
  // The example app imports the package by name, resolved to the clone (as `npx projen example:link` does).
  mkdirSync(join(clone, 'examples', 'node_modules'));
  symlinkSync('../..', join(clone, 'examples', 'node_modules', 'cdk-secure-serverless'));
  return clone;
}

// docs/local-mode.md, --watch: "in a clone of this repository also lambda-src/, which is re-bundled first".
describe('local --watch in a clone of this repository', () => {
  let clone: string;
  let local: LocalProcess;
  let url: string;
  const routes = () => join(clone, 'lambda-src', 'items', 'routes.ts');

  beforeAll(async () => {
    clone = temporaryClone();
    ({ local, url } = await serveLocally(['--no-auth', '--watch'], { ready: /Watching .*lambda-src for changes\./, timeoutMs: 170_000, checkout: clone }));
  }, 180_000);

  afterAll(async () => {
    await stopLocal(local);
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  test('an edit of the items handler under lambda-src/ is re-bundled and served', async () => {
    const before = await fetch(`${url}/items/absent`);
    expect(before.status).toBe(404);
    expect((await before.json() as any).error.message).toBe('No item with this id.');

    const source = readFileSync(routes(), 'utf8');
    expect(source).toContain("'No item with this id.'");
    writeFileSync(routes(), source.replace("'No item with this id.'", "'No item with this id (edited).'"));
    await waitForOutput(local, /Reloaded .* in \d+ ms/, 120_000);
    const after = await fetch(`${url}/items/absent`);
    expect(after.status).toBe(404);
    expect((await after.json() as any).error.message).toBe('No item with this id (edited).');
  }, 150_000);
});

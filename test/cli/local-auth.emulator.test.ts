import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ApiAuthorization, DeploymentStage, ServerlessService } from '../../src';
import { LocalProcess, serveLocally, stopLocal } from '../harness/local-process';

const START_TIMEOUT_MS = 110_000;

/** The curl commands local mode printed, one per route, as a user would copy them. */
function printedCurls(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('  curl -i')).map((line) => line.trim());
}

/** Runs a script in bash, as pasted into a terminal; returns its standard output. */
function shell(script: string): string {
  const result = spawnSync('bash', ['-c', `set -e\n${script}`], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`bash failed (${result.status}): ${result.stderr}\n${script}`);
  return result.stdout;
}

/** Runs a printed `curl -i` command line; returns the status and body curl printed. */
function runInShell(script: string): { status: number; body: string } {
  const [head, ...body] = shell(script).split(/\r?\n\r?\n/);
  return { status: Number(/^HTTP\/[\d.]+ (\d{3})/m.exec(head)?.[1]), body: body.join('\n\n') };
}

describe('local mode enforces IAM authorization (the prod example)', () => {
  let local: LocalProcess;
  let url: string;
  let credentials: { accessKeyId: string; secretAccessKey: string };
  let region: string;

  beforeAll(async () => {
    ({ local, url } = await serveLocally(['--stack', 'orders-prod'], { timeoutMs: START_TIMEOUT_MS }));
    const [, accessKeyId, secretAccessKey] = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)/.exec(local.output())!;
    credentials = { accessKeyId, secretAccessKey };
    region = /service execute-api, region ([a-z0-9-]+)/.exec(local.output())![1];
  }, START_TIMEOUT_MS + 10_000);

  afterAll(() => stopLocal(local));

  /** Signs with the AWS SDK's signer, as an SDK client would; `tamper` changes the request after signing. */
  async function signedFetch(
    method: string, path: string, body: string | undefined,
    options: { secret?: string; accessKeyId?: string; date?: Date; service?: string; tamper?: (init: RequestInit) => void } = {},
  ): Promise<Response> {
    const target = new URL(path, url);
    const signer = new SignatureV4({
      service: options.service ?? 'execute-api',
      region,
      credentials: { accessKeyId: options.accessKeyId ?? credentials.accessKeyId, secretAccessKey: options.secret ?? credentials.secretAccessKey },
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign({
      method,
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { 'host': target.host, 'content-type': 'application/json' },
      body,
    }, { signingDate: options.date });
    const init: RequestInit = { method, headers: signed.headers, body };
    options.tamper?.(init);
    return fetch(target, init);
  }

  test('the startup output says authorization is enforced and prints the credentials', () => {
    expect(local.output()).toContain('Authorization is enforced as API Gateway does (turn it off with --no-auth)');
    expect(credentials.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  });

  test('the printed curl commands work as printed, with curl\'s own SigV4 signing', () => {
    const curls = printedCurls(local.output());
    const byRoute = (prefix: string) => curls.find((line) => line.startsWith(prefix))!;
    const created = runInShell(byRoute(`curl -i -X POST ${url}/items`));
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ id: 'example-1', version: 1 });
    expect(runInShell(byRoute(`curl -i ${url}/items --aws-sigv4`)).status).toBe(200);
    expect(runInShell(byRoute(`curl -i ${url}/items/example-1`)).status).toBe(200);
    expect(runInShell(byRoute(`curl -i -X PUT ${url}/items/example-1`)).status).toBe(200);
    expect(runInShell(byRoute(`curl -i -X DELETE ${url}/items/example-1`)).status).toBe(204);
    expect(runInShell(byRoute(`curl -i ${url}/health`)).status).toBe(200);
  });

  test('an unsigned request gets 403 MissingAuthenticationToken in the library\'s error shape; the health route needs none', async () => {
    const response = await fetch(`${url}/items`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await response.json()).toEqual({
      error: { code: 'MissingAuthenticationToken', message: 'Missing Authentication Token', requestId: response.headers.get('x-amzn-requestid'), details: [] },
    });
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  test('a request signed by the AWS SDK with the printed credentials is served', async () => {
    const response = await signedFetch('POST', '/items', JSON.stringify({ id: 'sdk-1', data: { a: 1 } }));
    expect(response.status).toBe(201);
    expect((await signedFetch('GET', '/items?limit=5', undefined)).status).toBe(200);
  });

  test.each([
    ['a wrong secret key', 'InvalidSignature', /signature we calculated does not match/, { secret: 'x'.repeat(40) }],
    ['an unknown access key', 'InvalidSignature', /security token included in the request is invalid/, { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }],
    ['a signature ten minutes old', 'InvalidSignature', /Signature expired/, { date: new Date(Date.now() - 10 * 60_000) }],
    ['another service in the scope', 'InvalidSignature', /scoped to correct service/, { service: 'lambda' }],
    ['a body changed after signing', 'InvalidSignature', /does not match/, { tamper: (init: RequestInit) => (init.body = '{"id":"other","data":{}}') }],
  ] as const)('%s gets 403 %s and nothing is stored', async (_name, code, message, options) => {
    const response = await signedFetch('POST', '/items', JSON.stringify({ id: 'forged', data: {} }), options);
    expect(response.status).toBe(403);
    const body = await response.json() as any;
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expect((await signedFetch('GET', '/items/forged', undefined)).status).toBe(404);
  });

  test('the signing client of the integ test (test/integ) makes signatures the SDK\'s signer accepts', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require('../integ/signed-request-handler.js');
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_REGION: region,
    });
    delete process.env.AWS_SESSION_TOKEN;
    try {
      const created = await handler({ method: 'POST', url: `${url}/items`, body: JSON.stringify({ id: 'integ-1', data: { n: 1 } }) });
      expect(created).toMatchObject({ status: 201, body: { id: 'integ-1', version: 1 } });
      expect(await handler({ url: `${url}/items?limit=2&nextToken=` })).toMatchObject({ status: 400, body: { error: { code: 'InvalidNextToken' } } });
      expect(await handler({ url: `${url}/items/integ-1` })).toMatchObject({ status: 200 });
      expect(await handler({ url: `${url}/items/integ-1`, signed: false })).toMatchObject({ status: 403 });
    } finally {
      process.env = saved;
    }
  });

  test('authorization comes before validation: a signed invalid body gets 400, an unsigned one 403', async () => {
    expect((await signedFetch('POST', '/items', JSON.stringify({ data: 'not an object' }))).status).toBe(400);
    const unsigned = await fetch(`${url}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":"x"}' });
    expect(unsigned.status).toBe(403);
  });
});

describe('local mode enforces Cognito authorization', () => {
  let local: LocalProcess;
  let assemblyDir: string;
  let url: string;
  let signIn: string;

  beforeAll(async () => {
    // A service whose items routes take Cognito ID tokens, synthesized the way the CDK CLI does (with asset metadata).
    assemblyDir = mkdtempSync(join(tmpdir(), 'local-cognito-'));
    const app = new App({ outdir: assemblyDir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'orders-cognito', { env: { account: '111111111111', region: 'eu-central-1' } });
    const userPool = new cognito.UserPool(stack, 'Users', { signInAliases: { email: true } });
    new ServerlessService(stack, 'Orders', { serviceName: 'orders', stage: DeploymentStage.DEV, authorization: ApiAuthorization.cognito(userPool) });
    app.synth();

    ({ local, url } = await serveLocally(['--app', assemblyDir], { timeoutMs: START_TIMEOUT_MS }));
    // The printed sign-in commands: from the export line to the one that sets ID_TOKEN.
    const lines = local.output().split('\n');
    const first = lines.findIndex((line) => line.trim().startsWith('export AWS_ACCESS_KEY_ID=local'));
    const last = lines.findIndex((line) => line.trim().startsWith('ID_TOKEN=$('));
    signIn = lines.slice(first, last + 1).map((line) => line.trim()).join('\n');
  }, START_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await stopLocal(local);
    rmSync(assemblyDir, { recursive: true, force: true });
  });

  test('the startup output names the emulated pool and prints the sign-in commands and a curl with the token', () => {
    expect(local.output()).toMatch(/Cognito routes accept ID tokens of the emulated user pool eu-central-1_\w+/);
    expect(signIn).toMatch(/admin-create-user[\s\S]*admin-set-user-password[\s\S]*ID_TOKEN=/);
    expect(printedCurls(local.output())).toContain(`curl -i ${url}/items -H "authorization: $ID_TOKEN"`);
  });

  test('the printed sign-in commands and curl work as printed: 200 with the ID token', () => {
    const listCurl = printedCurls(local.output()).find((line) => line.startsWith(`curl -i ${url}/items -H`))!;
    const response = runInShell(`${signIn}\n${listCurl}`);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ items: [] });
  });

  test('no token, a tampered token and an access token instead of an ID token get 401 Unauthorized', async () => {
    // The printed sign-in, with its last command printing both tokens instead of setting ID_TOKEN.
    const bothTokens = signIn.replace(/^ID_TOKEN=\$\((.*) --query AuthenticationResult\.IdToken --output text\)$/m,
      '$1 --query "[AuthenticationResult.IdToken,AuthenticationResult.AccessToken]" --output text');
    const [idToken, accessToken] = shell(bothTokens.replace(/dev@example\.com/g, 'second@example.com')).trim().split('\n').pop()!.split(/\s+/);
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url'), signature].join('.');

    for (const authorization of [undefined, forged, accessToken, 'not-a-jwt']) {
      const response = await fetch(`${url}/items`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
      expect((await response.json() as any).error).toMatchObject({ code: 'Unauthorized', message: 'Unauthorized' });
    }
    expect((await fetch(`${url}/items`, { headers: { authorization: idToken } })).status).toBe(200);
  });
});

describe('local mode with --no-auth', () => {
  let local: LocalProcess;
  let url: string;

  beforeAll(async () => {
    ({ local, url } = await serveLocally(['--stack', 'orders-prod', '--no-auth'], { timeoutMs: START_TIMEOUT_MS }));
  }, START_TIMEOUT_MS + 10_000);

  afterAll(() => stopLocal(local));

  test('says so at startup, prints unsigned curls, and serves unsigned requests', async () => {
    expect(local.output()).toContain('Authorization is NOT enforced locally (--no-auth)');
    expect(printedCurls(local.output())).toContain(`curl -i ${url}/items`);
    expect((await fetch(`${url}/items`)).status).toBe(200);
  });
});

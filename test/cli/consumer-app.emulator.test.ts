import { execSync } from 'node:child_process';
import { join } from 'node:path';
import Ajv from 'ajv';
import { LocalProcess, serveLocally, stopLocal } from '../harness/local-process';

// The Cognito tests run the printed AWS CLI commands (a few seconds each).
jest.setTimeout(60_000);

/** A user's app that is not the example: test/consumer-app (its own functions, two services, Cognito scopes). */
const CONSUMER_APP = join(__dirname, '..', 'consumer-app');

describe('local mode on a consumer app that is not the example', () => {
  let local: LocalProcess;
  let port: number;
  let url: string;
  let auditUrl: string;

  beforeAll(async () => {
    ({ local, port } = await serveLocally(['--app', CONSUMER_APP, '--no-auth'], { ports: 2 }));
    url = /Tickets\/Api\S* \(\w+\) on (\S+?)[,\n]/.exec(local.output())![1];
    auditUrl = /Audit\/Api\S* \(\w+\) on (\S+?)[,\n]/.exec(local.output())![1];
  }, 120_000);

  afterAll(() => stopLocal(local));

  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`);
    return { status: response.status, body: await response.json() as any };
  };

  test('a CommonJS function that requires the AWS SDK v3 it does not bundle (the runtime provides it) reads and writes its table', async () => {
    const put = await fetch(`${url}/notes/n-1`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello' }) });
    expect(put.status).toBe(204);
    expect(await get('/notes/n-1')).toEqual({ status: 200, body: { id: 'n-1', text: 'hello' } });
  });

  test('serves both services of the stack, one port each from --port, listed at start', async () => {
    expect(local.output()).toMatch(/^Serving 2 REST APIs: /m);
    expect([url, auditUrl].sort()).toEqual([`http://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`]);
    const audit = await fetch(`${auditUrl}/items`);
    expect(audit.status).toBe(200);
    expect(await audit.json()).toMatchObject({ items: [] });
    // The audit API has no /hello route: it is not the tickets API on another port.
    expect((await fetch(`${auditUrl}/hello`)).status).toBe(403);
  });

  test('a body without Content-Type is taken as application/json (validated against the model); another media type gets 415', async () => {
    // "No Content-Type: API Gateway defaults to application/json"
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html).
    const post = (headers: Record<string, string>, body: string) => fetch(`${url}/items`, { method: 'POST', headers, body });
    // fetch adds text/plain to a string body unless a Content-Type is given; a Uint8Array body goes without one.
    const bare = (text: string) => post({}, new TextEncoder().encode(text) as unknown as string);
    expect((await bare(JSON.stringify({ subject: 'printer', priority: 9 }))).status).toBe(400);
    expect((await bare(JSON.stringify({ id: 't-1', data: { subject: 'printer', priority: 2 } }))).status).toBe(201);
    const plain = await post({ 'content-type': 'text/plain' }, JSON.stringify({ id: 't-2', data: { subject: 'printer', priority: 2 } }));
    expect(plain.status).toBe(415);
    expect((await plain.json() as any).error.code).toBe('UnsupportedMediaType');
  });

  test('printed curl bodies are minimal valid bodies of each route\'s own model, only for methods the route has; they work as printed', async () => {
    const printed = [...local.output().matchAll(/^ {2}(curl -i(?: -X (\w+))? (http:\/\/\S+?)(\/\S*)( .*)?)$/gm)]
      .map(([, command, method, base, path, options]) => ({ command, method: method ?? 'GET', base, path, options: options ?? '' }));
    const document = await (await fetch(`${url}/_docs/openapi.json`)).json() as any;
    const ajv = new Ajv({ strict: false });
    ajv.addSchema({ components: document.components }, 'document');
    const withBody = printed.filter((curl) => curl.base === url && curl.options.includes(' -d '));
    expect(withBody.map((curl) => `${curl.method} ${curl.path}`).sort()).toEqual(['POST /items', 'PUT /items/example-1', 'PUT /notes/example-1']);
    for (const curl of withBody) {
      const body = JSON.parse(/ -d '([^']*)'/.exec(curl.options)![1]);
      const route = document.paths[curl.path.replace('example-1', '{id}')][curl.method.toLowerCase()];
      const schema = JSON.parse(JSON.stringify(route.requestBody.content['application/json'].schema).replace(/"#\/components\//g, '"document#/components/'));
      expect({ route: `${curl.method} ${curl.path}`, body, valid: ajv.validate(schema, body), errors: ajv.errors }).toMatchObject({ valid: true });
    }
    // Each printed method is one the route has (the OpenAPI document lists the methods of each path).
    for (const curl of printed.filter((c) => c.base === url)) {
      expect(Object.keys(document.paths[curl.path.replace('example-1', '{id}')] ?? {})).toContain(curl.method.toLowerCase());
    }
    const run = (command: string) => execSync(`${command} -s -o /dev/null -w '%{http_code}'`, { encoding: 'utf8' });
    expect(run(withBody.find((curl) => curl.path === '/notes/example-1')!.command)).toBe('204');
    expect(run(withBody.find((curl) => curl.path === '/items')!.command)).toBe('201');
  });

  test('inline code (Code.fromInline) runs', async () => {
    expect(await get('/hello')).toEqual({ status: 200, body: { hello: 'inline' } });
  });

  test('an .mjs module with top-level await runs after its initialisation completed', async () => {
    expect(await get('/config')).toEqual({ status: 200, body: { loadedAt: 'init', format: 'esm' } });
  });

  test('package.json "type": "module" makes app.js ESM (importing the runtime SDK); a .cjs beside it stays CommonJS', async () => {
    expect(await get('/module')).toEqual({ status: 200, body: { format: 'esm', region: 'eu-central-1' } });
    expect(await get('/legacy')).toEqual({ status: 200, body: { format: 'cjs' } });
  });

  test.each([
    ['/report', 'PythonReport', 'runtime python3.13 is not run in local mode'],
    ['/thumbnails', 'ImageThumbnails', 'a container image function is not run in local mode'],
  ])('%s: a function local mode cannot run is listed at start and its route answers the contract 502 naming why', async (path, name, why) => {
    expect(local.output()).toMatch(new RegExp(`Not run locally \\(its routes answer 502\\): ${name}\\w+: ${why.replace(/\./g, '\\.')}`));
    const response = await get(path);
    expect(response.status).toBe(502);
    expect(response.body.error).toMatchObject({ code: 'InternalError', message: expect.stringMatching(new RegExp(`^Function ${name}\\w+ is not run locally: ${why}`)) });
  });
});

describe('local mode on the consumer app with authorization: Cognito scopes', () => {
  let local: LocalProcess;
  let url: string;

  beforeAll(async () => {
    ({ local, url } = await serveLocally(['--app', CONSUMER_APP], { ports: 2 }));
  }, 120_000);

  afterAll(() => stopLocal(local));

  /** Runs the printed setup commands as printed (AWS CLI and curl), then `then`, in one shell; its standard output. */
  const shell = (then: string) => {
    const setup = [...local.output().matchAll(/^ {2}((?:export AWS|aws --endpoint-url|ID_TOKEN=|ACCESS_TOKEN=).*)$/gm)].map((match) => match[1]);
    return execSync([...setup.map((line) => `${line} > /dev/null`), then].join('\n'), { encoding: 'utf8', shell: '/bin/bash' });
  };

  test('the printed client-credentials command gets an access token carrying the route\'s scope; the printed curl works with it', () => {
    const configCurl = /^ {2}(curl -i \S+\/config .*)$/m.exec(local.output())![1];
    expect(configCurl).toContain('"authorization: $ACCESS_TOKEN"');
    const output = shell(`${configCurl} -s -o /dev/null -w '%{http_code} '; printf '%s' "$ACCESS_TOKEN" | cut -d. -f2`);
    const [status, payload] = output.trim().split(' ');
    expect(status).toBe('200');
    // Cognito access tokens carry the granted scopes in `scope`, space-separated
    // (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html).
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toMatchObject({ token_use: 'access', scope: 'tickets/read' });
  });

  test('a route with scopes refuses an ID token and no token with 401, as API Gateway does', () => {
    const status = (header: string) => shell(`curl -s -o /dev/null -w '%{http_code}' ${url}/config ${header}`).trim();
    expect(status('-H "authorization: $ID_TOKEN"')).toBe('401');
    expect(status('')).toBe('401');
  });

  test('the token endpoint refuses a wrong secret and a scope the client does not have', async () => {
    const client = /-u '([^:]+):([^']+)'/.exec(local.output())!;
    const token = (secret: string, scope: string) => fetch(`${url}/_cognito/oauth2/token`, {
      method: 'POST',
      headers: { 'authorization': `Basic ${Buffer.from(`${client[1]}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&scope=${scope}`,
    }).then(async (response) => ({ status: response.status, body: await response.json() }));
    expect(await token(client[2], 'tickets/read')).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
    expect(await token('wrong', 'tickets/read')).toEqual({ status: 400, body: { error: 'invalid_client' } });
    expect(await token(client[2], 'tickets/write')).toEqual({ status: 400, body: { error: 'invalid_scope' } });
    // Every requested scope must be the client's: one allowed scope beside another does not let the other through.
    expect(await token(client[2], 'tickets/read%20tickets/write')).toEqual({ status: 400, body: { error: 'invalid_scope' } });
  });
});

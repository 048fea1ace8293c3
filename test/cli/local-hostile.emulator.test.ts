import { mkdtempSync, rmSync } from 'node:fs';
import { METHODS } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStack } from '../../cli/assembly';
import { synthesizeBuiltInExample } from '../../cli/example-app';
import { LocalGateway, MAX_REQUEST_BODY_BYTES } from '../../cli/local-gateway';
import { readRestApi } from '../../cli/rest-api';
import { SEED_IDS, acceptedHostileData, buildCorpus } from '../lambda/hostile-corpus';
import { ApiRequest, ItemsBackend, captureStdout, capturedOutput, createItemsBackend } from '../lambda/items-fixture';

/**
 * The hostile corpus of the handler tests, sent as raw HTTP to local mode serving the built-in example (its routes,
 * models, gateway responses and the bundled handler, in this process, against moto), plus what only an HTTP server
 * sees: malformed percent-encoding, prototype-named query keys and headers, absolute-form targets, raw body bytes.
 */
let backend: ItemsBackend;
let gateway: LocalGateway;
let port: number;
let assemblyDir: string;

captureStdout();
// Hundreds of requests per test against a shared moto: far beyond the default 5 s on a loaded machine.
jest.setTimeout(60_000);

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly json: any;
}

/** Sends exactly these bytes (one request, then the connection closes) and parses the response. */
function rawRequest(method: string, target: string, headers: Record<string, string>, body: Buffer = Buffer.alloc(0)): Promise<RawResponse> {
  const head = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), `Content-Length: ${body.length}`, '', ''].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const response = Buffer.concat(chunks);
      const split = response.indexOf('\r\n\r\n');
      const lines = response.subarray(0, split).toString('latin1').split('\r\n');
      const responseHeaders = Object.fromEntries(lines.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      let payload: Buffer = response.subarray(split + 4);
      if (responseHeaders['transfer-encoding'] === 'chunked') payload = dechunked(payload);
      let json: unknown;
      try {
        json = JSON.parse(payload.toString('utf8'));
      } catch {
        json = undefined;
      }
      resolve({ status: Number(lines[0].split(' ')[1]), headers: responseHeaders, body: payload, json });
    });
    socket.write(Buffer.concat([Buffer.from(head, 'utf8'), body]));
  });
}

function dechunked(payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = payload.indexOf('\r\n', at);
    const size = parseInt(payload.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(payload.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 4 + size;
  }
}

/** Percent-encodes what cannot travel raw in a request target (as a client library would). */
function requestTarget(request: ApiRequest): string {
  const path = [...(request.path || '/')].map((c) => (/[\x21-\x7e]/.test(c) ? c : [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''))).join('');
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) query.append(name, value);
  for (const [name, values] of Object.entries(request.multiQuery ?? {})) values.forEach((value) => query.append(name, value));
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

function requestBody(request: ApiRequest): Buffer {
  if (request.body === undefined) return Buffer.alloc(0);
  if (request.isBase64Encoded) return Buffer.from(request.body as string, 'base64');
  return Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body), 'utf8');
}

function send(request: ApiRequest): Promise<RawResponse> {
  const givesContentType = Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === 'content-type');
  const headers = { ...(givesContentType ? {} : { 'Content-Type': 'application/json' }), ...request.headers };
  return rawRequest(request.method, requestTarget(request), headers, requestBody(request));
}

/** The contract's error body, with the request id of the response. */
function isContractError(response: RawResponse): boolean {
  const error = response.json?.error;
  return typeof error?.code === 'string' && typeof error?.message === 'string' && typeof error?.requestId === 'string'
    && error.requestId === response.headers['x-amzn-requestid'] && Array.isArray(error.details) && Object.keys(error).length === 4;
}

/** Methods an HTTP/1.1 server parses at all; anything else never reaches a gateway (Node answers a bare 400). */
const PARSEABLE_METHODS = new Set(METHODS.filter((method) => method !== 'CONNECT'));

/**
 * Over HTTP, dot segments (`/items/../items`, `/%2e%2e/items`) are removed by URL normalisation before routing, so
 * those requests reach a real route and are served: they are not rejections, and are checked below instead.
 */
function hasDotSegment(path: string): boolean {
  return path.split(/[/?]/).some((segment) => ['.', '..'].includes(segment.replace(/%2e/gi, '.')));
}

beforeAll(async () => {
  assemblyDir = mkdtempSync(join(tmpdir(), 'local-hostile-'));
  synthesizeBuiltInExample(assemblyDir);
  const stack = readStack(assemblyDir, undefined);
  backend = await createItemsBackend('local-hostile');
  const logicalId = (type: string) => Object.entries(stack.template.Resources).find(([, r]) => r.Type === type)![0];
  const resources = new Map([
    [logicalId('AWS::DynamoDB::GlobalTable'), { ref: backend.tableName, attributes: {} }],
    [logicalId('AWS::SecretsManager::Secret'), { ref: backend.secretArn, attributes: {} }],
  ]);
  const context = { region: stack.region, accountId: stack.accountId, stackName: stack.stackName, resources };
  gateway = new LocalGateway(readRestApi(stack.template, logicalId('AWS::ApiGateway::RestApi'), assemblyDir, context), stack.accountId);
  await gateway.loadFunctions({});
  port = await gateway.listen(0);
  for (const id of SEED_IDS) expect((await send({ method: 'POST', path: '/items', body: { id, data: { id, note: 'seed' } } })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  rmSync(assemblyDir, { recursive: true, force: true });
});

test('the hostile corpus gets a 4xx with the error contract through local mode, and the table is unchanged', async () => {
  const token = (await send({ method: 'GET', path: '/items', query: { limit: '1' } })).json.nextToken;
  const corpus = buildCorpus(token, backend.tableName).filter((request) => PARSEABLE_METHODS.has(request.method) && !hasDotSegment(request.path));
  expect(corpus.length).toBeGreaterThanOrEqual(500);
  const before = await backend.scanTable();
  const unexpected: unknown[] = [];
  for (let start = 0; start < corpus.length; start += 10) {
    const batch = corpus.slice(start, start + 10);
    const responses = await Promise.all(batch.map(send));
    responses.forEach((response, i) => {
      const bodyless = batch[i].method === 'HEAD';
      if (response.status < 400 || response.status >= 500 || !(bodyless || isContractError(response))) {
        unexpected.push({ request: JSON.stringify(batch[i]).slice(0, 200), status: response.status, body: response.body.toString().slice(0, 200) });
      }
    });
  }
  expect(unexpected).toEqual([]);
  expect(await backend.scanTable()).toEqual(before);
}, 120_000);

test('data with prototype-named keys at every depth is stored and reads back exactly through local mode', async () => {
  const failures: unknown[] = [];
  for (const [index, data] of acceptedHostileData().entries()) {
    const id = `local-proto-${index}`;
    const created = await send({ method: 'POST', path: '/items', body: { id, data } });
    const read = await send({ method: 'GET', path: `/items/${id}` });
    if (created.status !== 201 || read.status !== 200 || JSON.stringify(read.json.data) !== JSON.stringify(data)) {
      failures.push({ data: JSON.stringify(data).slice(0, 100), created: created.status, read: read.body.toString().slice(0, 200) });
    }
  }
  expect(failures).toEqual([]);
  expect((await send({ method: 'GET', path: '/items', query: { limit: '100' } })).status).toBe(200);
});

describe('what only an HTTP server sees', () => {
  test('malformed percent-encoding and dot segments in the path or query answer 4xx with the error contract or are served', async () => {
    const targets = ['/items/%ZZ', '/items/%E0%A4%A', '/items/%', '/items/%C0%AF', '/%ZZ', '/items/%2E%2E', '/items/%2E', '/items?limit=%ZZ',
      '/items?%ZZ=1&limit=%', '/items/../items', '/%2e%2e/items', '/items/./x'];
    for (const target of targets) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const response = await rawRequest(method, target, { 'Content-Type': 'application/json' }, method === 'PUT' ? Buffer.from('{"data":{},"version":1}') : undefined);
        expect({ target, method, status: response.status < 500, contract: response.status < 400 || isContractError(response) })
          .toEqual({ target, method, status: true, contract: true });
      }
    }
  });

  test('query keys and headers named after Object.prototype members are ordinary parameters', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const query = await rawRequest('GET', `/items?${name}=1&limit=2&${name}=2`, {});
      expect({ name, status: query.status, items: Array.isArray(query.json?.items) }).toEqual({ name, status: 200, items: true });
      const header = await rawRequest('GET', '/items?limit=2', { [name]: 'x' });
      expect({ name, status: header.status }).toEqual({ name, status: 200 });
      const dataKey = name === '__proto__' ? 'proto' : name;
      const created = await rawRequest('POST', '/items', { [name]: 'x', 'Content-Type': 'application/json' }, Buffer.from(`{"data":{"${dataKey}":1}}`));
      expect({ name, status: created.status }).toEqual({ name, status: 201 });
    }
  });

  test('an absolute-form target is served by its path; one with an invalid host answers 400 with the error contract', async () => {
    expect((await rawRequest('GET', 'http://example.com/items?limit=1', {})).status).toBe(200);
    for (const target of ['http://[::1/items', 'http://exa%20mple.com/items', 'http://:99999/items', 'http://a@b@/items']) {
      const response = await rawRequest('GET', target, {});
      expect({ target, status: response.status, contract: isContractError(response) }).toEqual({ target, status: 400, contract: true });
    }
  });

  test('requests the HTTP parser refuses (20,000-character path: 431; control character in a header: 400) get the error contract', async () => {
    const long = await rawRequest('GET', `/items/${'a'.repeat(20_000)}`, {});
    expect({ status: long.status, contract: isContractError(long) }).toEqual({ status: 431, contract: true });
    const control = await rawRequest('GET', '/items', { 'x-note': 'a\x01b' });
    expect({ status: control.status, contract: isContractError(control) }).toEqual({ status: 400, contract: true });
  });

  test('a validation message holding $ replacement patterns keeps the error body valid JSON', async () => {
    for (const name of ["$'", '$&', '$`', '$$', '$1']) {
      const response = await rawRequest('POST', '/items', { 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify({ data: {}, [name]: 1 })));
      expect({ name, status: response.status, contract: isContractError(response) }).toEqual({ name, status: 400, contract: true });
      expect(response.json.error.details[0].message).toContain(name);
    }
  });

  test('a body that is not UTF-8 reaches the handler as bytes and is refused, never stored as U+FFFD', async () => {
    const before = await backend.scanTable();
    for (const bytes of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x28, 0xa1]]) {
      const body = Buffer.concat([Buffer.from('{"id":"bytes","data":{"s":"'), Buffer.from(bytes), Buffer.from('"}}')]);
      const response = await rawRequest('POST', '/items', { 'Content-Type': 'application/json' }, body);
      expect({ status: response.status, code: response.json?.error?.code, details: response.json?.error?.details })
        .toEqual({ status: 400, code: 'ValidationError', details: [{ path: '', message: 'must be UTF-8' }] });
    }
    expect(await backend.scanTable()).toEqual(before);
  });

  test('a body over API Gateway\'s 10 MB quota answers 413 before validation; one at the quota is read and validated', async () => {
    const over = await rawRequest('POST', '/items', { 'Content-Type': 'application/json' }, Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 0x20));
    expect({ status: over.status, code: over.json?.error?.code, message: over.json?.error?.message })
      .toEqual({ status: 413, code: 'PayloadTooLarge', message: 'Request Too Long' });
    const at = await rawRequest('POST', '/items', { 'Content-Type': 'application/json' }, Buffer.alloc(MAX_REQUEST_BODY_BYTES, 0x20));
    // Whitespace only: the model's validation refuses it as JSON.
    expect({ status: at.status, code: at.json?.error?.code }).toEqual({ status: 400, code: 'ValidationError' });
  });

  test('the preflight advertises only the methods the routes serve', async () => {
    for (const path of ['/items', '/items/x']) {
      const response = await rawRequest('OPTIONS', path, { 'Origin': 'http://localhost:3000', 'Access-Control-Request-Method': 'PUT' });
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-methods'].split(',').map((m) => m.trim()).sort()).toEqual(['DELETE', 'GET', 'OPTIONS', 'POST', 'PUT']);
    }
  });

  test('nothing above was logged as an error by the handler', () => {
    expect(capturedOutput.filter((line: any) => line.level === 'ERROR')).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { ApiDocs } from '../../cli/api-docs';

/**
 * docs/local-mode.md: `http://127.0.0.1:PORT/_docs` is an interactive API reference, Swagger UI from the npm package
 * swagger-ui-dist served by local mode (no CDN), rendering the API's OpenAPI document with local mode as its first
 * server, so "Try it out" sends requests to the local API. In-process, behind a plain HTTP server that answers 418 for
 * whatever the docs do not take (the API's routes in local mode).
 */
const DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Orders <&> "API"', version: '1.0.0' },
  servers: [{ url: 'https://api.example.com/prod' }],
  paths: { '/items': { get: { responses: { 200: { description: 'the items' } } } } },
};

const SWAGGER_UI_DIST = dirname(require.resolve('swagger-ui-dist/package.json'));

let docs: ApiDocs;
let server: Server;
let origin: string;

beforeAll(async () => {
  docs = new ApiDocs(DOCUMENT as any);
  server = createServer((request, response) => {
    if (!docs.serve(request, response, new URL(request.url!, 'http://x').pathname)) {
      response.writeHead(418);
      response.end();
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((closed) => server.close(() => closed()));
});

/** A request to the server; a page that claims a request and never answers fails the test instead of hanging it. */
const get = (path: string, init: RequestInit = {}) => fetch(`${origin}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });

/** Decodes the character references of an HTML text. */
const htmlText = (html: string) => html.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('the page', () => {
  test.each(['/_docs', '/_docs/', '/_docs/index.html'])('%s is an HTML page titled by the API, with the title escaped', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const title = /<title>([^<]*)<\/title>/.exec(html);
    expect(title).not.toBeNull();
    expect(htmlText(title![1])).toContain(DOCUMENT.info.title);
    expect(html).not.toContain(DOCUMENT.info.title);
  });

  test('loads only what local mode serves: Swagger UI\'s own files from swagger-ui-dist, and the document', async () => {
    const html = await (await get('/_docs')).text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1]);
    expect(assets.sort()).toEqual(['/_docs/swagger-ui-bundle.js', '/_docs/swagger-ui.css']);
    const types: Record<string, RegExp> = { '.css': /^text\/css/, '.js': /^(application|text)\/javascript/ };
    for (const asset of assets) {
      const response = await get(asset);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(types[asset.slice(asset.lastIndexOf('.'))]);
      expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(SWAGGER_UI_DIST, asset.slice('/_docs/'.length))))).toBe(true);
    }
    expect(html).toContain('SwaggerUIBundle(');
    expect(/url: '([^']+)'/.exec(html)?.[1]).toBe('/_docs/openapi.json');
  });
});

describe('the document it renders', () => {
  test('is the API\'s document with local mode, at the address the browser used, as its first server', async () => {
    const response = await get('/_docs/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const { servers, ...rest } = await response.json() as typeof DOCUMENT;
    const { servers: ownServers, ...ownRest } = DOCUMENT;
    expect(rest).toEqual(ownRest);
    expect(servers.map((entry) => entry.url)).toEqual([origin, ...ownServers.map((entry) => entry.url)]);
    // Swagger UI lists the servers by description: the local one says so.
    expect((servers[0] as { description?: string }).description).toMatch(/local mode/i);
  });

  test('names the address the request came in on when an HTTP/1.0 client sends no Host header', async () => {
    // RFC 9112 section 3.2 requires Host of HTTP/1.1 clients only; fetch always sends it, so the request is written by hand.
    const raw = await new Promise<string>((received, failed) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.end('GET /_docs/openapi.json HTTP/1.0\r\n\r\n'));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk)).on('end', () => received(Buffer.concat(chunks).toString())).on('error', failed);
    });
    const document = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as typeof DOCUMENT;
    expect(document.servers[0].url).toBe(origin);
  });

  test('follows a reloaded app, and no browser cache keeps the old one', async () => {
    // --watch swaps the document; Cache-Control no-store (RFC 9111, section 5.2.2.5) keeps caches from serving the old.
    for (const path of ['/_docs', '/_docs/openapi.json']) expect((await get(path)).headers.get('cache-control')).toBe('no-store');
    docs.update({ ...DOCUMENT, info: { title: 'Reloaded', version: '2.0.0' }, servers: undefined } as any);
    try {
      const document = await (await get('/_docs/openapi.json')).json() as typeof DOCUMENT;
      expect(document.info).toEqual({ title: 'Reloaded', version: '2.0.0' });
      expect(document.servers).toEqual([{ url: origin, description: expect.stringMatching(/local mode/i) }]);
      expect(htmlText(await (await get('/_docs')).text())).toContain('<title>Reloaded');
    } finally {
      docs.update(DOCUMENT as any);
    }
  });
});

describe('what it does not take', () => {
  test('an unknown file under /_docs is a 404 with a JSON body naming it', async () => {
    const response = await get('/_docs/swagger-ui.js.map');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.stringify(await response.json())).toContain('/_docs/swagger-ui.js.map');
  });

  test.each([
    ['another method on /_docs', 'POST', '/_docs'],
    ['a path that only starts like /_docs', 'GET', '/_docsx'],
    ['an API route', 'GET', '/items'],
  ])('%s is left to the API', async (_, method, path) => {
    expect((await get(path, { method })).status).toBe(418);
  });
});

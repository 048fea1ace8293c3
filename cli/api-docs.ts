import { readFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { OpenApiDocument } from '../lib/openapi';

/** Where local mode serves the interactive API reference. */
export const DOCS_PATH = '/_docs';

/** The Swagger UI files the page loads, served from the installed swagger-ui-dist package (no CDN). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

function page(title: string): string {
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escaped} (local mode)</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle({ url: '${DOCS_PATH}/openapi.json', dom_id: '#swagger-ui', tryItOutEnabled: true });</script>
</body>
</html>
`;
}

/**
 * The `/_docs` pages: Swagger UI rendering the API's OpenAPI document, whose server is this local gateway, so "Try it
 * out" sends requests to it. Answers requests under `/_docs` and returns true; false for every other path.
 */
export class ApiDocs {
  private readonly assetDir = dirname(require.resolve('swagger-ui-dist/package.json'));

  constructor(private document: OpenApiDocument) {}

  /** Serves the document of a reloaded app from now on. */
  update(document: OpenApiDocument): void {
    this.document = document;
  }

  serve(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
    if (request.method !== 'GET' || (pathname !== DOCS_PATH && !pathname.startsWith(`${DOCS_PATH}/`))) return false;
    const name = pathname.slice(DOCS_PATH.length + 1);
    if (name === '' || name === 'index.html') {
      // OpenAPI 3.0 requires info.title, and openApiDocument always sets it (the API's name, else its logical id).
      this.send(response, 200, 'text/html; charset=utf-8', page(String(this.document.info.title)));
    } else if (name === 'openapi.json') {
      // An HTTP/1.0 client may send no Host: then the address and port the request came in on.
      const origin = `http://${request.headers.host ?? `${request.socket.localAddress}:${request.socket.localPort}`}`;
      const local = { ...this.document, servers: [{ url: origin, description: 'Local mode' }, ...(this.document.servers ?? [])] };
      this.send(response, 200, 'application/json', JSON.stringify(local));
    } else if (ASSETS[name]) {
      this.send(response, 200, ASSETS[name], readFileSync(join(this.assetDir, name)));
    } else {
      this.send(response, 404, 'application/json', JSON.stringify({ message: `No ${pathname} in local mode's API reference.` }));
    }
    return true;
  }

  private send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
    response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
    response.end(body);
  }
}

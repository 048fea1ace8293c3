import { randomUUID } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { loadHandlerModule } from './function-loader';
import { AuthOutcome, RequestAuthorizer } from './local-auth';
import { ApiMethod, ApiResource, LocalFunction, RestApiDefinition } from './rest-api';
import { GATEWAY_ERRORS, validateSchema } from '../lib/contract/items';

/** API Gateway's payload quota (10 MB): a longer body is answered 413 and never held in memory. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** Why API Gateway answered itself instead of the integration. */
interface GatewayError {
  readonly responseType: string;
  readonly message: string;
  readonly validationErrorString?: string;
  /** The `x-amzn-ErrorType` header, when it is not derived from the response type. */
  readonly errorType?: string;
}

/** Pages local mode serves beside the API; `serve` answers the request and returns true when the path is one of them. */
export interface LocalPages {
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): boolean;
}

type ProxyHandler = (event: unknown, context: unknown) => Promise<unknown>;

interface ProxyResult {
  statusCode: number;
  headers?: Record<string, unknown>;
  multiValueHeaders?: Record<string, unknown[]>;
  body?: string;
  isBase64Encoded?: boolean;
}

interface Route {
  readonly resource: ApiResource;
  readonly pathParameters: Record<string, string>;
}

/** Escapes a string for a position inside JSON quotes, the way API Gateway's `$util.escapeJavaScript` does. */
function escapeInJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** A path segment decoded; one with malformed percent-encoding is passed through as sent, as API Gateway does. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchRoute(resources: ApiResource[], path: string): Route | undefined {
  const segments = path.split('/').filter(Boolean).map(decodedSegment);
  let best: { route: Route; score: number } | undefined;
  for (const resource of resources) {
    const pattern = resource.path.split('/').filter(Boolean);
    const pathParameters: Record<string, string> = {};
    let score = 0;
    let matched = true;
    for (let i = 0; i < pattern.length && matched; i++) {
      const greedy = /^\{(.+)\+\}$/.exec(pattern[i]);
      const variable = /^\{(.+)\}$/.exec(pattern[i]);
      if (greedy && i === pattern.length - 1 && segments.length > i) {
        pathParameters[greedy[1]] = segments.slice(i).join('/');
        score += 1;
        return { resource, pathParameters };
      } else if (i >= segments.length) {
        matched = false;
      } else if (variable) {
        pathParameters[variable[1]] = segments[i];
        score += 2;
      } else {
        matched = pattern[i] === segments[i];
        score += 3;
      }
    }
    if (matched && pattern.length === segments.length && (!best || score > best.score)) best = { route: { resource, pathParameters }, score };
  }
  return best?.route;
}

/**
 * Repeated names as API Gateway passes them: every value in the multi-value map, the last one in the single-value
 * map. Collected in a Map, so a client's name (`__proto__`, `constructor`) is never an object's own machinery;
 * `Object.fromEntries` then defines each name as a plain property.
 */
function parameterMaps(pairs: Iterable<[string, string]>): { single: Record<string, string>; multi: Record<string, string[]> } {
  const values = new Map<string, string[]>();
  for (const [name, value] of pairs) values.set(name, [...(values.get(name) ?? []), value]);
  return {
    single: Object.fromEntries([...values].map(([name, all]) => [name, all[all.length - 1]])),
    multi: Object.fromEntries(values),
  };
}

function parseQuery(url: URL): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  const maps = parameterMaps(url.searchParams);
  return Object.keys(maps.single).length === 0 ? { single: null, multi: null } : maps;
}

function* headerPairs(request: IncomingMessage): Iterable<[string, string]> {
  for (let i = 0; i < request.rawHeaders.length; i += 2) yield [request.rawHeaders[i], request.rawHeaders[i + 1]];
}

/** A header by case-insensitive name (the client's casing is kept in the event, as API Gateway keeps it). */
function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** The request target as a URL; undefined for one no HTTP front end would route (e.g. an absolute form with a bad host). */
function requestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/** The body, or undefined once it exceeds `limit` bytes (the rest is read and dropped, so memory stays bounded). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size <= limit ? Buffer.concat(chunks) : undefined;
}

/** The body as the Lambda proxy event carries it: text when it is UTF-8, else base64 so the handler sees the bytes. */
function eventBody(body: Buffer): { body: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  try {
    return { body: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), isBase64Encoded: false };
  } catch {
    return { body: body.toString('base64'), isBase64Encoded: true };
  }
}

/** Substitutes a gateway response template's variables in one pass, so no substituted text is read as a pattern. */
function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(/\$context\.(?:error\.(?:messageString|message|validationErrorString|responseType)|requestId)/g,
    (variable) => variables[variable]);
}

function functionsOf(api: RestApiDefinition): LocalFunction[] {
  const functions = new Map<string, LocalFunction>();
  for (const method of api.resources.flatMap((resource) => [...resource.methods.values()])) {
    if (method.function) functions.set(method.function.logicalId, method.function);
  }
  return [...functions.values()];
}

/**
 * Loads each runnable integrated function's module with its environment set, as Lambda's init phase would: afresh for
 * each function, so that two functions of the same code (inline code is stored by its text) and a reload with new
 * environment variables each get their own initialisation.
 */
async function loadHandlers(api: RestApiDefinition, sharedEnvironment: Record<string, string>): Promise<Map<string, ProxyHandler>> {
  const handlers = new Map<string, ProxyHandler>();
  for (const fn of functionsOf(api).filter((candidate) => !candidate.unavailable)) {
    Object.assign(process.env, sharedEnvironment, fn.environment, { AWS_LAMBDA_FUNCTION_NAME: fn.logicalId });
    delete require.cache[fn.modulePath];
    const handler = await loadHandlerModule(fn.modulePath, fn.exportName);
    if (typeof handler !== 'function') throw new Error(`${fn.modulePath} does not export a function "${fn.exportName}".`);
    handlers.set(fn.logicalId, handler as ProxyHandler);
  }
  return handlers;
}

/** A definition of an API with its handlers loaded, not yet served (see `LocalGateway.prepare`). */
export interface PreparedApi {
  readonly api: RestApiDefinition;
  readonly handlers: Map<string, ProxyHandler>;
}

/**
 * Serves a REST API definition on loopback the way API Gateway does: route matching, request parameter and body
 * validation from the template's validators and models, MOCK integrations, Lambda proxy integrations run in this
 * process, and gateway responses rendered from the template; IAM (SigV4) and Cognito authorization with an authorizer.
 */
export class LocalGateway {
  private handlers = new Map<string, ProxyHandler>();
  private server?: Server;
  private authorizer?: RequestAuthorizer;
  private readonly localPages: LocalPages[] = [];

  constructor(private api: RestApiDefinition, private readonly accountId: string) {}

  /** Loads every integrated function once, with its environment, as Lambda's init phase would. */
  async loadFunctions(sharedEnvironment: Record<string, string>): Promise<void> {
    this.handlers = await loadHandlers(this.api, sharedEnvironment);
  }

  /**
   * Loads the handlers of another definition of the API (a re-synthesized app) without serving it: throws when a
   * handler fails to load. `serve` then switches to it, so that several APIs can switch together or not at all.
   */
  async prepare(api: RestApiDefinition, sharedEnvironment: Record<string, string>): Promise<PreparedApi> {
    return { api, handlers: await loadHandlers(api, sharedEnvironment) };
  }

  /** Serves a prepared definition from the next request on. */
  serve(prepared: PreparedApi): void {
    const previous = functionsOf(this.api);
    this.api = prepared.api;
    this.handlers = prepared.handlers;
    // The previous modules are never required again (each synthesis has its own assembly directory).
    for (const fn of previous) delete require.cache[fn.modulePath];
  }

  /** Serves local mode's own pages (e.g. the API reference, the token endpoint) ahead of the API's routes. */
  serveLocalPages(pages: LocalPages): void {
    this.localPages.push(pages);
  }

  /** Enforces IAM and Cognito authorization with the given authorizer (without one, every request is let through). */
  enforceAuthorization(authorizer: RequestAuthorizer): void {
    this.authorizer = authorizer;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error) => {
        process.stderr.write(`local gateway: ${error instanceof Error ? error.stack : String(error)}\n`);
        this.sendGatewayError(response, randomUUID(), { responseType: 'DEFAULT_5XX', message: 'Internal server error' });
      });
    });
    // Requests Node's HTTP parser refuses (a request line or headers over its 16 KB limit: 431; control characters in a
    // header: 400) get the API's JSON error body too, never an empty one.
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return;
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const message = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
      const { headers, body } = this.gatewayErrorResponse(randomUUID(), { responseType: 'DEFAULT_4XX', message });
      const head = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)), 'connection': 'close' })
        .map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.end(`HTTP/1.1 ${status} ${message}\r\n${head}\r\n${body}`);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE'
        ? new Error(`Port ${port} on ${host} is already in use: choose another with --port.`)
        : error));
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = requestUrl(request.url);
    if (!url) return this.sendGatewayError(response, requestId, { responseType: 'DEFAULT_4XX', message: 'Bad Request' });
    const httpMethod = (request.method ?? 'GET').toUpperCase();
    if (this.localPages.some((pages) => pages.serve(request, response, url.pathname))) return;
    const route = matchRoute(this.api.resources, url.pathname);
    const method = route && (route.resource.methods.get(httpMethod) ?? route.resource.methods.get('ANY'));
    if (!route || !method) {
      return this.sendGatewayError(response, requestId, { responseType: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' });
    }
    const body = await readBody(request, MAX_REQUEST_BODY_BYTES);
    if (!body) return this.sendGatewayError(response, requestId, { responseType: 'REQUEST_TOO_LARGE', message: 'Request Too Long' });
    const headers = parameterMaps(headerPairs(request));
    const query = parseQuery(url);
    // API Gateway authorizes before it validates.
    const auth: AuthOutcome = this.authorizer
      ? await this.authorizer.authorize(method, { httpMethod, target: request.url ?? '/', headers: headers.single, body })
      : { granted: true };
    if (!auth.granted) {
      return this.sendGatewayError(response, requestId, { responseType: auth.responseType, message: auth.message, errorType: auth.errorType });
    }
    const failure = this.validate(method, route, headers.single, query.single ?? {}, body);
    if (failure) return this.sendGatewayError(response, requestId, failure);

    if (method.mockResponse) {
      const mock = method.mockResponse;
      return this.send(response, mock.statusCode, { 'content-type': 'application/json', ...mock.headers, 'x-amzn-requestid': requestId }, mock.body);
    }
    if (!method.function) {
      return this.sendGatewayError(response, requestId, { responseType: 'DEFAULT_5XX', message: `Integration type ${method.integrationType} is not served locally` });
    }
    if (method.function.unavailable) {
      return this.sendGatewayError(response, requestId, {
        responseType: 'DEFAULT_5XX', message: `Function ${method.function.logicalId} is not run locally: ${method.function.unavailable}`,
      });
    }
    const event = {
      resource: route.resource.path,
      path: url.pathname,
      httpMethod,
      headers: headers.single,
      multiValueHeaders: headers.multi,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters: Object.keys(route.pathParameters).length > 0 ? route.pathParameters : null,
      stageVariables: null,
      requestContext: {
        accountId: this.accountId,
        apiId: 'local',
        resourceId: route.resource.path,
        resourcePath: route.resource.path,
        httpMethod,
        path: `/${this.api.stageName}${url.pathname}`,
        stage: this.api.stageName,
        requestId,
        extendedRequestId: requestId,
        requestTime: new Date().toUTCString(),
        requestTimeEpoch: Date.now(),
        protocol: `HTTP/${request.httpVersion}`,
        domainName: headerValue(headers.single, 'host') ?? '127.0.0.1',
        identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: request.headers['user-agent'] ?? null, ...auth.identity },
        authorizer: auth.authorizer ?? null,
      },
      ...eventBody(body),
    };
    const result = await this.invoke(method.function, event, requestId);
    if (!result) return this.sendGatewayError(response, requestId, { responseType: 'DEFAULT_5XX', message: 'Internal server error' });
    const responseHeaders: Record<string, string> = { 'x-amzn-requestid': requestId };
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) responseHeaders[name] = values.map(String).join(', ');
    for (const [name, value] of Object.entries(result.headers ?? {})) responseHeaders[name] = String(value);
    const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : result.body ?? '';
    this.send(response, result.statusCode, responseHeaders, payload);
  }

  /** Runs the handler with a deadline; undefined when it fails or returns something that is not a proxy result. */
  private async invoke(fn: LocalFunction, event: unknown, requestId: string): Promise<ProxyResult | undefined> {
    const handler = this.handlers.get(fn.logicalId)!;
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const context = {
      awsRequestId: randomUUID(),
      functionName: fn.logicalId,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${fn.timeoutSeconds} s`)), fn.timeoutSeconds * 1000);
      });
      const result = await Promise.race([handler(event, context), timeout]) as ProxyResult;
      if (typeof result !== 'object' || result === null || !Number.isInteger(result.statusCode)) {
        throw new Error('the handler returned a malformed Lambda proxy response');
      }
      return result;
    } catch (error) {
      process.stderr.write(`local gateway: request ${requestId}: ${fn.logicalId} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private validate(
    method: ApiMethod, route: Route, headers: Record<string, string>, query: Record<string, string>, body: Buffer,
  ): GatewayError | undefined {
    if (method.validateParameters) {
      const missing = method.requiredParameters.filter((parameter) => {
        const [location, name] = [parameter.slice(0, parameter.indexOf('.')), parameter.slice(parameter.indexOf('.') + 1)];
        if (location === 'path') return !Object.hasOwn(route.pathParameters, name);
        if (location === 'querystring') return !Object.hasOwn(query, name);
        if (location === 'header') return headerValue(headers, name) === undefined;
        return false;
      }).map((parameter) => parameter.slice(parameter.indexOf('.') + 1));
      if (missing.length > 0) {
        return { responseType: 'BAD_REQUEST_PARAMETERS', message: `Missing required request parameters: [${missing.join(', ')}]` };
      }
    }
    const contentType = (headerValue(headers, 'content-type') ?? 'application/json').split(';')[0].trim().toLowerCase();
    const models = method.requestModels;
    const schema = (Object.hasOwn(models, contentType) ? models[contentType] : undefined) ?? models.$default;
    if (!method.validateBody || !schema) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return { responseType: 'BAD_REQUEST_BODY', message: 'Invalid request body', validationErrorString: `[Invalid JSON: ${(error as Error).message}]` };
    }
    const violations = validateSchema(schema, value);
    if (violations.length === 0) return undefined;
    return {
      responseType: 'BAD_REQUEST_BODY',
      message: 'Invalid request body',
      validationErrorString: `[${violations.map((violation) => `${violation.path || '/'}: ${violation.message}`).join(', ')}]`,
    };
  }

  private sendGatewayError(response: ServerResponse, requestId: string, error: GatewayError): void {
    const { status, headers, body } = this.gatewayErrorResponse(requestId, error);
    this.send(response, status, headers, body);
  }

  /** The status, headers and body of a gateway response, rendered from the API's configured one when it has it. */
  private gatewayErrorResponse(requestId: string, error: GatewayError): { status: number; headers: Record<string, string>; body: string } {
    const isServerError = error.responseType === 'DEFAULT_5XX' || error.responseType.startsWith('INTEGRATION');
    const configured = this.api.gatewayResponses.get(error.responseType)
      ?? this.api.gatewayResponses.get(isServerError ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    const status = this.api.gatewayResponses.get(error.responseType)?.statusCode
      ?? GATEWAY_ERRORS[error.responseType]?.status ?? (isServerError ? 502 : 400);
    const template = configured?.template ?? '{"message":$context.error.messageString}';
    const body = renderTemplate(template, {
      '$context.error.messageString': JSON.stringify(error.message),
      '$context.error.message': escapeInJson(error.message),
      '$context.error.validationErrorString': escapeInJson(error.validationErrorString ?? ''),
      '$context.error.responseType': error.responseType,
      '$context.requestId': requestId,
    });
    const headers = {
      'content-type': 'application/json',
      ...configured?.headers,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.errorType
        ?? (error.responseType === 'MISSING_AUTHENTICATION_TOKEN' ? 'MissingAuthenticationTokenException' : error.responseType),
    };
    return { status, headers, body };
  }

  private send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
    if (response.headersSent) return;
    response.writeHead(status, headers);
    response.end(status === 204 ? undefined : body);
  }
}

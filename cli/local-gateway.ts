import { randomUUID } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AuthOutcome, RequestAuthorizer } from './local-auth';
import { ApiMethod, ApiResource, LocalFunction, RestApiDefinition } from './rest-api';
import { validateSchema } from '../lib/items-contract';

/** The default status of each gateway response type local mode produces (API Gateway's defaults). */
const DEFAULT_STATUS: Record<string, number> = {
  MISSING_AUTHENTICATION_TOKEN: 403,
  INVALID_SIGNATURE: 403,
  ACCESS_DENIED: 403,
  UNAUTHORIZED: 401,
  BAD_REQUEST_BODY: 400,
  BAD_REQUEST_PARAMETERS: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  DEFAULT_5XX: 502,
};

/** Why API Gateway answered itself instead of the integration. */
interface GatewayError {
  readonly responseType: string;
  readonly message: string;
  readonly validationErrorString?: string;
  /** The `x-amzn-ErrorType` header, when it is not derived from the response type. */
  readonly errorType?: string;
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

function matchRoute(resources: ApiResource[], path: string): Route | undefined {
  const segments = path.split('/').filter(Boolean).map((segment) => decodeURIComponent(segment));
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

function parseQuery(url: URL): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  const multi: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (multi[key] ??= []).push(value);
  const keys = Object.keys(multi);
  if (keys.length === 0) return { single: null, multi: null };
  return { single: Object.fromEntries(keys.map((key) => [key, multi[key][multi[key].length - 1]])), multi };
}

function requestHeaders(request: IncomingMessage): { single: Record<string, string>; multi: Record<string, string[]> } {
  const multi: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) (multi[request.rawHeaders[i]] ??= []).push(request.rawHeaders[i + 1]);
  return { single: Object.fromEntries(Object.entries(multi).map(([key, values]) => [key, values[values.length - 1]])), multi };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Serves a REST API definition on loopback the way API Gateway does: route matching, request parameter and body
 * validation from the template's validators and models, MOCK integrations, Lambda proxy integrations run in this
 * process, and gateway responses rendered from the template; IAM (SigV4) and Cognito authorization with an authorizer.
 */
export class LocalGateway {
  private readonly handlers = new Map<string, ProxyHandler>();
  private server?: Server;
  private authorizer?: RequestAuthorizer;

  constructor(private readonly api: RestApiDefinition, private readonly accountId: string) {}

  /** Loads every integrated function once, with its environment, as Lambda's init phase would. */
  loadFunctions(sharedEnvironment: Record<string, string>): void {
    for (const resource of this.api.resources) {
      for (const method of resource.methods.values()) {
        const fn = method.function;
        if (!fn || this.handlers.has(fn.logicalId)) continue;
        Object.assign(process.env, sharedEnvironment, fn.environment, { AWS_LAMBDA_FUNCTION_NAME: fn.logicalId });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const handler = require(fn.modulePath)[fn.exportName];
        if (typeof handler !== 'function') throw new Error(`${fn.modulePath} does not export a function "${fn.exportName}".`);
        this.handlers.set(fn.logicalId, handler);
      }
    }
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
    const url = new URL(request.url ?? '/', 'http://localhost');
    const httpMethod = (request.method ?? 'GET').toUpperCase();
    const route = matchRoute(this.api.resources, url.pathname);
    const method = route && (route.resource.methods.get(httpMethod) ?? route.resource.methods.get('ANY'));
    if (!route || !method) {
      return this.sendGatewayError(response, requestId, { responseType: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' });
    }
    const body = await readBody(request);
    const headers = requestHeaders(request);
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
        domainName: headers.single.Host ?? headers.single.host ?? '127.0.0.1',
        identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: request.headers['user-agent'] ?? null, ...auth.identity },
        authorizer: auth.authorizer ?? null,
      },
      body: body.length > 0 ? body.toString('utf8') : null,
      isBase64Encoded: false,
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
      const lowerHeaders = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
      const missing = method.requiredParameters.filter((parameter) => {
        const [location, name] = [parameter.slice(0, parameter.indexOf('.')), parameter.slice(parameter.indexOf('.') + 1)];
        if (location === 'path') return !route.pathParameters[name];
        if (location === 'querystring') return query[name] === undefined;
        if (location === 'header') return !lowerHeaders.has(name.toLowerCase());
        return false;
      }).map((parameter) => parameter.slice(parameter.indexOf('.') + 1));
      if (missing.length > 0) {
        return { responseType: 'BAD_REQUEST_PARAMETERS', message: `Missing required request parameters: [${missing.join(', ')}]` };
      }
    }
    const contentType = (headers['content-type'] ?? headers['Content-Type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
    const schema = method.requestModels[contentType] ?? method.requestModels.$default;
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
    const isServerError = error.responseType === 'DEFAULT_5XX' || error.responseType.startsWith('INTEGRATION');
    const configured = this.api.gatewayResponses.get(error.responseType)
      ?? this.api.gatewayResponses.get(isServerError ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    const status = this.api.gatewayResponses.get(error.responseType)?.statusCode ?? DEFAULT_STATUS[error.responseType] ?? (isServerError ? 500 : 400);
    const template = configured?.template ?? '{"message":$context.error.messageString}';
    const body = template
      .replace(/\$context\.error\.messageString/g, JSON.stringify(error.message))
      .replace(/\$context\.error\.message/g, escapeInJson(error.message))
      .replace(/\$context\.error\.validationErrorString/g, escapeInJson(error.validationErrorString ?? ''))
      .replace(/\$context\.error\.responseType/g, error.responseType)
      .replace(/\$context\.requestId/g, requestId);
    this.send(response, status, {
      'content-type': 'application/json',
      ...configured?.headers,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.errorType
        ?? (error.responseType === 'MISSING_AUTHENTICATION_TOKEN' ? 'MissingAuthenticationTokenException' : error.responseType),
    }, body);
  }

  private send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
    if (response.headersSent) return;
    response.writeHead(status, headers);
    response.end(status === 204 ? undefined : body);
  }
}

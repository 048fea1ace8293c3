import { randomUUID } from 'node:crypto';

/**
 * The API Gateway REST (v1 proxy) event for a request to the items API, with the fields the handlers read.
 * Run by Node's type stripping: erasable syntax only.
 */
export function apiEvent(method: string, path: string, body?: unknown, query?: Record<string, string>): Record<string, unknown> {
  const itemMatch = /^\/items\/([^/]+)$/.exec(path);
  const headers = { 'accept': 'application/json', 'content-type': 'application/json' };
  return {
    httpMethod: method,
    path,
    resource: itemMatch ? '/items/{id}' : path,
    pathParameters: itemMatch ? { id: itemMatch[1] } : null,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])) : null,
    stageVariables: null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), stage: 'bench', httpMethod: method, path: `/bench${path}` },
  };
}

/** A handler as Lambda calls it. */
export type Handler = (event: Record<string, unknown>, context: Record<string, unknown>) => Promise<{ statusCode: number; body?: string }>;

/** The parts of the Lambda context the handlers read. */
export function lambdaContext(): Record<string, unknown> {
  return { awsRequestId: randomUUID(), functionName: 'bench', getRemainingTimeInMillis: () => 30_000 };
}

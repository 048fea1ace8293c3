import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ErrorDetail } from '../../src/contract/items';

/** A client-facing failure: status, stable machine-readable code, a message safe to show and what to fix where. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Headers on every response: JSON, never cached by intermediaries, never sniffed as another type. */
const BASE_HEADERS: Record<string, string> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** A JSON response; `body` undefined means no content (204). */
export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...BASE_HEADERS, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** The error contract every failure uses (src/contract/error-contract.ts): `{ error: { code, message, requestId, details } }`. */
export function errorResponse(error: HttpError, requestId: string, headers: Record<string, string> = {}): APIGatewayProxyResult {
  const body = { error: { code: error.code, message: error.message, requestId, details: error.details } };
  return jsonResponse(error.statusCode, body, { ...headers, ...error.headers });
}

/** A request header by case-insensitive name (API Gateway keeps the client's casing). */
export function requestHeader(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * CORS response headers for the request's Origin: echoed only when it is one of the allowed origins (`Vary: Origin`
 * keeps caches from serving one origin's answer to another); `*` when configured to allow any origin.
 */
export function corsHeaders(event: APIGatewayProxyEvent, allowedOrigins: readonly string[]): Record<string, string> {
  if (allowedOrigins.includes('*')) return { 'access-control-allow-origin': '*' };
  if (allowedOrigins.length === 0) return {};
  const origin = requestHeader(event, 'origin');
  if (origin !== undefined && allowedOrigins.includes(origin)) {
    return { 'access-control-allow-origin': origin, 'vary': 'Origin' };
  }
  return { vary: 'Origin' };
}

/** Preflight headers for an allowed origin: what the browser may send on the actual request. */
export function preflightHeaders(allowedMethods: readonly string[]): Record<string, string> {
  return {
    'access-control-allow-methods': allowedMethods.join(', '),
    'access-control-allow-headers': 'Content-Type, Authorization, X-Amz-Date, X-Amz-Security-Token, X-Api-Key, Idempotency-Key, If-Match',
    'access-control-max-age': '600',
  };
}

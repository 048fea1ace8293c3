import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Retry and timeout budget of every SDK client a handler creates. */
export interface SdkBudget {
  /** Total attempts per call, the first included. */
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
  /** Longest a single attempt may take before it is abandoned and retried. */
  readonly requestTimeoutMs: number;
}

const BACKOFF_BASE_MS = 50;
const BACKOFF_CAP_MS = 2_000;

/** Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^attempt)). */
export function fullJitterBackoff(attempt: number): number {
  return Math.floor(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
}

/**
 * Client settings: bounded retries with jittered exponential backoff and per-attempt timeouts, so a stalled or
 * throttled dependency costs a known, bounded time. The endpoint comes from the SDK's standard configuration
 * (region, AWS_ENDPOINT_URL), which is also how tests point the handler at an emulator.
 */
export function sdkClientConfig(budget: SdkBudget) {
  return {
    retryStrategy: new ConfiguredRetryStrategy(budget.maxAttempts, fullJitterBackoff),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: budget.connectionTimeoutMs,
      requestTimeout: budget.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  };
}

/** The part of an SDK v3 client a caller uses. */
type Sends<C extends { send: unknown }> = Pick<C, 'send'>;

/**
 * A client built on its first call, for a client that only some routes use (Secrets Manager signs page tokens for
 * `GET /items` only): module init does not construct it, and a request that never calls it never pays for it.
 */
export function createdOnFirstCall<C extends { send: (...args: never[]) => unknown }>(create: () => C): Sends<C> {
  let client: C | undefined;
  const send = (...args: Parameters<C['send']>) => (client ??= create()).send(...args);
  return { send } as Sends<C>;
}

const TRANSIENT_NAMES = new Set([
  'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'TooManyRequestsException',
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalServerError', 'InternalServiceError',
  'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/** True when an SDK error means "the dependency is unavailable right now" (worth a 503 and a later retry). */
export function isTransientDependencyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  return TRANSIENT_NAMES.has(error.name) || (status !== undefined && status >= 500) || (code !== undefined && NETWORK_CODES.has(code));
}

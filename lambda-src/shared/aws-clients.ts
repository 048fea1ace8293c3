/** Retry and timeout budget of every AWS client a handler creates. */
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

const TRANSIENT_NAMES = new Set([
  'ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'TooManyRequestsException',
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalServerError', 'InternalServiceError',
  'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException', 'NetworkingError',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/** True when an AWS call's error means "the dependency is unavailable right now" (worth a 503 and a later retry). */
export function isTransientDependencyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  return TRANSIENT_NAMES.has(error.name) || (status !== undefined && status >= 500) || (code !== undefined && NETWORK_CODES.has(code));
}

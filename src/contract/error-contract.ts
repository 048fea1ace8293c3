/**
 * The one error body of the API, whoever answers (API Gateway itself, the handler, local mode):
 * `{"error":{"code","message","requestId","details"}}`, where `details` is always a list of `{ path, message }`
 * (JSON Pointer paths into the request body; `""` when the answer cannot point anywhere narrower), empty when there
 * is nothing more to say.
 */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

/** How API Gateway answers a request it rejects itself: the status and the code the body carries. */
export interface GatewayError {
  /** API Gateway's status for the type; absent for the DEFAULT_* catch-alls, which keep the status of the failure. */
  readonly status?: number;
  readonly code: string;
}

/**
 * Every gateway response type of a REST API, with API Gateway's default status and the code of the contract. Codes
 * the handler also answers (`ValidationError`, `PayloadTooLarge`, `UnsupportedMediaType`, `InternalError`,
 * `ServiceUnavailable`) mean the same failure from either.
 */
export const GATEWAY_ERRORS: { readonly [responseType: string]: GatewayError } = {
  ACCESS_DENIED: { status: 403, code: 'AccessDenied' },
  API_CONFIGURATION_ERROR: { status: 500, code: 'InternalError' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, code: 'InternalError' },
  AUTHORIZER_FAILURE: { status: 500, code: 'InternalError' },
  BAD_REQUEST_PARAMETERS: { status: 400, code: 'InvalidParameter' },
  BAD_REQUEST_BODY: { status: 400, code: 'ValidationError' },
  DEFAULT_4XX: { code: 'ClientError' },
  // A Lambda proxy integration that fails or answers malformed output is a 502 of this type.
  DEFAULT_5XX: { code: 'InternalError' },
  EXPIRED_TOKEN: { status: 403, code: 'ExpiredToken' },
  INTEGRATION_FAILURE: { status: 504, code: 'ServiceUnavailable' },
  INTEGRATION_TIMEOUT: { status: 504, code: 'ServiceUnavailable' },
  INVALID_API_KEY: { status: 403, code: 'InvalidApiKey' },
  INVALID_SIGNATURE: { status: 403, code: 'InvalidSignature' },
  // API Gateway answers this both for a route or method that does not exist and for an unsigned request to an
  // IAM-authorized one: it cannot tell them apart, so neither can the code.
  MISSING_AUTHENTICATION_TOKEN: { status: 403, code: 'MissingAuthenticationToken' },
  QUOTA_EXCEEDED: { status: 429, code: 'QuotaExceeded' },
  REQUEST_TOO_LARGE: { status: 413, code: 'PayloadTooLarge' },
  RESOURCE_NOT_FOUND: { status: 404, code: 'ResourceNotFound' },
  THROTTLED: { status: 429, code: 'Throttled' },
  UNAUTHORIZED: { status: 401, code: 'Unauthorized' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, code: 'UnsupportedMediaType' },
  WAF_FILTERED: { status: 403, code: 'RequestBlocked' },
};

/** Gateway response types whose body carries API Gateway's validation message as the one detail. */
export const VALIDATION_RESPONSE_TYPES: readonly string[] = ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS'];

/**
 * The body template of a gateway response. Gateway response templates substitute variables only (no VTL):
 * `messageString` is already a quoted JSON string, `validationErrorString` comes JSON-escaped.
 */
export function gatewayErrorTemplate(responseType: string): string {
  const { code } = GATEWAY_ERRORS[responseType];
  const details = VALIDATION_RESPONSE_TYPES.includes(responseType)
    ? '[{"path":"","message":"$context.error.validationErrorString"}]'
    : '[]';
  return `{"error":{"code":"${code}","message":$context.error.messageString,"requestId":"$context.requestId","details":${details}}}`;
}

/**
 * Every environment variable the bundled items handler reads (besides the AWS_* ones Lambda sets), in one list shared
 * by the construct, which sets or reserves them, and the handler, which reads them.
 */

/** The variables the service sets, each with the prop that sets it: a user's own value would be overwritten. */
export const SERVICE_SET_HANDLER_VARIABLES: { readonly [name: string]: string } = {
  TABLE_NAME: 'the service table (table)',
  SECRET_ARN: 'the service secret (secret)',
  SECRET_CACHE_TTL_SECONDS: 'secretCacheTtl',
  IDEMPOTENCY_WINDOW_SECONDS: 'idempotencyWindow',
  MAX_BODY_BYTES: 'maxRequestBodySize',
  CORS_ALLOWED_ORIGINS: 'cors (or stage.api.cors)',
  ITEM_DATA_SCHEMA: 'itemSchema',
  LOG_LEVEL: 'stage.handlerFunction.applicationLogLevel',
  POWERTOOLS_SERVICE_NAME: 'serviceName',
  POWERTOOLS_METRICS_NAMESPACE: 'serviceName',
  ITEMS_PATH: 'itemsPath',
};

/** The path part of the items routes (`/items`, `/items/{id}`) unless `itemsPath` renames it. */
export const DEFAULT_ITEMS_PATH = 'items';

/**
 * One API Gateway path part as the library's routes take it: letters, digits and `. _ ~ -` (the segment rule of
 * `ValidatedRestApi.addRoute`), never a `{variable}`.
 */
export const ITEMS_PATH_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;

/** Tuning variables the service leaves unset: a user may set them in `environment` (the handler has defaults). */
export const TUNABLE_HANDLER_VARIABLES: readonly string[] = [
  'SECRET_MAX_STALE_SECONDS', 'SDK_MAX_ATTEMPTS', 'SDK_CONNECTION_TIMEOUT_MS', 'SDK_REQUEST_TIMEOUT_MS', 'RETRY_AFTER_SECONDS',
];

import { assertUsableSchema, DEFAULT_ITEMS_PATH, ITEMS_PATH_PATTERN, type JsonSchemaSubset } from '../../src/contract/items';

/** The handler's settings, read once per execution environment from the variables ServerlessService sets. */
export interface ItemsConfig {
  readonly tableName: string;
  readonly secretArn: string;
  readonly secretCacheTtlMs: number;
  /** How long past its TTL a cached signing key still serves while Secrets Manager fails. */
  readonly secretMaxStaleMs: number;
  /** How long an `Idempotency-Key` answers with its first response. */
  readonly idempotencyWindowSeconds: number;
  /** Exact origins allowed by CORS; `*` allows any origin (never with credentials). */
  readonly corsAllowedOrigins: readonly string[];
  readonly itemDataSchema?: JsonSchemaSubset;
  readonly maxBodyBytes: number;
  readonly sdkMaxAttempts: number;
  readonly sdkConnectionTimeoutMs: number;
  readonly sdkRequestTimeoutMs: number;
  /** Seconds clients are told to wait in `Retry-After` when a dependency stays unavailable. */
  readonly retryAfterSeconds: number;
  /** The path part the routes are served under: `/<itemsPath>` and `/<itemsPath>/{id}`. */
  readonly itemsPath: string;
}

/** A setting is missing or invalid: the function is misconfigured, never the client's fault. */
export class ConfigurationError extends Error {}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigurationError(`${name} is not set`);
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigurationError(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function dataSchema(env: NodeJS.ProcessEnv): JsonSchemaSubset | undefined {
  const raw = env.ITEM_DATA_SCHEMA?.trim();
  if (!raw) return undefined;
  let schema: unknown;
  try {
    schema = JSON.parse(raw);
  } catch {
    throw new ConfigurationError('ITEM_DATA_SCHEMA is not valid JSON');
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ConfigurationError('ITEM_DATA_SCHEMA must be a JSON schema object');
  }
  try {
    assertUsableSchema(schema as JsonSchemaSubset);
  } catch (error) {
    throw new ConfigurationError(`ITEM_DATA_SCHEMA is not a usable schema: ${(error as Error).message}`);
  }
  return schema as JsonSchemaSubset;
}

function itemsPath(env: NodeJS.ProcessEnv): string {
  const value = env.ITEMS_PATH?.trim() || DEFAULT_ITEMS_PATH;
  if (!ITEMS_PATH_PATTERN.test(value)) throw new ConfigurationError(`ITEMS_PATH must be one path part, got "${value}"`);
  return value;
}

/** Reads and checks the environment; throws ConfigurationError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ItemsConfig {
  return {
    tableName: required(env, 'TABLE_NAME'),
    secretArn: required(env, 'SECRET_ARN'),
    secretCacheTtlMs: positiveInteger(env, 'SECRET_CACHE_TTL_SECONDS', 300) * 1000,
    secretMaxStaleMs: positiveInteger(env, 'SECRET_MAX_STALE_SECONDS', 900) * 1000,
    idempotencyWindowSeconds: positiveInteger(env, 'IDEMPOTENCY_WINDOW_SECONDS', 3600),
    corsAllowedOrigins: (env.CORS_ALLOWED_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    itemDataSchema: dataSchema(env),
    maxBodyBytes: positiveInteger(env, 'MAX_BODY_BYTES', 64 * 1024),
    sdkMaxAttempts: Math.max(1, positiveInteger(env, 'SDK_MAX_ATTEMPTS', 3)),
    sdkConnectionTimeoutMs: positiveInteger(env, 'SDK_CONNECTION_TIMEOUT_MS', 1000),
    sdkRequestTimeoutMs: positiveInteger(env, 'SDK_REQUEST_TIMEOUT_MS', 3000),
    retryAfterSeconds: positiveInteger(env, 'RETRY_AFTER_SECONDS', 1),
    itemsPath: itemsPath(env),
  };
}

import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ConfigurationError, loadConfig } from './config';
import { IdempotencyStore } from './idempotency';
import { ItemsRepository } from './repository';
import { dispatch, ItemsServices } from './routes';
import { SigningKeyCache } from './secret';
import { RequestValidator } from './validation';
import { isTransientDependencyError } from '../shared/aws-clients';
import { AwsJsonClient, DYNAMODB, SECRETS_MANAGER } from '../shared/aws-json-client';
import { corsHeaders, errorResponse, HttpError } from '../shared/http';
import { configuredLogLevel, describeError, Logger } from '../shared/logger';
import { Metrics } from '../shared/metrics';

/**
 * Items CRUD handler for API Gateway REST (Lambda proxy integration, payload v1). See docs/items-api.md for the HTTP
 * contract. Everything below runs once per execution environment (cold start).
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'items-api';
const logger = new Logger(serviceName, configuredLogLevel());
const metricsNamespace = process.env.POWERTOOLS_METRICS_NAMESPACE || 'ItemsApi';
let coldStart = true;
/** How long an Idempotency-Key claim may block retries when the invocation's deadline is unknown (direct calls). */
const DEFAULT_REMAINING_MS = 30_000;

function createServices(): ItemsServices {
  const config = loadConfig();
  const budget = {
    maxAttempts: config.sdkMaxAttempts,
    connectionTimeoutMs: config.sdkConnectionTimeoutMs,
    requestTimeoutMs: config.sdkRequestTimeoutMs,
  };
  const dynamodb = new AwsJsonClient(DYNAMODB, budget);
  const secretsManager = new AwsJsonClient(SECRETS_MANAGER, budget);
  return {
    config,
    validator: new RequestValidator(config.maxBodyBytes, config.itemDataSchema),
    repository: new ItemsRepository(dynamodb, config.tableName),
    signingKeys: new SigningKeyCache(secretsManager, config.secretArn, config.secretCacheTtlMs, config.secretMaxStaleMs),
    idempotency: new IdempotencyStore(dynamodb, config.tableName, config.idempotencyWindowSeconds),
  };
}

/** A broken configuration is logged and answered with 500 on every request, rather than crashing the init phase. */
let services: ItemsServices | undefined;
let setupError: unknown;
try {
  services = createServices();
} catch (error) {
  setupError = error;
}

/** Maps any failure to a response; internal details go to the log only. */
function failureResponse(error: unknown, requestId: string, retryAfterSeconds: number): { response: APIGatewayProxyResult; level: 'info' | 'warn' | 'error' } {
  if (error instanceof HttpError) return { response: errorResponse(error, requestId), level: 'info' };
  if (isTransientDependencyError(error)) {
    const retryAfter = { 'retry-after': String(retryAfterSeconds) };
    const unavailable = new HttpError(503, 'ServiceUnavailable', 'A dependency is temporarily unavailable; retry later.', undefined, retryAfter);
    return { response: errorResponse(unavailable, requestId), level: 'warn' };
  }
  return { response: errorResponse(new HttpError(500, 'InternalError', 'Internal error.'), requestId), level: 'error' };
}

/** A logger for one invocation: nothing leaks between invocations, even concurrent ones in one process. */
function invocationLogger(requestId: string, context: Context | undefined, isColdStart: boolean): Logger {
  const traceHeader = process.env._X_AMZN_TRACE_ID;
  return logger.child({
    requestId,
    ...(context?.awsRequestId ? { lambdaRequestId: context.awsRequestId } : {}),
    ...(traceHeader ? { xrayTraceId: traceHeader.split(';')[0].replace('Root=', '') } : {}),
    coldStart: isColdStart,
  });
}

/** One EMF document per invocation. */
function publishMetrics(requestId: string, status: number, durationMs: number, isColdStart: boolean): void {
  const metrics = new Metrics(metricsNamespace, serviceName);
  if (isColdStart) metrics.add('ColdStart', 'Count', 1);
  metrics.add('Requests', 'Count', 1);
  metrics.add('ClientErrors', 'Count', status >= 400 && status < 500 ? 1 : 0);
  metrics.add('ServerErrors', 'Count', status >= 500 ? 1 : 0);
  metrics.add('Latency', 'Milliseconds', durationMs);
  metrics.flush({ requestId });
}

export async function handler(rawEvent: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> {
  const startedAt = Date.now();
  const event = rawEvent ?? ({} as APIGatewayProxyEvent);
  const requestId = event.requestContext?.requestId || context?.awsRequestId || 'unknown';
  const isColdStart = coldStart;
  coldStart = false;
  const log = invocationLogger(requestId, context, isColdStart);

  let response: APIGatewayProxyResult;
  try {
    if (!services) throw setupError;
    response = await dispatch(event, services, { remainingMs: context?.getRemainingTimeInMillis?.() ?? DEFAULT_REMAINING_MS });
  } catch (error) {
    const failure = failureResponse(error, requestId, services?.config.retryAfterSeconds ?? 1);
    response = failure.response;
    const detail = error instanceof HttpError ? { code: error.code } : describeError(error);
    if (error instanceof ConfigurationError) log.error(`configuration error: ${error.message}`, detail);
    else log[failure.level]('request failed', detail);
  }
  // Stryker disable next-line ArrayDeclaration: equivalent, the mutant's one origin "Stryker was here" is no serialized origin (RFC 6454 section 6.2), so no browser sends it
  response = { ...response, headers: { ...corsHeaders(event, services?.config.corsAllowedOrigins ?? []), ...response.headers } };

  const durationMs = Date.now() - startedAt;
  publishMetrics(requestId, response.statusCode, durationMs, isColdStart);
  log.info('request completed', { method: event.httpMethod, resource: event.resource, path: event.path, status: response.statusCode, durationMs });
  return response;
}

import { createHash, createHmac } from 'node:crypto';
import type { Agent, IncomingMessage } from 'node:http';
import { fullJitterBackoff, type SdkBudget } from './aws-clients';
import { recordSubsegment } from './tracing';

/**
 * A client for AWS's JSON protocols (DynamoDB: `awsJson1_0`, Secrets Manager: `awsJson1_1`), in place of the AWS SDK
 * v3 clients in the items handler: the operations it calls take and return the same JSON the SDK's low-level clients
 * send and receive, so the SDK's generated serializers, middleware stack and schemas (most of the bundle V8 compiles at
 * init) are not needed. What the SDK gave and this keeps: Signature Version 4, the standard endpoint settings
 * (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`), the standard retry mode (attempt budget, full-jitter backoff,
 * retry quota), per-attempt timeouts, errors named and shaped like the SDK's, and one X-Ray subsegment per call.
 */
export interface AwsJsonService {
  /** The SigV4 signing name and endpoint prefix, e.g. `dynamodb`. */
  readonly signingName: string;
  /** The `X-Amz-Target` prefix, e.g. `DynamoDB_20120810`. */
  readonly targetPrefix: string;
  readonly jsonVersion: '1.0' | '1.1';
  /** The service's endpoint variable suffix (`AWS_ENDPOINT_URL_<suffix>`), from the SDK's service id. */
  readonly endpointEnvSuffix: string;
  /** The subsegment name X-Ray shows. */
  readonly traceName: string;
}

export const DYNAMODB: AwsJsonService = {
  signingName: 'dynamodb', targetPrefix: 'DynamoDB_20120810', jsonVersion: '1.0', endpointEnvSuffix: 'DYNAMODB', traceName: 'DynamoDB',
};
export const SECRETS_MANAGER: AwsJsonService = {
  signingName: 'secretsmanager', targetPrefix: 'secretsmanager', jsonVersion: '1.1', endpointEnvSuffix: 'SECRETS_MANAGER', traceName: 'SecretsManager',
};

/** What the SDK puts on its outputs and errors as `$metadata`. */
export interface CallMetadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly attempts: number;
}

/** A service or transport error, named as the SDK names it (`ConditionalCheckFailedException`, `TimeoutError`, ...). */
export class AwsServiceError extends Error {
  /** The error's other members, e.g. `Item` of a ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure. */
  readonly fields: Record<string, unknown>;
  $metadata: CallMetadata;
  readonly code?: string;

  constructor(name: string, message: string, metadata: CallMetadata, fields: Record<string, unknown> = {}, code?: string) {
    super(message);
    this.name = name;
    this.$metadata = metadata;
    this.fields = fields;
    this.code = code;
  }
}

/** True when `error` is the service error `name`. */
export function isServiceError(error: unknown, name: string): error is AwsServiceError {
  return error instanceof AwsServiceError && error.name === name;
}

// The standard retry mode of the AWS SDKs ("Retry behavior", AWS SDKs and Tools reference guide): which errors are
// retried, and the retry quota that stops retrying when most calls fail.
const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException',
  'ProvisionedThroughputExceededException', 'TransactionInProgressException', 'RequestLimitExceeded', 'BandwidthLimitExceeded',
  'LimitExceededException', 'RequestThrottled', 'SlowDown', 'PriorRequestNotComplete', 'EC2ThrottledException',
]);
const TRANSIENT = new Set(['RequestTimeout', 'RequestTimeoutException', 'TimeoutError', 'NetworkingError', 'InternalError', 'InternalServerError']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const RETRY_QUOTA = { initial: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 };

function isRetryable(error: AwsServiceError): boolean {
  const status = error.$metadata.httpStatusCode;
  return THROTTLING.has(error.name) || TRANSIENT.has(error.name) || (status !== undefined && TRANSIENT_STATUS.has(status));
}

/** AWS's error name from `__type` or `X-Amzn-ErrorType`: `aws.protocoltests#Name:http://...` -> `Name`. */
function errorName(raw: string | undefined): string {
  return (raw ?? 'UnknownError').split(':')[0].split('#').pop() || 'UnknownError';
}

const hash = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

interface Credentials { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string }

/** The credentials Lambda gives a function's execution role, read per call (a new environment may rotate them). */
function environmentCredentials(): Credentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
  if (!accessKeyId || !secretAccessKey) {
    throw new AwsServiceError('CredentialsProviderError', 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: the bundled handler reads ' +
      'the credentials Lambda sets from the execution role', { attempts: 0 });
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** Signature Version 4 headers of a POST of `body` to `url` ("Create a signed AWS API request", IAM user guide). */
export function signedHeaders(
  url: URL, body: string, headers: Record<string, string>, credentials: Credentials, region: string, service: string, now: Date,
): Record<string, string> {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const all: Record<string, string> = {
    ...headers,
    'host': url.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': hash(body),
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const names = Object.keys(all).map((name) => name.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(all).map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')]));
  const signed = names.join(';');
  const canonical = ['POST', url.pathname || '/', '', ...names.map((name) => `${name}:${lower[name]}`), '', signed, lower['x-amz-content-sha256']].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hash(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return { ...all, authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}` };
}

/** The service endpoint: the SDKs' endpoint variables, else the regional public endpoint. */
export function serviceEndpoint(service: AwsJsonService, region: string, env: NodeJS.ProcessEnv = process.env): URL {
  const configured = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true' ? undefined : env[`AWS_ENDPOINT_URL_${service.endpointEnvSuffix}`] ?? env.AWS_ENDPOINT_URL;
  if (configured) return new URL(configured);
  return new URL(`https://${service.signingName}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}/`);
}

interface HttpResponse { readonly status: number; readonly headers: IncomingMessage['headers']; readonly body: string }

/** One call of one operation of an AWS JSON service, with retries. */
export class AwsJsonClient {
  private retryTokens = RETRY_QUOTA.initial;
  private agent?: Agent;

  constructor(private readonly service: AwsJsonService, private readonly budget: SdkBudget) {}

  async call<T = Record<string, unknown>>(operation: string, input: object): Promise<T & { $metadata: CallMetadata }> {
    const startTime = Date.now() / 1000;
    const tableName = (input as { TableName?: unknown }).TableName;
    const trace = { service: this.service.traceName, operation, startTime, ...(typeof tableName === 'string' ? { tableName } : {}) };
    try {
      const output = await this.callWithRetries<T>(operation, input);
      recordSubsegment(trace, output.$metadata);
      return output;
    } catch (error) {
      if (error instanceof AwsServiceError) recordSubsegment(trace, error.$metadata, error.name);
      throw error;
    }
  }

  private async callWithRetries<T>(operation: string, input: object): Promise<T & { $metadata: CallMetadata }> {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      let error: AwsServiceError;
      try {
        const response = await this.attempt(operation, body);
        const metadata = { httpStatusCode: response.status, requestId: requestId(response.headers), attempts: attempt };
        if (response.status < 300) {
          this.retryTokens = Math.min(RETRY_QUOTA.initial, this.retryTokens + RETRY_QUOTA.successRefund);
          return { ...(response.body ? JSON.parse(response.body) : {}), $metadata: metadata };
        }
        error = serviceError(response, metadata);
      } catch (thrown) {
        error = thrown instanceof AwsServiceError ? thrown : transportError(thrown);
        error.$metadata = { ...error.$metadata, attempts: attempt };
      }
      const cost = error.name === 'TimeoutError' ? RETRY_QUOTA.timeoutCost : RETRY_QUOTA.retryCost;
      if (attempt >= this.budget.maxAttempts || !isRetryable(error) || this.retryTokens < cost) throw error;
      this.retryTokens -= cost;
      await new Promise((resolve) => setTimeout(resolve, fullJitterBackoff(attempt)));
    }
  }

  private attempt(operation: string, body: string): Promise<HttpResponse> {
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const url = serviceEndpoint(this.service, region);
    const headers = signedHeaders(url, body, {
      'content-type': `application/x-amz-json-${this.service.jsonVersion}`,
      'x-amz-target': `${this.service.targetPrefix}.${operation}`,
    }, environmentCredentials(), region, this.service.signingName, new Date());
    // http and https are loaded on the first call, not at init: module init stays the handler's own code.
    const transport = process.getBuiltinModule(url.protocol === 'http:' ? 'node:http' : 'node:https') as typeof import('node:https');
    this.agent ??= new transport.Agent({ keepAlive: true, maxSockets: 50 });
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: this.agent });
      const deadline = setTimeout(() => request.destroy(new AwsServiceError('TimeoutError',
        `${this.service.traceName}.${operation} took longer than ${this.budget.requestTimeoutMs} ms`, { attempts: 0 })), this.budget.requestTimeoutMs);
      request.once('socket', (socket) => {
        if (!socket.connecting) return;
        const connecting = setTimeout(() => request.destroy(new AwsServiceError('TimeoutError',
          `no connection to ${url.host} within ${this.budget.connectionTimeoutMs} ms`, { attempts: 0 })), this.budget.connectionTimeoutMs);
        socket.once('connect', () => clearTimeout(connecting)).once('close', () => clearTimeout(connecting));
      });
      request.once('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      request.once('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', reject);
        response.once('end', () => {
          clearTimeout(deadline);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      request.end(body);
    });
  }
}

function requestId(headers: IncomingMessage['headers']): string | undefined {
  const value = headers['x-amzn-requestid'] ?? headers['x-amz-request-id'];
  return Array.isArray(value) ? value[0] : value;
}

/** The error a JSON-protocol service answered: its `__type` (or `X-Amzn-ErrorType`), message and other members. */
function serviceError(response: HttpResponse, metadata: CallMetadata): AwsServiceError {
  let document: Record<string, unknown> = {};
  try {
    document = response.body ? JSON.parse(response.body) : {};
  } catch {
    // Not JSON (a proxy's error page): named by the status alone.
  }
  const header = response.headers['x-amzn-errortype'];
  const name = errorName((document.__type as string | undefined) ?? (Array.isArray(header) ? header[0] : header) ?? (response.status >= 500 ? 'InternalServerError' : undefined));
  const { __type: _type, message, Message, ...fields } = document;
  return new AwsServiceError(name, String(message ?? Message ?? `HTTP ${response.status}`), metadata, fields);
}

/** A network failure (reset, refused, DNS): retryable, with the Node error code kept as the SDK keeps it. */
function transportError(thrown: unknown): AwsServiceError {
  const error = thrown as NodeJS.ErrnoException | undefined;
  return new AwsServiceError('NetworkingError', String(error?.message ?? thrown), { attempts: 0 }, {}, error?.code);
}

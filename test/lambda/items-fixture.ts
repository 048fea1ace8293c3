import { randomBytes, randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ItemsResource, SERVICE_SET_HANDLER_VARIABLES, TUNABLE_HANDLER_VARIABLES, itemsResourcePath } from '../../src/contract/items';
import { motoClientConfig } from '../harness/moto';

/** An HTTP request to the items API, turned into an API Gateway v1 proxy event. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  /** A string is sent as is; anything else is JSON-encoded. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** Repeated query parameters: API Gateway puts every value in the multi-value map and the last in the other. */
  readonly multiQuery?: Record<string, string[]>;
  readonly isBase64Encoded?: boolean;
  /** Overrides the resource template derived from the path. */
  readonly resource?: string;
}

export interface ApiResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly json: any;
  readonly requestId: string;
}

export type ItemsHandler = (event: APIGatewayProxyEvent, context?: unknown) => Promise<APIGatewayProxyResult>;

/** The path the tests serve the items routes under (the default `itemsPath`). */
export const ITEMS_PATH = 'items';

/** A path of `resource` with `id` in place of `{id}` (percent-encoded, as a client sends it). */
export function itemsPath(resource: ItemsResource, id = ''): string {
  return itemsResourcePath(resource, ITEMS_PATH).replace('{id}', encodeURIComponent(id));
}

/** The API Gateway resource template a path would match, as API Gateway sets `resource` and `pathParameters`. */
function resourceOf(path: string): { resource: string; pathParameters: Record<string, string> | null } {
  for (const resource of ['collection', 'item'] as const) {
    const template = itemsResourcePath(resource, ITEMS_PATH);
    const match = new RegExp(`^${template.replace('{id}', '([^/]+)')}$`).exec(path);
    if (!match) continue;
    if (match[1] === undefined) return { resource: template, pathParameters: null };
    let id = match[1];
    try {
      id = decodeURIComponent(id);
    } catch {
      // API Gateway passes undecodable segments through.
    }
    return { resource: template, pathParameters: { id } };
  }
  return { resource: path, pathParameters: null };
}

function queryParameters(request: ApiRequest): Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'> {
  const multi = { ...Object.fromEntries(Object.entries(request.query ?? {}).map(([k, v]) => [k, [v]])), ...request.multiQuery };
  if (Object.keys(multi).length === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null };
  const last = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]]));
  return { queryStringParameters: last, multiValueQueryStringParameters: multi };
}

export function apiEvent(request: ApiRequest): APIGatewayProxyEvent {
  const { resource, pathParameters } = resourceOf(request.path);
  const body = request.body === undefined ? null : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const givesContentType = Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === 'content-type');
  const headers = { ...(givesContentType ? {} : { 'content-type': 'application/json' }), ...request.headers };
  return {
    httpMethod: request.method,
    path: request.path,
    resource: request.resource ?? resource,
    pathParameters,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    ...queryParameters(request),
    stageVariables: null,
    body,
    isBase64Encoded: request.isBase64Encoded ?? false,
    requestContext: { requestId: randomUUID(), stage: 'test', httpMethod: request.method, path: `/test${request.path}` } as any,
  };
}

/** Invokes a handler in-process with the event API Gateway would send. */
export async function invoke(handler: ItemsHandler, request: ApiRequest): Promise<ApiResponse> {
  const event = apiEvent(request);
  const result = await handler(event, { awsRequestId: randomUUID() });
  let json: unknown;
  try {
    json = result.body ? JSON.parse(result.body) : undefined;
  } catch {
    json = undefined;
  }
  return {
    statusCode: result.statusCode,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: result.body,
    json,
    requestId: event.requestContext.requestId,
  };
}

/** A table and a signing-key secret of its own, so test files running in parallel never share state. */
export interface ItemsBackend {
  readonly tableName: string;
  readonly secretArn: string;
  readonly dynamodb: DynamoDBClient;
  readonly secretsManager: SecretsManagerClient;
  /** Every stored item (raw attribute values, internal attributes included), sorted by id. */
  scanTable(): Promise<Record<string, AttributeValue>[]>;
  /** Puts a new signing key into the secret (a rotation); returns it with the id of the new secret version. */
  rotateSigningKey(): Promise<{ key: Buffer; versionId: string }>;
}

export async function createItemsBackend(label: string): Promise<ItemsBackend> {
  const suffix = randomUUID().slice(0, 8);
  const tableName = `items-${label}-${suffix}`;
  const dynamodb = new DynamoDBClient(motoClientConfig());
  const secretsManager = new SecretsManagerClient(motoClientConfig());
  await dynamodb.send(new CreateTableCommand({
    TableName: tableName,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  const secret = await secretsManager.send(new CreateSecretCommand({
    Name: `items-${label}-${suffix}`,
    SecretString: JSON.stringify({ tokenSigningKey: randomBytes(32).toString('base64') }),
  }));
  return {
    tableName,
    secretArn: secret.ARN!,
    dynamodb,
    secretsManager,
    async scanTable() {
      const items: Record<string, AttributeValue>[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamodb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items.sort((a, b) => (a.id.S! < b.id.S! ? -1 : 1));
    },
    async rotateSigningKey() {
      const key = randomBytes(32).toString('base64');
      const secretString = JSON.stringify({ tokenSigningKey: key });
      const put = await secretsManager.send(new PutSecretValueCommand({ SecretId: secret.ARN!, SecretString: secretString }));
      return { key: Buffer.from(key), versionId: put.VersionId! };
    },
  };
}

/** Every variable the handler reads, unset: a load never inherits an earlier load's override (loadHandler sets process.env). */
const UNSET_HANDLER_VARIABLES = Object.fromEntries(
  [...Object.keys(SERVICE_SET_HANDLER_VARIABLES), ...TUNABLE_HANDLER_VARIABLES].map((name) => [name, undefined]),
);

/** The handler's environment for a backend; `overrides` win, `undefined` removes a variable. */
export function handlerEnv(backend: ItemsBackend, overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    ...UNSET_HANDLER_VARIABLES,
    TABLE_NAME: backend.tableName,
    SECRET_ARN: backend.secretArn,
    CORS_ALLOWED_ORIGINS: 'https://app.example.com,https://admin.example.com',
    POWERTOOLS_SERVICE_NAME: 'items-test',
    POWERTOOLS_METRICS_NAMESPACE: 'ItemsTest',
    LOG_LEVEL: 'INFO',
    ...overrides,
  };
}

/**
 * A fresh copy of a handler module (its own SDK clients, caches and config) loaded with `env`: the module reads the
 * environment at import time, so the variables are set first. Its stdout (logs and EMF metrics) is captured into
 * `output` instead of cluttering the test report.
 */
export function loadHandler(modulePath: string, env: Record<string, string | undefined>): ItemsHandler {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  let loaded: { handler: ItemsHandler } | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(modulePath);
  });
  return loaded!.handler;
}

/** A backend of its own (`label` names its table and secret) and the items handler from source, wired to it. */
export async function itemsHandlerWithBackend(label: string): Promise<{ backend: ItemsBackend; handler: ItemsHandler }> {
  const backend = await createItemsBackend(label);
  return { backend, handler: loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend)) };
}

/** Lines the handlers wrote to stdout (structured logs and EMF documents), parsed as JSON where they are JSON. */
export const capturedOutput: unknown[] = [];

/** Sends stdout to `capturedOutput` for the current test file. */
export function captureStdout(): void {
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      try {
        capturedOutput.push(JSON.parse(line));
      } catch {
        capturedOutput.push(line);
      }
    }
    return true;
  }) as typeof process.stdout.write);
  afterAll(() => spy.mockRestore());
}

export const ITEMS_HANDLER_SOURCE = require.resolve('../../lambda-src/items');

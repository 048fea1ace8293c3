import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ItemsConfig } from './config';
import { IdempotencyStore, validIdempotencyKey } from './idempotency';
import { encodePageToken, parsePageToken, verifyPageToken } from './pagination';
import type { Item, ItemsRepository } from './repository';
import type { SigningKeyCache } from './secret';
import { deleteRequest, listRequest, RequestValidator, validItemId } from './validation';
import { ItemsResource, ItemsRoute, itemsMethodsOn, itemsRouteOf } from '../../src/contract/items';
import { HttpError, jsonResponse, preflightHeaders, requestHeader } from '../shared/http';

/** What the routes need, built once per execution environment. */
export interface ItemsServices {
  readonly config: ItemsConfig;
  readonly validator: RequestValidator;
  readonly repository: ItemsRepository;
  readonly signingKeys: SigningKeyCache;
  readonly idempotency: IdempotencyStore;
}

/** What the routes know of the invocation. */
export interface InvocationContext {
  /** How long the invocation may still run: the longest an Idempotency-Key claim may block a retry. */
  readonly remainingMs: number;
}

type ResolvedRoute = { readonly kind: 'collection' } | { readonly kind: 'item'; readonly rawId: string | undefined };

/** A request routed to an operation; `rawId` is the item route's id segment, not yet validated. */
interface RoutedRequest {
  readonly event: APIGatewayProxyEvent;
  readonly rawId?: string;
  readonly services: ItemsServices;
  readonly invocation: InvocationContext;
}

/** What one route does. */
type Operation = (request: RoutedRequest) => Promise<APIGatewayProxyResult>;

/** The operation of each route of the contract's route table: a route without one fails to compile. */
const OPERATIONS: { readonly [route in ItemsRoute]: Operation } = {
  'GET /items': ({ event, services }) => listItems(event, services),
  'POST /items': ({ event, services, invocation }) => createItem(event, services, invocation),
  'GET /items/{id}': ({ rawId, services }) => getItem(validItemId(rawId), services),
  'PUT /items/{id}': ({ rawId, event, services, invocation }) => updateItem(validItemId(rawId), event, services, invocation),
  'DELETE /items/{id}': ({ rawId, event, services }) => deleteItem(validItemId(rawId), event, services),
};

/** The methods each resource answers, from the route table, and the CORS preflight. */
const ALLOWED_METHODS: { readonly [resource in ItemsResource]: readonly string[] } = {
  collection: [...itemsMethodsOn('collection'), 'OPTIONS'],
  item: [...itemsMethodsOn('item'), 'OPTIONS'],
};

/**
 * The route from API Gateway's resource template (which ignores stage and custom-domain base paths), or from the
 * exact path for direct invokes.
 */
export function resolveRoute(event: APIGatewayProxyEvent, itemsPath: string): ResolvedRoute | undefined {
  const collection = `/${itemsPath}`;
  if (event.resource === collection) return { kind: 'collection' };
  if (event.resource === `${collection}/{id}`) return { kind: 'item', rawId: event.pathParameters?.id ?? undefined };
  const path = typeof event.path === 'string' ? event.path : '';
  if (path !== collection && !path.startsWith(`${collection}/`)) return undefined;
  const match = /^(?:\/([^/]*))?\/?$/.exec(path.slice(collection.length));
  if (!match) return undefined;
  if (match[1] === undefined || match[1] === '') return { kind: 'collection' };
  try {
    return { kind: 'item', rawId: decodeURIComponent(match[1]) };
  } catch {
    return { kind: 'item', rawId: undefined };
  }
}

function routeNotFound(itemsPath: string): HttpError {
  return new HttpError(404, 'RouteNotFound', `No such route: the API serves /${itemsPath} and /${itemsPath}/{id}.`);
}

function itemNotFound(): HttpError {
  return new HttpError(404, 'ItemNotFound', 'No item with this id.');
}

/** Routes one request to its operation; throws HttpError for anything the client must fix. */
export async function dispatch(event: APIGatewayProxyEvent, services: ItemsServices, invocation: InvocationContext): Promise<APIGatewayProxyResult> {
  const route = resolveRoute(event, services.config.itemsPath);
  if (!route) throw routeNotFound(services.config.itemsPath);
  const method = typeof event.httpMethod === 'string' ? event.httpMethod : '';
  const allowed: readonly string[] = ALLOWED_METHODS[route.kind];
  if (!allowed.includes(method)) {
    throw new HttpError(405, 'MethodNotAllowed', `Method not allowed; use one of ${allowed.join(', ')}.`, undefined, { allow: allowed.join(', ') });
  }
  if (method === 'OPTIONS') return jsonResponse(204, undefined, preflightHeaders(allowed));
  const operation = OPERATIONS[itemsRouteOf(route.kind, method)!.route];
  return operation({ event, rawId: route.kind === 'item' ? route.rawId : undefined, services, invocation });
}

/** An item response: its version is also its entity tag, the value `If-Match` takes. */
function itemResponse(statusCode: number, item: Item): APIGatewayProxyResult {
  return jsonResponse(statusCode, item, { etag: `"${item.version}"` });
}

function versionConflict(currentVersion: number): HttpError {
  // The stored version, also as a number beside the contract's path and message.
  const detail = { path: '/version', message: `the current version is ${currentVersion}`, currentVersion };
  return new HttpError(409, 'VersionConflict', 'The item changed since this version was read; read it again and retry.', [detail]);
}

/**
 * Runs a write at most once per `Idempotency-Key` (when the client sends one): a retry with the same key and payload
 * within the window gets the first response without writing again.
 */
async function idempotent(
  event: APIGatewayProxyEvent, services: ItemsServices, invocation: InvocationContext, scope: string, payload: unknown,
  write: () => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  const key = validIdempotencyKey(requestHeader(event, 'idempotency-key'));
  if (key === undefined) return write();
  const start = await services.idempotency.start(scope, key, JSON.stringify(payload), randomUUID(), invocation.remainingMs);
  if (start.kind === 'replay') return start.response;
  let response: APIGatewayProxyResult;
  try {
    response = await write();
  } catch (error) {
    await services.idempotency.release(start);
    throw error;
  }
  await services.idempotency.complete(start, response);
  return response;
}

async function createItem(event: APIGatewayProxyEvent, services: ItemsServices, invocation: InvocationContext): Promise<APIGatewayProxyResult> {
  const request = services.validator.createRequest(event);
  return idempotent(event, services, invocation, 'POST /items', request, async () => {
    const now = new Date().toISOString();
    const item = { id: request.id ?? randomUUID(), data: request.data, version: 1, createdAt: now, updatedAt: now };
    const result = await services.repository.create(item, randomUUID());
    if (!result.created) throw new HttpError(409, 'ItemAlreadyExists', 'An item with this id already exists.');
    return itemResponse(201, result.item);
  });
}

async function getItem(id: string, { repository }: ItemsServices): Promise<APIGatewayProxyResult> {
  const item = await repository.get(id);
  if (!item) throw itemNotFound();
  return itemResponse(200, item);
}

async function updateItem(
  id: string, event: APIGatewayProxyEvent, services: ItemsServices, invocation: InvocationContext,
): Promise<APIGatewayProxyResult> {
  const request = services.validator.updateRequest(event);
  return idempotent(event, services, invocation, `PUT /items/${id}`, request, async () => {
    const result = await services.repository.update(id, request.data, request.version, new Date().toISOString(), randomUUID());
    switch (result.outcome) {
      case 'updated': return itemResponse(200, result.item);
      case 'not-found': throw itemNotFound();
      default: throw versionConflict(result.currentVersion);
    }
  });
}

async function deleteItem(id: string, event: APIGatewayProxyEvent, { repository }: ItemsServices): Promise<APIGatewayProxyResult> {
  const request = deleteRequest(event);
  const result = await repository.delete(id, request.expectedVersion);
  switch (result.outcome) {
    case 'deleted': return jsonResponse(204, undefined);
    case 'not-found': throw itemNotFound();
    default: throw versionConflict(result.currentVersion);
  }
}

async function listItems(event: APIGatewayProxyEvent, { config, repository, signingKeys }: ItemsServices): Promise<APIGatewayProxyResult> {
  const request = listRequest(event);
  // The signing keys are read only here, so the other routes never depend on Secrets Manager.
  let startKey;
  if (request.nextToken !== undefined) {
    const token = parsePageToken(request.nextToken);
    startKey = verifyPageToken(token, await signingKeys.forVersion(token.versionId), config.tableName);
  }
  const page = await repository.list(request.limit, startKey);
  const nextToken = page.lastKey ? encodePageToken(await signingKeys.current(), config.tableName, page.lastKey) : undefined;
  return jsonResponse(200, nextToken === undefined ? { items: page.items } : { items: page.items, nextToken });
}

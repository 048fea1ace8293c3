import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ItemsConfig } from './config';
import { decodePageToken, encodePageToken } from './pagination';
import type { ItemsRepository } from './repository';
import type { SigningKeyCache } from './secret';
import { listRequest, RequestValidator, validItemId } from './validation';
import { HttpError, jsonResponse, preflightHeaders } from '../shared/http';

/** What the routes need, built once per execution environment. */
export interface ItemsServices {
  readonly config: ItemsConfig;
  readonly validator: RequestValidator;
  readonly repository: ItemsRepository;
  readonly signingKeys: SigningKeyCache;
}

type ResolvedRoute = { readonly kind: 'collection' } | { readonly kind: 'item'; readonly rawId: string | undefined };

const ALLOWED_METHODS = {
  collection: ['GET', 'POST', 'OPTIONS'],
  item: ['GET', 'PUT', 'DELETE', 'OPTIONS'],
} as const;

/**
 * The route from API Gateway's resource template (which ignores stage and custom-domain base paths), or from the
 * exact path for direct invokes.
 */
export function resolveRoute(event: APIGatewayProxyEvent): ResolvedRoute | undefined {
  if (event.resource === '/items') return { kind: 'collection' };
  if (event.resource === '/items/{id}') return { kind: 'item', rawId: event.pathParameters?.id ?? undefined };
  const match = /^\/items(?:\/([^/]*))?\/?$/.exec(typeof event.path === 'string' ? event.path : '');
  if (!match) return undefined;
  if (match[1] === undefined || match[1] === '') return { kind: 'collection' };
  try {
    return { kind: 'item', rawId: decodeURIComponent(match[1]) };
  } catch {
    return { kind: 'item', rawId: undefined };
  }
}

function routeNotFound(): HttpError {
  return new HttpError(404, 'RouteNotFound', 'No such route: the API serves /items and /items/{id}.');
}

function itemNotFound(): HttpError {
  return new HttpError(404, 'ItemNotFound', 'No item with this id.');
}

/** Routes one request to its operation; throws HttpError for anything the client must fix. */
export async function dispatch(event: APIGatewayProxyEvent, services: ItemsServices): Promise<APIGatewayProxyResult> {
  const route = resolveRoute(event);
  if (!route) throw routeNotFound();
  const method = typeof event.httpMethod === 'string' ? event.httpMethod : '';
  const allowed: readonly string[] = ALLOWED_METHODS[route.kind];
  if (!allowed.includes(method)) {
    throw new HttpError(405, 'MethodNotAllowed', `Method not allowed; use one of ${allowed.join(', ')}.`, undefined, { allow: allowed.join(', ') });
  }
  if (method === 'OPTIONS') return jsonResponse(204, undefined, preflightHeaders(allowed));

  if (route.kind === 'collection') {
    return method === 'POST' ? createItem(event, services) : listItems(event, services);
  }
  const id = validItemId(route.rawId);
  switch (method) {
    case 'GET': return getItem(id, services);
    case 'PUT': return updateItem(id, event, services);
    default: return deleteItem(id, services);
  }
}

async function createItem(event: APIGatewayProxyEvent, { validator, repository }: ItemsServices): Promise<APIGatewayProxyResult> {
  const request = validator.createRequest(event);
  const now = new Date().toISOString();
  const item = { id: request.id ?? randomUUID(), data: request.data, version: 1, createdAt: now, updatedAt: now };
  const result = await repository.create(item, randomUUID());
  if (!result.created) throw new HttpError(409, 'ItemAlreadyExists', 'An item with this id already exists.');
  return jsonResponse(201, result.item);
}

async function getItem(id: string, { repository }: ItemsServices): Promise<APIGatewayProxyResult> {
  const item = await repository.get(id);
  if (!item) throw itemNotFound();
  return jsonResponse(200, item);
}

async function updateItem(id: string, event: APIGatewayProxyEvent, { validator, repository }: ItemsServices): Promise<APIGatewayProxyResult> {
  const request = validator.updateRequest(event);
  const result = await repository.update(id, request.data, request.version, new Date().toISOString(), randomUUID());
  switch (result.outcome) {
    case 'updated': return jsonResponse(200, result.item);
    case 'not-found': throw itemNotFound();
    default: throw new HttpError(409, 'VersionConflict', 'The item changed since this version was read; read it again and retry.', { currentVersion: result.currentVersion });
  }
}

async function deleteItem(id: string, { repository }: ItemsServices): Promise<APIGatewayProxyResult> {
  if (!(await repository.delete(id))) throw itemNotFound();
  return jsonResponse(204, undefined);
}

async function listItems(event: APIGatewayProxyEvent, { config, repository, signingKeys }: ItemsServices): Promise<APIGatewayProxyResult> {
  const request = listRequest(event);
  // The signing key is read only here, so the other routes never depend on Secrets Manager.
  const key = await signingKeys.key();
  const startKey = request.nextToken === undefined ? undefined : decodePageToken(key, config.tableName, request.nextToken);
  const page = await repository.list(request.limit, startKey);
  const nextToken = page.lastKey ? encodePageToken(key, config.tableName, page.lastKey) : undefined;
  return jsonResponse(200, nextToken === undefined ? { items: page.items } : { items: page.items, nextToken });
}

/**
 * The route table of the items API, declared once: `ServerlessService` builds its API Gateway methods from it, the
 * bundled handler (`lambda-src/items`) its dispatch and `405 Allow` lists, and the responses below its OpenAPI
 * document. Routes are named by their default path (`/items`); `itemsPath` renames the path part only.
 *
 * Plain data only: no aws-cdk-lib import, so esbuild bundles it into the handler.
 */

/** The routes of the items API, as `METHOD path`. */
export type ItemsRoute = 'POST /items' | 'GET /items' | 'GET /items/{id}' | 'PUT /items/{id}' | 'DELETE /items/{id}';

/** Where a route is served: the collection (`/items`) or one item (`/items/{id}`). */
export type ItemsResource = 'collection' | 'item';

/** The body a route answers with on success. */
export type ItemsSuccessBody = 'item' | 'item-list' | 'none';

/** One route of the items API. */
export interface ItemsRouteDefinition {
  readonly route: ItemsRoute;
  readonly method: string;
  readonly resource: ItemsResource;
  /** The request schema the body must satisfy, by the name of its factory (items-api-schema.ts). */
  readonly requestBody?: 'create' | 'update';
  readonly optionalQueryStrings?: readonly string[];
  readonly optionalHeaders?: readonly string[];
  readonly successStatus: string;
  readonly successBody: ItemsSuccessBody;
  /** The 4XX statuses the handler answers with; every route may also answer 500 and 503. */
  readonly clientErrorStatuses: readonly string[];
}

/** Every route of the items API; the order of first appearance gives the order of methods in `Allow` and CORS. */
export const ITEMS_ROUTES: readonly ItemsRouteDefinition[] = [
  {
    route: 'GET /items',
    method: 'GET',
    resource: 'collection',
    optionalQueryStrings: ['limit', 'nextToken'],
    successStatus: '200',
    successBody: 'item-list',
    clientErrorStatuses: ['400'],
  },
  {
    route: 'POST /items',
    method: 'POST',
    resource: 'collection',
    requestBody: 'create',
    optionalHeaders: ['Idempotency-Key'],
    successStatus: '201',
    successBody: 'item',
    clientErrorStatuses: ['400', '409', '413', '415', '422'],
  },
  {
    route: 'GET /items/{id}',
    method: 'GET',
    resource: 'item',
    successStatus: '200',
    successBody: 'item',
    clientErrorStatuses: ['400', '404'],
  },
  {
    route: 'PUT /items/{id}',
    method: 'PUT',
    resource: 'item',
    requestBody: 'update',
    optionalHeaders: ['Idempotency-Key'],
    successStatus: '200',
    successBody: 'item',
    clientErrorStatuses: ['400', '404', '409', '413', '415', '422'],
  },
  {
    route: 'DELETE /items/{id}',
    method: 'DELETE',
    resource: 'item',
    optionalQueryStrings: ['version'],
    optionalHeaders: ['If-Match'],
    successStatus: '204',
    successBody: 'none',
    clientErrorStatuses: ['400', '404', '409'],
  },
];

/** The methods served on `resource`, in the table's order. */
export function itemsMethodsOn(resource: ItemsResource): string[] {
  return ITEMS_ROUTES.filter((route) => route.resource === resource).map((route) => route.method);
}

/** The route of `method` on `resource`, if the API serves it. */
export function itemsRouteOf(resource: ItemsResource, method: string): ItemsRouteDefinition | undefined {
  return ITEMS_ROUTES.find((route) => route.resource === resource && route.method === method);
}

/** The path of `resource` under `/<itemsPath>`. */
export function itemsResourcePath(resource: ItemsResource, itemsPath: string): string {
  return resource === 'collection' ? `/${itemsPath}` : `/${itemsPath}/{id}`;
}

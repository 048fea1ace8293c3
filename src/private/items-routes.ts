import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { ApiCorsOptions, ApiRouteOptions } from '../api-options';
import { createItemRequestSchema, ItemsJsonSchema, ItemsRoute, itemsRouteResponses, updateItemRequestSchema } from '../items-contract';
import type { ValidatedRestApi } from '../validated-rest-api';

/** The methods the items routes serve. */
const ITEMS_METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

/** The CORS of the items API: the preflight names only the methods and request headers the items routes serve. */
export function itemsCorsOptions(cors: ApiCorsOptions): ApiCorsOptions {
  return {
    allowMethods: [...ITEMS_METHODS, 'OPTIONS'],
    allowHeaders: [...apigw.Cors.DEFAULT_HEADERS, 'Idempotency-Key', 'If-Match'],
    exposeHeaders: ['ETag'],
    ...cors,
  };
}

/** The routes of the items contract, each validated against its request schema and documented with its responses. */
export function addItemsRoutes(api: ValidatedRestApi, handler: lambda.IFunction, dataSchema: ItemsJsonSchema | undefined): void {
  const idempotencyKey = { optionalHeaders: ['Idempotency-Key'] };
  const routes: Record<ItemsRoute, ApiRouteOptions> = {
    'POST /items': { requestSchema: createItemRequestSchema(dataSchema) as apigw.JsonSchema, ...idempotencyKey },
    'GET /items': { optionalQueryStrings: ['limit', 'nextToken'] },
    'GET /items/{id}': {},
    'PUT /items/{id}': { requestSchema: updateItemRequestSchema(dataSchema) as apigw.JsonSchema, ...idempotencyKey },
    'DELETE /items/{id}': { optionalQueryStrings: ['version'], optionalHeaders: ['If-Match'] },
  };
  for (const [route, options] of Object.entries(routes) as [ItemsRoute, ApiRouteOptions][]) {
    const [method, path] = route.split(' ');
    const responses = itemsRouteResponses(route, dataSchema)
      .map((response) => ({ statusCode: response.statusCode, schema: response.schema as apigw.JsonSchema | undefined }));
    api.addRoute(path, method, handler, { ...options, responses });
  }
}

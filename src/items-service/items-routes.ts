import { CfnResource } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  createItemRequestSchema, ITEMS_ROUTES, itemsResourcePath, itemsRouteResponses, JsonSchemaSubset,
  LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, LIST_LIMIT_MIN, updateItemRequestSchema,
} from '../contract/items';
import { PARAMETER_SCHEMAS_METADATA } from '../openapi';
import type { ApiCorsOptions, ApiRouteOptions, ValidatedRestApi } from '../rest-api';

/** The methods the items routes serve, in the route table's order. */
const ITEMS_METHODS = [...new Set(ITEMS_ROUTES.map((route) => route.method))];

/** The CORS of the items API: the preflight names only the methods and request headers the items routes serve. */
export function itemsCorsOptions(cors: ApiCorsOptions): ApiCorsOptions {
  return {
    allowMethods: [...ITEMS_METHODS, 'OPTIONS'],
    allowHeaders: [...apigw.Cors.DEFAULT_HEADERS, 'Idempotency-Key', 'If-Match'],
    exposeHeaders: ['ETag'],
    ...cors,
  };
}

/**
 * The routes of the items contract, each validated against its request schema and documented with its responses,
 * served under `/<itemsPath>` (the contract names them by their default path, `/items`).
 */
export function addItemsRoutes(api: ValidatedRestApi, handler: lambda.IFunction, dataSchema: JsonSchemaSubset | undefined, itemsPath: string): void {
  const requestSchemas = { create: createItemRequestSchema(dataSchema), update: updateItemRequestSchema(dataSchema) };
  for (const route of ITEMS_ROUTES) {
    const options: ApiRouteOptions = {
      requestSchema: route.requestBody && requestSchemas[route.requestBody] as apigw.JsonSchema,
      optionalQueryStrings: route.optionalQueryStrings && [...route.optionalQueryStrings],
      optionalHeaders: route.optionalHeaders && [...route.optionalHeaders],
      responses: itemsRouteResponses(route, dataSchema)
        .map((response) => ({ statusCode: response.statusCode, schema: response.schema as apigw.JsonSchema | undefined })),
    };
    const apiMethod = api.addRoute(itemsResourcePath(route.resource, itemsPath), route.method, handler, options);
    if (route.route === 'GET /items') {
      // The handler reads `limit` as an integer in these bounds; the OpenAPI document says so.
      (apiMethod.node.defaultChild as CfnResource).addMetadata(PARAMETER_SCHEMAS_METADATA, {
        limit: { type: 'integer', minimum: LIST_LIMIT_MIN, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT },
      });
    }
  }
}

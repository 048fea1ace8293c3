/**
 * The response bodies of the items API, by route and status, as the bundled handler (`lambda-src/items`) answers them.
 * `ServerlessService` documents them as method responses, so they reach the API's OpenAPI document.
 *
 * Plain data only: no aws-cdk-lib import.
 */
import type { JsonSchemaSubset } from '../json-schema';
import { dataPropertySchema } from './items-api-schema';
import type { ItemsRouteDefinition } from './items-routes';

/** A status a route answers with and the schema of its body (none for 204). */
export interface ItemsRouteResponse {
  readonly statusCode: string;
  readonly schema?: JsonSchemaSubset;
}


/** The error body every failure carries, from the handler or API Gateway (see error-contract.ts). */
export const ITEMS_ERROR_RESPONSE_SCHEMA: JsonSchemaSubset = {
  title: 'ErrorResponse',
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        requestId: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, message: { type: 'string' } },
            required: ['path', 'message'],
          },
        },
      },
      required: ['code', 'message', 'requestId', 'details'],
    },
  },
  required: ['error'],
};

/** An item as clients read it. */
export function itemResponseSchema(dataSchema?: JsonSchemaSubset): JsonSchemaSubset {
  return {
    title: 'Item',
    type: 'object',
    properties: {
      id: { type: 'string' },
      data: dataPropertySchema(dataSchema),
      version: { type: 'integer', minimum: 1 },
      createdAt: { type: 'string' },
      updatedAt: { type: 'string' },
    },
    required: ['id', 'data', 'version', 'createdAt', 'updatedAt'],
  };
}

/** One page of `GET /items`; `nextToken` is present when more items follow. */
export function itemListResponseSchema(dataSchema?: JsonSchemaSubset): JsonSchemaSubset {
  return {
    title: 'ItemPage',
    type: 'object',
    properties: {
      items: { type: 'array', items: itemResponseSchema(dataSchema) },
      nextToken: { type: 'string' },
    },
    required: ['items'],
  };
}

const errors = (...statuses: string[]): ItemsRouteResponse[] =>
  // Every route may fail with 500 (unexpected) and 503 (a dependency throttled or unavailable).
  [...statuses, '500', '503'].map((statusCode) => ({ statusCode, schema: ITEMS_ERROR_RESPONSE_SCHEMA }));

/** The statuses a route of the bundled handler answers with, and their bodies, as its route table entry gives them. */
export function itemsRouteResponses(definition: ItemsRouteDefinition, dataSchema?: JsonSchemaSubset): ItemsRouteResponse[] {
  const success: ItemsRouteResponse = definition.successBody === 'none'
    ? { statusCode: definition.successStatus }
    : {
      statusCode: definition.successStatus,
      schema: definition.successBody === 'item' ? itemResponseSchema(dataSchema) : itemListResponseSchema(dataSchema),
    };
  return [success, ...errors(...definition.clientErrorStatuses)];
}

/**
 * The request schemas of the items API, defined once and used twice: as API Gateway request models (the construct
 * casts them to `apigw.JsonSchema`) and inside the bundled handler (`lambda-src/items`), which re-validates every body
 * because direct invokes bypass API Gateway and draft-04 models leave gaps (e.g. nesting depth, number ranges).
 *
 * Plain data only: no aws-cdk-lib import, so esbuild can bundle this file into the handler.
 */
import type { JsonSchemaSubset } from '../json-schema';

/** The `$schema` of every model: API Gateway models are JSON Schema draft 4. */
export const JSON_SCHEMA_DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/**
 * Item ids: URL-safe without encoding, and never an expression or path fragment. No leading dot, so no id is a dot
 * segment (`.`, `..`) that URL normalisation would remove from `/items/{id}`.
 */
export const ITEM_ID_PATTERN = '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$';

/** The items table's TTL attribute: `Idempotency-Key` records expire on it (epoch seconds). */
export const EXPIRES_AT_ATTRIBUTE = 'expiresAt';

/** Longest item id. */
export const ITEM_ID_MAX_LENGTH = 128;

/** Page size bounds of `GET /items?limit=N`. */
export const LIST_LIMIT_MIN = 1;
export const LIST_LIMIT_MAX = 100;
export const LIST_LIMIT_DEFAULT = 20;

/** Highest version a client may send: the next one must still be an exact integer in JSON and DynamoDB clients. */
export const ITEM_VERSION_MAX = Number.MAX_SAFE_INTEGER - 1;

/** The id property, shared by the create body and the path parameter check. */
export const ITEM_ID_SCHEMA: JsonSchemaSubset = {
  type: 'string',
  minLength: 1,
  maxLength: ITEM_ID_MAX_LENGTH,
  pattern: ITEM_ID_PATTERN,
};

/** The `data` object: any JSON object, or one that also satisfies the service's own data schema. */
export function dataPropertySchema(dataSchema?: JsonSchemaSubset): JsonSchemaSubset {
  // A nested schema carries no `$schema`; `data` is always an object, whatever the caller's schema says.
  const nested = Object.fromEntries(Object.entries(dataSchema ?? {}).filter(([keyword]) => keyword !== 'schema'));
  return { ...nested, type: 'object' };
}

/** Body of `POST /items`: `{ id?, data }`. */
export function createItemRequestSchema(dataSchema?: JsonSchemaSubset): JsonSchemaSubset {
  return {
    schema: JSON_SCHEMA_DRAFT_04,
    title: 'CreateItemRequest',
    type: 'object',
    properties: {
      id: ITEM_ID_SCHEMA,
      data: dataPropertySchema(dataSchema),
    },
    required: ['data'],
    additionalProperties: false,
  };
}

/** Body of `PUT /items/{id}`: `{ data, version }`, where version is the one the client last read. */
export function updateItemRequestSchema(dataSchema?: JsonSchemaSubset): JsonSchemaSubset {
  return {
    schema: JSON_SCHEMA_DRAFT_04,
    title: 'UpdateItemRequest',
    type: 'object',
    properties: {
      data: dataPropertySchema(dataSchema),
      version: { type: 'integer', minimum: 1, maximum: ITEM_VERSION_MAX },
    },
    required: ['data', 'version'],
    additionalProperties: false,
  };
}

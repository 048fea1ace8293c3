/**
 * JSON Schema draft 4 (API Gateway models) to OpenAPI 3.0 Schema Objects, and the schema of a gateway response body
 * derived from its mapping template.
 */

export type OpenApiSchema = { [keyword: string]: unknown };

/** Keywords a draft-4 model may carry that mean the same in an OpenAPI 3.0 Schema Object. */
const SHARED_KEYWORDS = new Set([
  'title', 'description', 'format', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties',
  'required', 'enum',
]);

const isSchemaObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** OpenAPI 3.0 has no type lists and no `null` type: `["string","null"]` becomes `string` + `nullable`. */
function convertType(type: unknown): OpenApiSchema {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  const nullable = types.includes('null');
  const concrete = types.filter((t) => t !== 'null');
  const nullability = nullable ? { nullable: true } : {};
  if (concrete.length === 0) return { ...nullability, enum: [null] };
  if (concrete.length === 1) return { type: concrete[0], ...nullability };
  return { anyOf: concrete.map((t) => ({ type: t })), ...nullability };
}

/**
 * Converts a draft-4 schema to an OpenAPI 3.0 Schema Object: `$schema`, `id`, `definitions`, `$ref`s (to other models)
 * and keywords OpenAPI 3.0 lacks (e.g. `patternProperties`) are dropped, which only widens what the schema accepts.
 */
export function toOpenApiSchema(schema: unknown): OpenApiSchema {
  if (!isSchemaObject(schema)) return {};
  const converted: OpenApiSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (SHARED_KEYWORDS.has(keyword)) converted[keyword] = value;
    else if (keyword === 'type') Object.assign(converted, convertType(value));
    else if (SUBSCHEMA_KEYWORDS[keyword]) converted[keyword] = SUBSCHEMA_KEYWORDS[keyword](value);
  }
  // OpenAPI 3.0 requires `items` beside `type: array`.
  if (converted.type === 'array' && converted.items === undefined) converted.items = {};
  return converted;
}

/** Keywords whose value holds schemas, and how each converts (tuple `items` has no OpenAPI 3.0 form: any item). */
const SUBSCHEMA_KEYWORDS: Record<string, (value: unknown) => unknown> = {
  properties: (value) => Object.fromEntries(Object.entries(isSchemaObject(value) ? value : {}).map(([name, p]) => [name, toOpenApiSchema(p)])),
  items: (value) => (Array.isArray(value) ? {} : toOpenApiSchema(value)),
  additionalProperties: (value) => (typeof value === 'boolean' ? value : toOpenApiSchema(value)),
  not: toOpenApiSchema,
  allOf: (value) => (Array.isArray(value) ? value.map(toOpenApiSchema) : []),
  anyOf: (value) => (Array.isArray(value) ? value.map(toOpenApiSchema) : []),
  oneOf: (value) => (Array.isArray(value) ? value.map(toOpenApiSchema) : []),
};

function sampleSchema(value: unknown): OpenApiSchema {
  if (Array.isArray(value)) return { type: 'array', items: value.length > 0 ? sampleSchema(value[0]) : {} };
  if (isSchemaObject(value)) {
    return {
      type: 'object',
      properties: Object.fromEntries(Object.entries(value).map(([name, element]) => [name, sampleSchema(element)])),
      required: Object.keys(value),
    };
  }
  if (typeof value === 'number') return { type: 'number' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  return { type: 'string' };
}

/**
 * The schema of the bodies a gateway response mapping template produces. Gateway response templates only substitute
 * variables: `$context.error.messageString` is a quoted JSON string, every other variable sits inside quotes.
 * Undefined when the template is not JSON once its variables are filled in.
 */
export function gatewayTemplateSchema(template: string): OpenApiSchema | undefined {
  const sample = template
    .replace(/\$context\.error\.messageString/g, '"message"')
    .replace(/\$(context|input|util|stageVariables)(\.[A-Za-z0-9_]+)+/g, 'value');
  try {
    return sampleSchema(JSON.parse(sample));
  } catch {
    return undefined;
  }
}

/** The item schemas of the non-empty arrays of a sampled schema, by the property path of each array. */
export function sampledArrayItems(schema: OpenApiSchema, path = '', found = new Map<string, OpenApiSchema>()): Map<string, OpenApiSchema> {
  if (schema.type === 'array' && isSchemaObject(schema.items) && Object.keys(schema.items).length > 0) found.set(path, schema.items);
  for (const [name, property] of Object.entries(isSchemaObject(schema.properties) ? schema.properties : {})) {
    sampledArrayItems(property as OpenApiSchema, `${path}/${name}`, found);
  }
  return found;
}

/** The sampled schema with each empty array (`[]` in its template) typed as the same array elsewhere is. */
export function withArrayItems(schema: OpenApiSchema, items: Map<string, OpenApiSchema>, path = ''): OpenApiSchema {
  if (schema.type === 'array') return { ...schema, items: isSchemaObject(schema.items) && Object.keys(schema.items).length > 0 ? schema.items : items.get(path) ?? {} };
  if (!isSchemaObject(schema.properties)) return schema;
  const properties = Object.fromEntries(Object.entries(schema.properties)
    .map(([name, property]) => [name, withArrayItems(property as OpenApiSchema, items, `${path}/${name}`)]));
  return { ...schema, properties };
}

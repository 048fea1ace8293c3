/** The draft-04 subset API Gateway models support, with the property names of `apigw.JsonSchema`. */
export interface JsonSchemaSubset {
  readonly schema?: string;
  readonly title?: string;
  readonly description?: string;
  readonly type?: string | string[];
  readonly properties?: { readonly [name: string]: JsonSchemaSubset };
  readonly required?: string[];
  readonly additionalProperties?: boolean | JsonSchemaSubset;
  readonly enum?: unknown[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: JsonSchemaSubset;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** One reason a value does not satisfy a schema; `path` is a JSON Pointer into the validated value. */
export interface SchemaViolation {
  readonly path: string;
  readonly message: string;
}

/** Enough detail to fix a request without echoing a whole hostile body back. */
const MAX_VIOLATIONS = 20;

const patternCache = new Map<string, RegExp>();

function compiledPattern(pattern: string): RegExp {
  let regex = patternCache.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern);
    patternCache.set(pattern, regex);
  }
  return regex;
}

/**
 * The keywords `validateSchema` enforces (with the property names of `apigw.JsonSchema`), and the annotations it may
 * ignore. A schema with any other keyword would be enforced by API Gateway's model but not by the handler.
 */
export const SUPPORTED_SCHEMA_KEYWORDS: readonly string[] = [
  'schema', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties', 'enum', 'minLength', 'maxLength',
  'pattern', 'minimum', 'maximum', 'items', 'minItems', 'maxItems',
];

/** A keyword of `schema` (at a JSON Pointer into the schema) outside the supported subset. */
export interface UnsupportedKeyword {
  readonly keyword: string;
  readonly path: string;
}

/** The first keyword outside SUPPORTED_SCHEMA_KEYWORDS, including a tuple `items` (an array of schemas). */
export function unsupportedSchemaKeyword(schema: JsonSchemaSubset, path = ''): UnsupportedKeyword | undefined {
  for (const [keyword, value] of Object.entries(schema)) {
    if (value === undefined) continue;
    if (!SUPPORTED_SCHEMA_KEYWORDS.includes(keyword)) return { keyword, path: path || '/' };
  }
  if (Array.isArray(schema.items)) return { keyword: 'items (an array of schemas)', path: pointer(path, 'items') };
  const children: [JsonSchemaSubset, string][] = Object.entries(schema.properties ?? {})
    .map(([name, property]) => [property, pointer(pointer(path, 'properties'), name)]);
  if (typeof schema.additionalProperties === 'object') children.push([schema.additionalProperties, pointer(path, 'additionalProperties')]);
  if (schema.items !== undefined) children.push([schema.items, pointer(path, 'items')]);
  for (const [child, at] of children) {
    const found = unsupportedSchemaKeyword(child, at);
    if (found) return found;
  }
  return undefined;
}

/**
 * Throws when `schema` uses a keyword outside the enforced subset or a pattern JavaScript cannot compile, so a
 * schema the handler could not enforce fails at synthesis or init rather than on some later request.
 */
export function assertUsableSchema(schema: JsonSchemaSubset): void {
  const unsupported = unsupportedSchemaKeyword(schema);
  if (unsupported) {
    throw new Error(`the keyword "${unsupported.keyword}" at ${unsupported.path} is not enforced by the handler; `
      + `use only ${SUPPORTED_SCHEMA_KEYWORDS.join(', ')}`);
  }
  assertCompilablePatterns(schema);
}

function assertCompilablePatterns(schema: JsonSchemaSubset): void {
  if (schema.pattern !== undefined) compiledPattern(schema.pattern);
  for (const property of Object.values(schema.properties ?? {})) assertCompilablePatterns(property);
  if (typeof schema.additionalProperties === 'object') assertCompilablePatterns(schema.additionalProperties);
  if (schema.items !== undefined) assertCompilablePatterns(schema.items);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'object': return jsonType(value) === 'object';
    default: return jsonType(value) === type;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (jsonType(a) !== jsonType(b) || typeof a !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((element, i) => deepEqual(element, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]));
}

function pointer(path: string, segment: string | number): string {
  return `${path}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * Validates `value` against the draft-04 subset API Gateway models support (type, properties, required,
 * additionalProperties, enum, minLength, maxLength, pattern, minimum, maximum, items, minItems, maxItems).
 * A few dozen lines instead of a general validator keep the handler's cold start small.
 */
export function validateSchema(schema: JsonSchemaSubset, value: unknown): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  visit(schema, value, '', violations);
  return violations;
}

function visit(schema: JsonSchemaSubset, value: unknown, path: string, out: SchemaViolation[]): void {
  if (out.length >= MAX_VIOLATIONS) return;
  const report = (message: string, at = path) => {
    if (out.length < MAX_VIOLATIONS) out.push({ path: at, message });
  };

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => matchesType(value, type))) {
      report(`must be of type ${types.join(' or ')}`);
      return;
    }
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
    report(`must be one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'string') visitString(schema, value, report);
  if (typeof value === 'number') visitNumber(schema, value, report);
  if (Array.isArray(value)) visitArray(schema, value, path, out, report);
  else if (jsonType(value) === 'object') visitObject(schema, value as Record<string, unknown>, path, out, report);
}

type Report = (message: string, at?: string) => void;

function visitString(schema: JsonSchemaSubset, value: string, report: Report): void {
  // JSON Schema counts characters as Unicode code points.
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) report(`must have at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined && length > schema.maxLength) report(`must have at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined && !compiledPattern(schema.pattern).test(value)) report(`must match the pattern ${schema.pattern}`);
}

function visitNumber(schema: JsonSchemaSubset, value: number, report: Report): void {
  if (schema.minimum !== undefined && value < schema.minimum) report(`must be >= ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum) report(`must be <= ${schema.maximum}`);
}

function visitArray(schema: JsonSchemaSubset, value: unknown[], path: string, out: SchemaViolation[], report: Report): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) report(`must have at least ${schema.minItems} items`);
  if (schema.maxItems !== undefined && value.length > schema.maxItems) report(`must have at most ${schema.maxItems} items`);
  if (schema.items !== undefined) {
    const itemSchema = schema.items;
    value.forEach((element, index) => visit(itemSchema, element, pointer(path, index), out));
  }
}

function visitObject(schema: JsonSchemaSubset, value: Record<string, unknown>, path: string, out: SchemaViolation[], report: Report): void {
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(value, name)) report('is required', pointer(path, name));
  }
  const properties = schema.properties ?? {};
  for (const [name, propertyValue] of Object.entries(value)) {
    const propertySchema = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (propertySchema) {
      visit(propertySchema, propertyValue, pointer(path, name), out);
    } else if (schema.additionalProperties === false) {
      report('is not an allowed property', pointer(path, name));
    } else if (typeof schema.additionalProperties === 'object') {
      visit(schema.additionalProperties, propertyValue, pointer(path, name), out);
    }
  }
}

import { JsonSchemaSubset } from '../lib/contract/items';

type Schema = { [keyword: string]: any };

const EXAMPLE_TEXT = 'example';

function minimalString(schema: Schema): string {
  if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
  if (schema.format === 'email') return 'dev@example.com';
  const min = Number(schema.minLength ?? 1);
  const max = Number(schema.maxLength ?? Math.max(min, EXAMPLE_TEXT.length));
  return EXAMPLE_TEXT.padEnd(min, 'x').slice(0, Math.max(min, Math.min(max, EXAMPLE_TEXT.length)));
}

/**
 * The lowest number in range (an integer for `integer`), or 1 when the schema allows it and sets no minimum. Draft 4's
 * `exclusiveMinimum` / `exclusiveMaximum` are booleans beside `minimum` / `maximum`.
 */
function minimalNumber(schema: Schema, integer: boolean): number {
  const min = schema.minimum === undefined ? undefined : Number(schema.minimum);
  const max = schema.maximum === undefined ? undefined : Number(schema.maximum);
  if (min !== undefined) {
    if (integer) return schema.exclusiveMinimum === true ? Math.floor(min) + 1 : Math.ceil(min);
    if (schema.exclusiveMinimum !== true) return min;
    // Above an exclusive minimum: halfway to the maximum, which is then never reached.
    return max === undefined ? min + 1 : (min + max) / 2;
  }
  if (max !== undefined) {
    const exclusive = schema.exclusiveMaximum === true;
    return Math.min(1, integer ? (exclusive ? Math.ceil(max) - 1 : Math.floor(max)) : max - (exclusive ? 1 : 0));
  }
  return 1;
}

/**
 * The parts of an `allOf` (and the schema around it) as one schema: a value must satisfy each, so the required names of
 * all parts are required, and a property that several parts describe must satisfy each description.
 */
function mergedAllOf(parts: Schema[]): Schema {
  const merged: Schema = Object.assign({}, ...parts);
  const required = [...new Set(parts.flatMap((part) => (Array.isArray(part.required) ? part.required : [])))];
  if (required.length > 0) merged.required = required;
  const properties: Schema = {};
  for (const part of parts) {
    for (const [name, property] of Object.entries<Schema>(part.properties ?? {})) {
      properties[name] = name in properties ? { allOf: [properties[name], property] } : property;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  return merged;
}

/**
 * The smallest value a JSON schema (draft 4, as API Gateway models are) accepts, for the printed example requests:
 * objects with their required properties only, arrays of `minItems` elements, the first `enum` value, the lowest
 * number in range, a string of at least `minLength` (patterns other than the formats above are not generated).
 */
export function minimalValue(schema: JsonSchemaSubset | Schema): unknown {
  const s = schema as Schema;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return minimalValue(mergedAllOf([{ ...s, allOf: undefined }, ...s.allOf]));
  for (const keyword of ['anyOf', 'oneOf']) if (Array.isArray(s[keyword]) && s[keyword].length > 0) return minimalValue(s[keyword][0]);
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') ?? 'null' : s.type ?? (s.properties ? 'object' : 'string');
  switch (type) {
    case 'object': {
      const required: string[] = Array.isArray(s.required) ? s.required : [];
      return Object.fromEntries(required.map((name) => [name, minimalValue(s.properties?.[name] ?? {})]));
    }
    case 'array': return Array.from({ length: Number(s.minItems ?? 0) }, () => minimalValue(s.items ?? {}));
    case 'integer': return minimalNumber(s, true);
    case 'number': return minimalNumber(s, false);
    case 'boolean': return true;
    case 'null': return null;
    default: return minimalString(s);
  }
}

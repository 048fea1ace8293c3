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

/** `minimum` and `maximum` as numbers, where the schema sets them. */
function numberBounds(schema: Schema): { min?: number; max?: number } {
  return {
    min: schema.minimum === undefined ? undefined : Number(schema.minimum),
    max: schema.maximum === undefined ? undefined : Number(schema.maximum),
  };
}

/**
 * The lowest number in range (an integer for `integer`), or 1 when the schema allows it and sets no minimum. Draft 4's
 * `exclusiveMinimum` / `exclusiveMaximum` are booleans beside `minimum` / `maximum`.
 */
function lowestInRange(schema: Schema, integer: boolean): number {
  const { min, max } = numberBounds(schema);
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

/** How far the search for a multiple goes in each direction before the example gives up on `multipleOf`. */
const MULTIPLE_SEARCH_STEPS = 1000;

/**
 * The lowest number in range that is a multiple of `schema.multipleOf`, or `inRange` when none is near. "A multiple" as
 * validators compute it: the quotient is a whole number in floating point (0.3 / 0.1 is not), so the search checks that.
 */
function lowestMultiple(schema: Schema, step: number, integer: boolean, inRange: number): number {
  const { min, max = Infinity } = numberBounds(schema);
  const belowMax = (value: number) => (schema.exclusiveMaximum === true ? value < max : value <= max);
  const aboveMin = (value: number) => min === undefined || (schema.exclusiveMinimum === true ? value > min : value >= min);
  const accepted = (value: number) => aboveMin(value) && belowMax(value) && Number.isInteger(value / step) && (!integer || Number.isInteger(value));
  // From the minimum up; without one, from the lowest positive multiple, or down from the maximum when it is lower.
  const start = min !== undefined ? Math.ceil(min / step) : Math.min(1, Math.floor(max / step));
  for (let k = start; k < start + MULTIPLE_SEARCH_STEPS && belowMax(k * step); k++) if (accepted(k * step)) return k * step;
  if (min === undefined) for (let k = start - 1; k > start - MULTIPLE_SEARCH_STEPS; k--) if (accepted(k * step)) return k * step;
  return inRange;
}

/** The lowest number the schema accepts: in range, whole for `integer`, a multiple of `multipleOf`. */
function minimalNumber(schema: Schema, integer: boolean): number {
  const inRange = lowestInRange(schema, integer);
  const step = Number(schema.multipleOf);
  return step > 0 ? lowestMultiple(schema, step, integer, inRange) : inRange;
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
 * number in range (a multiple of `multipleOf`), a string of at least `minLength` (patterns other than the formats above are not generated).
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

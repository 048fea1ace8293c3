import Ajv from 'ajv-draft-04';
import { minimalValue } from '../../cli/example-body';

/**
 * The example bodies of local mode's printed curl commands: the smallest value a draft-04 JSON schema (an API Gateway
 * model) accepts. The oracle for "accepts" is ajv with draft-04 support; "smallest" (only the required properties,
 * minItems elements, the first enum value, the lowest number in range, minLength characters) is computed by hand.
 */
const ajv = new Ajv({ strict: false, validateFormats: false });

/** The minimal value of `schema`, after checking that ajv accepts it. */
function accepted(schema: Record<string, unknown>): any {
  const value = minimalValue(schema);
  const validate = ajv.compile(schema);
  expect({ value, valid: validate(value), errors: validate.errors ?? null }).toEqual({ value, valid: true, errors: null });
  return value;
}

describe('objects', () => {
  test('hold their required properties only', () => {
    expect(accepted({
      type: 'object',
      required: ['sku', 'qty'],
      additionalProperties: false,
      properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 }, note: { type: 'string' } },
    })).toEqual({ sku: expect.any(String), qty: 1 });
  });

  test('a required property the schema does not describe may be any value', () => {
    expect(Object.keys(accepted({ type: 'object', required: ['free'] }))).toEqual(['free']);
  });

  test('without required properties are empty; a schema with properties but no type is an object', () => {
    expect(accepted({ type: 'object', properties: { note: { type: 'string' } } })).toEqual({});
    expect(accepted({ properties: { a: { type: 'boolean' } }, required: ['a'] })).toEqual({ a: true });
  });

  test('nest: a required object property gets its own required properties', () => {
    expect(accepted({
      type: 'object',
      required: ['data'],
      properties: { data: { type: 'object', required: ['tags'], properties: { tags: { type: 'array', minItems: 2, items: { enum: ['x', 'y'] } } } } },
    })).toEqual({ data: { tags: ['x', 'x'] } });
  });
});

describe('arrays', () => {
  test('have minItems elements, each the minimal item; none without minItems', () => {
    expect(accepted({ type: 'array', minItems: 3, items: { type: 'integer', minimum: 7 } })).toEqual([7, 7, 7]);
    expect(accepted({ type: 'array', items: { type: 'string' } })).toEqual([]);
  });
});

describe('numbers', () => {
  test.each([
    ['a minimum', { type: 'integer', minimum: 5 }, 5],
    ['an exclusive minimum (draft 4: a boolean beside minimum)', { type: 'integer', minimum: 5, exclusiveMinimum: true }, 6],
    ['a negative minimum', { type: 'number', minimum: -2.5 }, -2.5],
    ['no bounds', { type: 'integer' }, 1],
  ])('an integer or number with %s is the lowest in range', (_, schema, expected) => {
    expect(accepted(schema)).toBe(expected);
  });

  /** Without a minimum, 1 when allowed, else the number nearest 1 in range: an inclusive maximum itself. */
  test.each([
    ['a number with a maximum below 1', { type: 'number', maximum: -3 }, -3],
    ['an integer with a fractional maximum', { type: 'integer', maximum: -1.5 }, -2],
    ['an integer with an exclusive maximum', { type: 'integer', maximum: -3, exclusiveMaximum: true }, -4],
  ])('%s is the maximum, or the whole number below it', (_, schema, expected) => {
    expect(accepted(schema)).toBe(expected);
  });

  test.each([
    ['a number with an exclusive minimum', { type: 'number', minimum: 0, exclusiveMinimum: true }],
    ['a number with a maximum below 1', { type: 'number', maximum: -3 }],
    ['an integer with an exclusive maximum', { type: 'integer', maximum: -3, exclusiveMaximum: true }],
    ['an integer with an exclusive maximum of 1', { type: 'integer', maximum: 1, exclusiveMaximum: true }],
    ['a number with an exclusive maximum of 0.5', { type: 'number', maximum: 0.5, exclusiveMaximum: true }],
    ['an integer between bounds', { type: 'integer', minimum: 10, maximum: 12 }],
    ['a number in (0, 0.8]', { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 0.8 }],
    ['a number in (0, 0.2]', { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 0.2 }],
    ['a number in (0.1, 0.1000001)', { type: 'number', minimum: 0.1, exclusiveMinimum: true, maximum: 0.1000001, exclusiveMaximum: true }],
    ['an integer with a fractional minimum', { type: 'integer', minimum: 0.5 }],
    ['an integer with a fractional exclusive minimum', { type: 'integer', minimum: 2.5, exclusiveMinimum: true }],
    ['an integer with a fractional maximum', { type: 'integer', maximum: -1.5 }],
    ['an integer with a fractional exclusive maximum', { type: 'integer', maximum: -1.5, exclusiveMaximum: true }],
  ])('%s is in range', (_, schema) => {
    expect(typeof accepted(schema)).toBe('number');
  });

  /** Hand-computed: the lowest multiple of multipleOf (draft 4 section 5.1.1) that the bounds and the type allow. */
  test.each([
    ['no bounds: the step itself', { type: 'number', multipleOf: 0.01 }, 0.01],
    ['a minimum that is not a multiple', { type: 'integer', multipleOf: 5, minimum: 12 }, 15],
    ['a fractional step above a minimum', { type: 'number', multipleOf: 0.25, minimum: 0.3 }, 0.5],
    ['an exclusive minimum that is a multiple', { type: 'number', multipleOf: 0.5, minimum: 1, exclusiveMinimum: true }, 1.5],
    ['a fractional step for an integer', { type: 'integer', multipleOf: 0.5 }, 1],
    ['a step above the maximum', { type: 'integer', multipleOf: 3, maximum: 2 }, 0],
    ['an exclusive maximum that is a multiple', { type: 'number', multipleOf: 2, maximum: 0, exclusiveMaximum: true }, -2],
    ['a minimum and maximum around one multiple', { type: 'integer', multipleOf: 7, minimum: 8, maximum: 14 }, 14],
  ])('multipleOf with %s', (_, schema, expected) => {
    expect(accepted(schema)).toBe(expected);
  });

  /** 0.3 / 0.1 is 2.9999999999999996 in floating point, so validators (ajv here) refuse 0.3 as a multiple of 0.1. */
  test('a multiple is one a validator computes as whole', () => {
    expect(accepted({ type: 'number', multipleOf: 0.1, minimum: 0.25 })).toBeGreaterThan(0.25);
  });

  test('a schema no multiple satisfies gets the lowest number in range (what API Gateway then refuses)', () => {
    expect(minimalValue({ type: 'integer', multipleOf: 4, minimum: 9, maximum: 11 })).toBe(9);
  });

  test('an integer is whole', () => {
    expect(Number.isInteger(accepted({ type: 'integer', maximum: 0, exclusiveMaximum: true }))).toBe(true);
  });
});

describe('strings', () => {
  test('have minLength characters, at least one, within maxLength', () => {
    expect(accepted({ type: 'string', minLength: 12 })).toHaveLength(12);
    expect(accepted({ type: 'string', minLength: 2, maxLength: 3 }).length).toBeGreaterThanOrEqual(2);
    expect(accepted({ type: 'string', maxLength: 3 }).length).toBeLessThanOrEqual(3);
    expect(accepted({ type: 'string', maxLength: 1 })).toHaveLength(1);
    expect(accepted({ type: 'string' }).length).toBeGreaterThan(0);
  });

  test('of format date-time are RFC 3339 date-times, of format email addresses', () => {
    // RFC 3339 section 5.6 (date-time); RFC 5321 / the HTML living standard's valid e-mail address.
    const dateTime = accepted({ type: 'string', format: 'date-time' });
    expect(dateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    expect(Number.isNaN(Date.parse(dateTime))).toBe(false);
    expect(accepted({ type: 'string', format: 'email' })).toMatch(/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/);
  });

  test('a schema without type or properties accepts any value; a string is given', () => {
    expect(typeof accepted({})).toBe('string');
  });
});

describe('enum, combinations, types', () => {
  test('enum: its first value', () => {
    expect(accepted({ enum: ['b', 'a'] })).toBe('b');
    expect(accepted({ type: 'integer', enum: [3, 1] })).toBe(3);
  });

  test('anyOf and oneOf: the minimal value of the first alternative', () => {
    expect(accepted({ anyOf: [{ type: 'boolean' }, { type: 'string' }] })).toBe(true);
    expect(accepted({ oneOf: [{ type: 'integer', minimum: 4 }, { type: 'string' }] })).toBe(4);
  });

  test('allOf: a value every part accepts', () => {
    expect(accepted({ allOf: [{ type: 'integer' }, { minimum: 9 }] })).toBe(9);
    expect(accepted({
      allOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } },
        { required: ['b'], properties: { b: { type: 'boolean' } } },
      ],
    })).toEqual({ a: 1, b: true });
  });

  test('allOf: the schema around it holds too, and a property several parts describe satisfies each', () => {
    expect(accepted({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', minLength: 3 } },
      allOf: [{ required: ['n'], properties: { n: { type: 'integer' } } }, { properties: { n: { minimum: 3 } } }],
    })).toEqual({ id: expect.any(String), n: 3 });
  });

  test('a type list: the first type that is not null; only null: null', () => {
    expect(accepted({ type: ['null', 'boolean'] })).toBe(true);
    expect(accepted({ type: ['null'] })).toBeNull();
    expect(accepted({ type: 'null' })).toBeNull();
    expect(accepted({ type: 'boolean' })).toBe(true);
  });
});

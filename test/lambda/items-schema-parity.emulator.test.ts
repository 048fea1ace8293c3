import Ajv from 'ajv-draft-04';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { loadConfig } from '../../lambda-src/items/config';
import { RequestValidator } from '../../lambda-src/items/validation';
import { HttpError } from '../../lambda-src/shared/http';
import { ServerlessService } from '../../src';
import { SUPPORTED_SCHEMA_KEYWORDS } from '../../src/contract/items';
import { seededRandom } from '../harness/fault-proxy';

/**
 * The handler enforces exactly what API Gateway's request models enforce. The oracle is ajv with draft-04 support
 * (an independent implementation of the draft API Gateway models use), run on the model schemas of the synthesized
 * template; the subject is the handler's request validator, configured from the same template's environment.
 */
const ITEM_SCHEMA: apigw.JsonSchema = {
  type: apigw.JsonSchemaType.OBJECT,
  required: ['sku', 'qty'],
  additionalProperties: false,
  properties: {
    sku: { type: apigw.JsonSchemaType.STRING, minLength: 2, maxLength: 6, pattern: '^[A-Z][A-Z0-9]*$' },
    qty: { type: apigw.JsonSchemaType.INTEGER, minimum: 1, maximum: 99 },
    price: { type: apigw.JsonSchemaType.NUMBER, minimum: 0.5, maximum: 1000 },
    tags: { type: apigw.JsonSchemaType.ARRAY, minItems: 1, maxItems: 3, items: { type: apigw.JsonSchemaType.STRING, maxLength: 3 } },
    kind: { enum: ['a', 'b', 1, null, { deep: [1] }] },
    note: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NULL] },
    attrs: { type: apigw.JsonSchemaType.OBJECT, additionalProperties: { type: apigw.JsonSchemaType.BOOLEAN } },
  },
};

function synthesized(itemSchema: apigw.JsonSchema) {
  const stack = new Stack(new App(), 'Parity', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ServerlessService(stack, 'Service', { serviceName: 'parity', itemSchema });
  return Template.fromStack(stack);
}

const template = synthesized(ITEM_SCHEMA);
const models = Object.values(template.findResources('AWS::ApiGateway::Model')).map((model) => model.Properties.Schema);
const createModel = models.find((schema) => schema.title === 'CreateItemRequest');
const updateModel = models.find((schema) => schema.title === 'UpdateItemRequest');
const handlerVariables = Object.values(template.findResources('AWS::Lambda::Function'))
  .map((fn) => fn.Properties.Environment?.Variables ?? {}).find((variables) => variables.ITEM_DATA_SCHEMA !== undefined);
const validator = new RequestValidator(1_000_000, loadConfig({ ITEM_DATA_SCHEMA: handlerVariables.ITEM_DATA_SCHEMA, TABLE_NAME: 't', SECRET_ARN: 's' }).itemDataSchema);

const ajv = new Ajv({ allErrors: false, strict: false });
const ajvCreate = ajv.compile(createModel);
const ajvUpdate = ajv.compile(updateModel);

function handlerAccepts(operation: 'create' | 'update', body: unknown): boolean {
  const event = { body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, isBase64Encoded: false } as unknown as APIGatewayProxyEvent;
  try {
    if (operation === 'create') validator.createRequest(event);
    else validator.updateRequest(event);
    return true;
  } catch (error) {
    if (error instanceof HttpError && error.code === 'ValidationError') return false;
    throw error;
  }
}

/** Values around every bound of ITEM_SCHEMA, of every JSON type, drawn by a seeded generator. */
function corpus(size: number): unknown[] {
  const random = seededRandom(16);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const strings = ['', 'A', 'AB', 'ABCDEF', 'ABCDEFG', 'ab', 'A1', '1A', 'A-B', 'Ä1', 'A😀', '😀😀', 'ABC\n', 'abc', 'xyz', 'ÀB'];
  const numbers = [0, 0.5, 0.49, 1, 1.5, 2, 98, 99, 99.5, 100, 1000, 1000.01, -1, 1e3, 3.0, 42];
  const anyValue = (depth = 0): unknown => {
    switch (Math.floor(random() * (depth > 1 ? 5 : 7))) {
      case 0: return pick(strings);
      case 1: return pick(numbers);
      case 2: return random() < 0.5;
      case 3: return null;
      case 4: return pick(['a', 'b', 1, 'c', 2]);
      case 5: return Array.from({ length: Math.floor(random() * 5) }, () => anyValue(depth + 1));
      default: return pick([{}, { deep: [1] }, { deep: [2] }, { x: true }, { y: 'no' }]);
    }
  };
  // Per property: a value the schema allows, and one from anywhere (often near a bound, often of another type).
  const valid: Record<string, () => unknown> = {
    sku: () => pick(['AB', 'ABCDEF', 'A1', 'Z9Z', 'Q0']),
    qty: () => pick([1, 2, 42, 98, 99]),
    price: () => pick([0.5, 1, 3.25, 999.99, 1000]),
    tags: () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(['', 'a', 'ab', 'abc'])),
    kind: () => pick(['a', 'b', 1, null, { deep: [1] }]),
    note: () => pick(['', 'text', null]),
    attrs: () => Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, (_, i) => [`k${i}`, random() < 0.5])),
  };
  const near: Record<string, () => unknown> = {
    sku: () => pick(strings),
    qty: () => pick(numbers),
    price: () => pick(numbers),
    tags: () => Array.from({ length: Math.floor(random() * 5) }, () => (random() < 0.8 ? pick(['a', 'ab', 'abc', 'abcd', '']) : anyValue())),
    kind: () => anyValue(),
    note: () => anyValue(),
    attrs: () => Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, (_, i) => [`k${i}`, anyValue()])),
  };
  return Array.from({ length: size }, () => {
    if (random() < 0.05) return anyValue();
    // Half the records lean valid (one property off at a time), half are mixed.
    const validRate = random() < 0.5 ? 0.95 : 0.5;
    const data: Record<string, unknown> = {};
    for (const name of Object.keys(valid)) {
      const presence = name === 'sku' || name === 'qty' ? 0.95 : 0.5;
      if (random() < presence) data[name] = random() < validRate ? valid[name]() : (random() < 0.6 ? near[name]() : anyValue());
    }
    if (random() < 0.05) data.extra = anyValue();
    return data;
  });
}

test('over 4000 generated bodies, the handler accepts exactly what ajv (draft-04) accepts on the API Gateway models', () => {
  const values = corpus(2_000);
  const disagreements: unknown[] = [];
  let accepted = 0;
  for (const data of values) {
    const bodies: ['create' | 'update', unknown, (body: unknown) => boolean][] = [
      ['create', { data }, (body) => ajvCreate(body) as boolean],
      ['update', { data, version: 3 }, (body) => ajvUpdate(body) as boolean],
    ];
    for (const [operation, body, oracle] of bodies) {
      const expected = oracle(body);
      if (expected) accepted++;
      if (handlerAccepts(operation, body) !== expected) disagreements.push({ operation, body, ajv: expected });
    }
  }
  expect(disagreements.slice(0, 10)).toEqual([]);
  // The corpus exercises both outcomes in earnest.
  expect(accepted).toBeGreaterThan(200);
  expect(accepted).toBeLessThan(values.length * 2 - 200);
});

test('every draft-04 keyword outside the enforced subset is refused at synthesis, naming the keyword', () => {
  // The draft-04 meta-schema's own list of keywords; `$schema` and `id` are annotations, `default` and `definitions`
  // hold no constraint by themselves but are refused too (nothing in the subset reads them).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const draft04MetaSchema: { properties: Record<string, unknown> } = require('ajv-draft-04/dist/refs/json-schema-draft-04.json');
  // `format` is defined by the draft's validation spec rather than listed in its meta-schema.
  const draft04Keywords = [...Object.keys(draft04MetaSchema.properties), 'format'];
  const cdkName = (keyword: string) => ({ $schema: 'schema', $ref: 'ref', id: 'id' } as Record<string, string>)[keyword] ?? keyword;
  const unsupported = draft04Keywords.map(cdkName).filter((keyword) => !SUPPORTED_SCHEMA_KEYWORDS.includes(keyword));
  expect(unsupported).toEqual(expect.arrayContaining(['oneOf', 'anyOf', 'allOf', 'not', 'format', 'multipleOf', 'patternProperties', 'uniqueItems']));
  for (const keyword of unsupported) {
    const nested = { type: apigw.JsonSchemaType.OBJECT, properties: { a: { [keyword]: keyword === 'format' ? 'email' : {} } } } as apigw.JsonSchema;
    expect(() => synthesized(nested)).toThrow(new RegExp(`itemSchema uses the keyword "${keyword.replace(/\$/g, '\\$')}" at /properties/a`));
  }
  const tuple = { type: apigw.JsonSchemaType.ARRAY, items: [{ type: apigw.JsonSchemaType.STRING }] } as unknown as apigw.JsonSchema;
  expect(() => synthesized({ properties: { list: tuple } })).toThrow(/itemSchema uses the keyword "items \(an array of schemas\)" at \/properties\/list\/items/);
});

import Ajv04 from 'ajv-draft-04';
import type { Fail } from './construct-errors';
import { requireLiteral } from './validation';
import { JsonSchemaSubset, SUPPORTED_SCHEMA_KEYWORDS, unsupportedSchemaKeyword } from '../contract';

/**
 * API Gateway models are JSON Schema draft 4
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html), so a schema is compiled
 * at synthesis by ajv in draft-04 mode, an implementation independent of the handler's own validator. Patterns are
 * compiled as the handler compiles them: `new RegExp(pattern)`, without the `u` flag.
 */
const draft04 = new Ajv04({ strict: false, unicodeRegExp: false, allErrors: false, validateSchema: false });

/** The `[min, max]` keyword pairs whose order a satisfiable schema keeps. */
const RANGES: ReadonlyArray<readonly [keyof JsonSchemaSubset, keyof JsonSchemaSubset]> = [
  ['minLength', 'maxLength'], ['minimum', 'maximum'], ['minItems', 'maxItems'],
];

/**
 * Throws (through `fail`) unless `schema` is a literal draft-04 schema that uses only the keywords the handler and
 * local mode enforce, compiles, and can be satisfied by some value. `prop` names the schema in messages.
 */
export function checkJsonSchema(schema: JsonSchemaSubset, prop: string, fail: Fail): void {
  requireLiteral(schema, prop, 'it is checked and compiled at synthesis and served to the handler and local mode',
    'write the schema as a literal object', fail);
  const unsupported = unsupportedSchemaKeyword(schema);
  if (unsupported) {
    fail(`${prop} uses the keyword "${unsupported.keyword}" at ${unsupported.path}, which the handler and local mode do not `
      + `enforce while API Gateway would; express it with ${SUPPORTED_SCHEMA_KEYWORDS.join(', ')}.`);
  }
  const { schema: _version, ...jsonSchema } = schema;
  if (!draft04.validateSchema(jsonSchema)) {
    const error = draft04.errors![0];
    fail(`${prop} is not a valid draft-04 JSON schema: ${error.instancePath || '/'} ${error.message} `
      + `(${JSON.stringify(error.params)}); fix that keyword.`);
  }
  try {
    draft04.compile(jsonSchema);
  } catch (error) {
    fail(`${prop} does not compile: ${(error as Error).message}; fix the pattern or keyword it names.`);
  }
  checkSatisfiable(schema, '', prop, fail);
}

function checkSatisfiable(schema: JsonSchemaSubset, at: string, prop: string, fail: Fail): void {
  const where = at || '/';
  for (const [low, high] of RANGES) {
    const min = schema[low] as number | undefined;
    const max = schema[high] as number | undefined;
    if (min !== undefined && max !== undefined && min > max) {
      fail(`${prop} at ${where} has ${low} ${min} above ${high} ${max}, which no value satisfies; lower ${low} or raise ${high}.`);
    }
  }
  if (schema.additionalProperties === false) {
    for (const name of schema.required ?? []) {
      if (!Object.hasOwn(schema.properties ?? {}, name)) {
        fail(`${prop} at ${where} requires "${name}" but additionalProperties false forbids it (it is not in properties), `
          + `so no object satisfies it; add "${name}" to properties or remove it from required.`);
      }
    }
  }
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    checkSatisfiable(property, `${at}/properties/${name}`, prop, fail);
  }
  if (typeof schema.additionalProperties === 'object') checkSatisfiable(schema.additionalProperties, `${at}/additionalProperties`, prop, fail);
  if (schema.items !== undefined) checkSatisfiable(schema.items, `${at}/items`, prop, fail);
}

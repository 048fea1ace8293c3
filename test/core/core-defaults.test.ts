import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HARDENED_FUNCTION_DEFAULTS } from '../../src/core/core-defaults';
import { defaultRows, documentedDefaults, documentedValue, statesValue } from '../harness/documented-defaults';

// The oracle is the documentation: each `@default` that states a value.
describe('the defaults of src/core/core-defaults.ts are the documented ones', () => {
  test.each(defaultRows('src/core/hardened-function.ts', 'HardenedFunctionProps', HARDENED_FUNCTION_DEFAULTS))('HardenedFunctionProps.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });
});

describe('the reader of documented defaults', () => {
  test('reads the @default of one-line and multi-line doc comments', () => {
    expect(documentedDefaults('src/core/hardened-function.ts', 'HardenedFunctionProps')).toMatchObject({
      handler: "'index.handler'",
      reservedConcurrentExecutions: "- none: the function shares the account's unreserved concurrency",
    });
    expect(documentedDefaults('src/function/encrypted-function-props.ts', 'EncryptedFunctionProps').timeout).toBe('Duration.seconds(10)');
  });

  test('evaluates literals and aws-cdk-lib expressions, ignoring an explanation in parentheses', () => {
    expect(documentedValue('0.8')).toBe(0.8);
    expect(documentedValue("'index.handler'")).toBe('index.handler');
    expect(documentedValue('true (so the first deploy works)')).toBe(true);
    expect(documentedValue('Duration.hours(6)')).toEqual(Duration.hours(6));
    expect(documentedValue('lambda.Architecture.ARM_64')).toBe(lambda.Architecture.ARM_64);
  });

  test('takes prose for no value', () => {
    expect(statesValue('- 100 requests per second, bursts of 200')).toBe(false);
    expect(statesValue('4 x readCapacity')).toBe(false);
  });

  test('gives a row that fails for a default that differs, is missing, or is not documented', () => {
    const rows = defaultRows('src/core/hardened-function.ts', 'HardenedFunctionProps', { handler: 'main.handler', memorySize: 256, timeout: 3 });
    expect(rows).toEqual([
      ['handler', 'index.handler', 'main.handler'],
      ['memorySize', 256, 256],
      ['removalPolicy', RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, undefined],
      ['timeout', undefined, 3],
    ]);
  });

  test('leaves out the documented values applied elsewhere, which must be documented values', () => {
    const rows = defaultRows('src/core/hardened-function.ts', 'HardenedFunctionProps', {}, { appliedElsewhere: { handler: 'a reason' } });
    expect(rows.map(([property]) => property)).toEqual(['memorySize', 'removalPolicy']);
    expect(() => defaultRows('src/core/hardened-function.ts', 'HardenedFunctionProps', {}, { appliedElsewhere: { vpc: 'a reason' } }))
      .toThrow('HardenedFunctionProps: vpc states no documented value');
  });
});

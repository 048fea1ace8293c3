import { ENCRYPTED_FUNCTION_DEFAULTS, FUNCTION_ALARM_THRESHOLD_DEFAULTS, PROVISIONED_CONCURRENCY_DEFAULTS } from '../../src/function/function-defaults';
import { defaultRows } from '../harness/documented-defaults';

// The oracle is the documentation: each `@default` that states a value, as users read it in API.md.
const PROPS = 'src/function/encrypted-function-props.ts';

describe('the defaults of src/function/function-defaults.ts are the documented ones', () => {
  test.each(defaultRows(PROPS, 'EncryptedFunctionProps', ENCRYPTED_FUNCTION_DEFAULTS))('EncryptedFunctionProps.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test.each(defaultRows(PROPS, 'EncryptedFunctionAlarmThresholds', FUNCTION_ALARM_THRESHOLD_DEFAULTS))('EncryptedFunctionAlarmThresholds.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test.each(defaultRows(PROPS, 'ProvisionedConcurrencyOptions', PROVISIONED_CONCURRENCY_DEFAULTS))('ProvisionedConcurrencyOptions.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });
});

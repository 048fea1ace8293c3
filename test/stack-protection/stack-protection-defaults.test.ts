import { STACK_PROTECTION_DEFAULTS } from '../../src/stack-protection/stack-protection-defaults';
import { defaultRows } from '../harness/documented-defaults';

// The oracle is the documentation: each `@default` that states a value, as users read it in API.md.
describe('the defaults of src/stack-protection/stack-protection-defaults.ts are the documented ones', () => {
  test.each(defaultRows('src/stack-protection/stack-protection.ts', 'StackProtectionProps', STACK_PROTECTION_DEFAULTS))('StackProtectionProps.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });
});

import { DEFAULT_LOG_RETENTION } from '../core';

/**
 * The defaults of `StackProtection`, stated once: the construct resolves its props against them. Each is the `@default`
 * of its prop (test/stack-protection/stack-protection-defaults.test.ts compares them).
 */

/** What `StackProtectionProps` leaves to the construct: every protection on. */
export const STACK_PROTECTION_DEFAULTS = Object.freeze({
  terminationProtection: true,
  retainStatefulResources: true,
  stackPolicy: true,
  logRetention: DEFAULT_LOG_RETENTION,
});

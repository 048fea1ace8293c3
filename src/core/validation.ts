import { Duration, Size, Token } from 'aws-cdk-lib';
import type { Fail } from './construct-errors';

/** A number known at synth time: set and not a token. */
export function known(value: number | undefined): value is number {
  return value !== undefined && !Token.isUnresolved(value);
}

/** True when `value` (a string, number, list, object, Duration or Size) holds a token (a CfnParameter, Lazy or attribute) anywhere. */
export function isToken(value: unknown): boolean {
  if (value instanceof Duration || value instanceof Size) return value.isUnresolved();
  // The first check finds a token that is the value itself; the second one inside a list or object.
  return Token.isUnresolved(value) || Token.isUnresolved(JSON.stringify(value));
}

/**
 * Fails when `value` is a token where the construct needs the literal at synthesis (a token cannot be compared,
 * computed with, or used as a name or key); `because` says what needs it, `fix` what to write instead.
 */
export function requireLiteral(value: unknown, prop: string, because: string, fix: string, fail: Fail): void {
  if (isToken(value)) {
    fail(`${prop} must be a literal (not a CloudFormation token) because ${because}; ${fix}.`);
  }
}

import { Errors, ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The error's name; aws-cdk-lib brands it as a literal string (its `lit` helper is private). */
const ERROR_NAME = 'CdkSecureServerlessPropsError' as unknown as ConstructorParameters<typeof ValidationError>[0];

/**
 * Runs the prop checks of `scope` and rethrows their error as aws-cdk-lib's `ValidationError`, which carries the
 * construct path (`constructPath`, shown by the CDK CLI); the message ends with the path too, so a test, a log or a
 * non-CLI runner that prints only the message still tells which of several constructs is at fault.
 */
export function checkedIn<T>(scope: IConstruct, checks: () => T): T {
  try {
    return checks();
  } catch (error) {
    if (!(error instanceof Error) || Errors.isConstructError(error)) throw error;
    throw new ValidationError(ERROR_NAME, `${error.message} (construct ${scope.node.path})`, scope);
  }
}

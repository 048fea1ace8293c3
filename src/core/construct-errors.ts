import { UnscopedValidationError, ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The error's name; aws-cdk-lib brands it as a literal string (its `lit` helper is private). */
const ERROR_NAME = 'CdkSecureServerlessPropsError' as unknown as ConstructorParameters<typeof ValidationError>[0];

/** Throws the error of a bad prop; the message names the prop and the fix. */
export type Fail = (message: string) => never;

/**
 * The library's one construct-time error, as aws-cdk-lib's constructs raise theirs (`aws-dynamodb/lib/table-v2.ts`:
 * `throw new ValidationError(message, this)`, the check beside the construct): aws-cdk-lib's `ValidationError`
 * (`Errors.isValidationError` holds), carrying the path of `scope` in `constructPath`, which the CDK CLI shows. The
 * message ends with the path too, so a test, a log or a runner that prints only the message still tells which of
 * several constructs is at fault.
 *
 * `scope` is the construct whose props or call are at fault: the construct itself for its props and methods, the
 * scope a static factory was given (`DeploymentStage.fromContext(scope)`). A value made before any construct exists
 * (`DeploymentStage.custom`, the `TableCapacity` factories) has no construct path: it gets aws-cdk-lib's
 * `UnscopedValidationError`, a validation error of the same type (`Errors.isValidationError` holds) without a path.
 */
export function validationError(scope: IConstruct | undefined, message: string): Error {
  return scope === undefined
    ? new UnscopedValidationError(ERROR_NAME, message)
    : new ValidationError(ERROR_NAME, `${message} (construct ${scope.node.path})`, scope);
}

/** A `Fail` that throws `validationError(scope, ...)` with messages prefixed by their owner, e.g. `SecureTable: `. */
export function failIn(scope: IConstruct | undefined, owner: string): Fail {
  return (message: string) => {
    throw validationError(scope, `${owner}: ${message}`);
  };
}

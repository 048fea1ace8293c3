import { Token } from 'aws-cdk-lib';

/** Throws the error of a bad prop; the message names the prop and the fix. */
export type Fail = (message: string) => never;

/** Errors prefixed with their owner, e.g. `EncryptedFunction: memorySize (64) must be ...`. */
export function failWith(owner: string): Fail {
  return (message: string) => {
    throw new Error(`${owner}: ${message}`);
  };
}

/** A number known at synth time: set and not a token. */
export function known(value: number | undefined): value is number {
  return value !== undefined && !Token.isUnresolved(value);
}

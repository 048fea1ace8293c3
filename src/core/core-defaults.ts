import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The defaults every feature shares, and those of `HardenedFunction`, stated once. Each is the `@default` of the props
 * that use it (the features' *-defaults tests compare them with the doc comments).
 */

/**
 * How the library keeps what holds data: CloudFormation's `RetainExceptOnCreate`. Kept on update and stack deletion,
 * but deleted when the stack's first create rolls back, so a failed first deploy leaves nothing behind that the retry
 * would collide with (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
 */
export const KEEP_DATA = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

/** How long the library's log groups keep events unless a construct is told otherwise. */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** What `HardenedFunctionProps` leaves to the construct. */
export const HARDENED_FUNCTION_DEFAULTS = Object.freeze({
  handler: 'index.handler',
  memorySize: 256,
  removalPolicy: KEEP_DATA,
});

/**
 * The defaults applied to what is given: each property of `defaults` that `given` leaves undefined is taken from
 * `defaults` (as `given.x ?? defaults.x` would), the other properties of `given` kept as they are.
 */
export function withDefaults<G extends object, D extends object>(given: G, defaults: D): Omit<G, keyof D> & Resolved<G, D> {
  const resolved = { ...given } as Record<string, unknown>;
  for (const [key, value] of Object.entries(defaults)) resolved[key] = (given as Record<string, unknown>)[key] ?? value;
  return resolved as Omit<G, keyof D> & Resolved<G, D>;
}

/** The properties of `D`, typed as `G` types them (without `undefined`) where `G` has them. */
export type Resolved<G, D> = { readonly [K in keyof D]-?: K extends keyof G ? Exclude<G[K], undefined> : D[K] };

import { Duration } from 'aws-cdk-lib';
import { DEFAULT_ITEMS_PATH } from '../contract/items';
import { withDefaults } from '../core';
import { ENCRYPTED_FUNCTION_DEFAULTS } from '../function';
import { DEFAULT_MAX_REQUEST_BODY } from '../rest-api';
import type { ServerlessServiceProps } from './serverless-service-props';

/**
 * The defaults of `ServerlessService`, stated once: the construct resolves its props against them and its helpers take
 * the resolved values. Each is the `@default` of its prop (test/items-service/items-service-defaults.test.ts compares
 * them). What a stage leaves out is `DeploymentStage`'s (its presets) or the building blocks' own defaults.
 */

/** What `ServerlessServiceProps` leaves to the construct. */
export const SERVERLESS_SERVICE_DEFAULTS = Object.freeze({
  handler: 'index.handler',
  secretCacheTtl: Duration.minutes(5),
  idempotencyWindow: Duration.hours(1),
  /** The API's body limit, which the handler enforces too. */
  maxRequestBodySize: DEFAULT_MAX_REQUEST_BODY,
  /** On, so the first deploy into a new account or region works. */
  accountCloudWatchRole: true,
  itemsPath: DEFAULT_ITEMS_PATH,
});

/** The service's alarms outside `DeploymentStage.custom` (a stage made elsewhere, e.g. by `fromContext`). */
export const SERVICE_ALARM_DEFAULTS = Object.freeze({
  /** Fraction of API requests answered 5XX in 5 minutes that raises the 5XX alarm. */
  api5xxRate: 0.01,
});

/** The handler's log level when the stage sets none: `EncryptedFunction`'s, so that `LOG_LEVEL` says what Lambda applies. */
export const DEFAULT_HANDLER_LOG_LEVEL = ENCRYPTED_FUNCTION_DEFAULTS.applicationLogLevel;

/** The props with every default of this module applied. */
export function resolveServiceProps(props: ServerlessServiceProps) {
  return withDefaults(props, SERVERLESS_SERVICE_DEFAULTS);
}

/** `ServerlessServiceProps` with the defaults of this module applied. */
export type ResolvedServiceProps = ReturnType<typeof resolveServiceProps>;

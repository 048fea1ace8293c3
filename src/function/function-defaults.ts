import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BUNDLED_CODE_RUNTIME, DEFAULT_LOG_RETENTION, KEEP_DATA, withDefaults } from '../core';
import type { EncryptedFunctionProps } from './encrypted-function-props';

/**
 * The defaults of `EncryptedFunction`, stated once: the construct resolves its props against them (`resolveFunctionProps`)
 * and its helpers take the resolved values. Each is the `@default` of its prop (test/function/function-defaults.test.ts compares them).
 */

/** What `EncryptedFunctionProps` leaves to the construct. */
export const ENCRYPTED_FUNCTION_DEFAULTS = Object.freeze({
  runtime: BUNDLED_CODE_RUNTIME,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(10),
  logRetention: DEFAULT_LOG_RETENTION,
  applicationLogLevel: lambda.ApplicationLogLevel.INFO,
  systemLogLevel: lambda.SystemLogLevel.INFO,
  removalPolicy: KEEP_DATA,
  retryAttempts: 2,
  maxEventAge: Duration.hours(6),
});

/** The alarm thresholds of `EncryptedFunctionAlarmThresholds`. */
export const FUNCTION_ALARM_THRESHOLD_DEFAULTS = Object.freeze({
  errors: 1,
  throttles: 1,
  durationFractionOfTimeout: 0.8,
  evaluationPeriods: 1,
});

/** The target utilization of `ProvisionedConcurrencyOptions`. */
export const PROVISIONED_CONCURRENCY_DEFAULTS = Object.freeze({
  utilizationTarget: 0.7,
});

/** The props with every default of this module applied: the alarm thresholds, and the provisioned concurrency when asked for. */
export function resolveFunctionProps(props: EncryptedFunctionProps) {
  return {
    ...withDefaults(props, ENCRYPTED_FUNCTION_DEFAULTS),
    alarmThresholds: withDefaults(props.alarmThresholds ?? {}, FUNCTION_ALARM_THRESHOLD_DEFAULTS),
    provisionedConcurrency: props.provisionedConcurrency && withDefaults(props.provisionedConcurrency, PROVISIONED_CONCURRENCY_DEFAULTS),
  };
}

import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BUNDLED_CODE_RUNTIME, DEFAULT_LOG_RETENTION, KEEP_DATA } from '../core';
import type { EncryptedFunctionAlarmThresholds, ProvisionedConcurrencyOptions } from './encrypted-function-props';

/**
 * The defaults of `EncryptedFunction`, stated once: the construct resolves its props against them and its helpers take
 * the resolved values. Each is the `@default` of its prop (test/function/function-defaults.test.ts compares them).
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

/** Every threshold of the function's alarms, given or default. */
export function resolveFunctionAlarmThresholds(thresholds: EncryptedFunctionAlarmThresholds = {}): Required<EncryptedFunctionAlarmThresholds> {
  return {
    errors: thresholds.errors ?? FUNCTION_ALARM_THRESHOLD_DEFAULTS.errors,
    throttles: thresholds.throttles ?? FUNCTION_ALARM_THRESHOLD_DEFAULTS.throttles,
    durationFractionOfTimeout: thresholds.durationFractionOfTimeout ?? FUNCTION_ALARM_THRESHOLD_DEFAULTS.durationFractionOfTimeout,
    evaluationPeriods: thresholds.evaluationPeriods ?? FUNCTION_ALARM_THRESHOLD_DEFAULTS.evaluationPeriods,
  };
}

/** Provisioned concurrency with its utilization target, given or default; `undefined` when none is asked for. */
export function resolveProvisionedConcurrency(
  options: ProvisionedConcurrencyOptions | undefined,
): Required<ProvisionedConcurrencyOptions> | undefined {
  if (!options) return undefined;
  return {
    minCapacity: options.minCapacity,
    maxCapacity: options.maxCapacity,
    utilizationTarget: options.utilizationTarget ?? PROVISIONED_CONCURRENCY_DEFAULTS.utilizationTarget,
  };
}

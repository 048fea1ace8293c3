import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { createThresholdAlarm } from '../core';
import type { EncryptedFunctionAlarmThresholds } from './encrypted-function-props';

/** The metrics of the `live` alias that the function's alarms watch. */
export interface FunctionAlarmMetrics {
  readonly errors: cloudwatch.Metric;
  readonly throttles: cloudwatch.Metric;
  /** The p99 duration, in ms. */
  readonly p99Duration: cloudwatch.Metric;
}

/** The alarms of an `EncryptedFunction`. */
export interface FunctionAlarms {
  readonly errors: cloudwatch.Alarm;
  readonly throttles: cloudwatch.Alarm;
  readonly duration: cloudwatch.Alarm;
}

/** Errors, throttles and p99-duration alarms on one-minute periods of the `live` alias; `scope` is the `EncryptedFunction`. */
export function createFunctionAlarms(
  scope: Construct, metrics: FunctionAlarmMetrics, thresholds: Required<EncryptedFunctionAlarmThresholds>, timeout: Duration,
): FunctionAlarms {
  const alarmOn = (id: string, metric: cloudwatch.Metric, threshold: number, description: string) =>
    createThresholdAlarm(scope, id, {
      metric: metric.with({ period: Duration.minutes(1) }),
      threshold,
      evaluationPeriods: thresholds.evaluationPeriods,
      description: `${description} (${scope.node.path}).`,
    });
  return {
    errors: alarmOn('ErrorsAlarm', metrics.errors, thresholds.errors,
      'Invocations of the live alias failed with an error'),
    throttles: alarmOn('ThrottlesAlarm', metrics.throttles, thresholds.throttles,
      'Invocations of the live alias were throttled'),
    duration: alarmOn('DurationAlarm', metrics.p99Duration,
      timeout.toMilliseconds() * thresholds.durationFractionOfTimeout,
      'p99 duration of the live alias is close to the timeout'),
  };
}

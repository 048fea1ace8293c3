import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { acknowledgeFindings, FindingFamily } from './acknowledgements';

/** Settings of an alarm that fires when a metric reaches a threshold. */
export interface ThresholdAlarmOptions {
  /** The metric, with its statistic and period. */
  readonly metric: cloudwatch.IMetric;
  /** The value at or above which the alarm fires. */
  readonly threshold: number;
  /** Consecutive periods at or above the threshold before it fires. */
  readonly evaluationPeriods: number;
  /** What the alarm means, for whoever it wakes. */
  readonly description: string;
}

/** An alarm when the metric reaches the threshold; periods without data (no traffic) do not breach. */
export function createThresholdAlarm(scope: Construct, id: string, options: ThresholdAlarmOptions): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: options.description,
    metric: options.metric,
    threshold: options.threshold,
    evaluationPeriods: options.evaluationPeriods,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** Settings of an alarm on the share of requests that failed. */
export interface ErrorRateAlarmOptions {
  /** Failed requests per period (a Sum). */
  readonly errors: cloudwatch.IMetric;
  /** All requests per period (a SampleCount or Sum), on the same period as `errors`. */
  readonly requests: cloudwatch.IMetric;
  /** Fraction of requests (0 to 1, e.g. 0.01 for 1%) at or above which the alarm fires. */
  readonly threshold: number;
  /** Consecutive periods at or above the threshold before it fires. */
  readonly evaluationPeriods: number;
  /** What the alarm means, for whoever it wakes. */
  readonly description: string;
}

/**
 * An alarm when `errors / requests` reaches the threshold, both as fractions: a period without requests counts as
 * 0 and does not breach.
 */
export function createErrorRateAlarm(scope: Construct, id: string, options: ErrorRateAlarmOptions): cloudwatch.Alarm {
  return new cloudwatch.MathExpression({
    expression: 'IF(requests > 0, errors / requests, 0)',
    usingMetrics: { errors: options.errors, requests: options.requests },
    label: 'Share of requests that failed (0 to 1)',
  }).createAlarm(scope, id, {
    alarmDescription: options.description,
    threshold: options.threshold,
    evaluationPeriods: options.evaluationPeriods,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** How {@link routeAlarmActions} treats the alarms. */
export interface AlarmRoutingOptions {
  /** The alarm-action findings acknowledged on each alarm when there are no actions, with why that is acceptable. */
  readonly findingsWithoutActions: FindingFamily;
}

/** The library's one OK-action policy: an alarm's actions run when it fires and again when it returns to OK. */
export function addAlarmActions(alarm: cloudwatch.Alarm, actions: cloudwatch.IAlarmAction[]): void {
  alarm.addAlarmAction(...actions);
  alarm.addOkAction(...actions);
}

/**
 * Sends the alarms' state changes to the actions; without actions, acknowledges on each alarm the rules asking for
 * one, with the reason.
 */
export function routeAlarmActions(alarms: cloudwatch.Alarm[], actions: cloudwatch.IAlarmAction[], options: AlarmRoutingOptions): void {
  for (const alarm of alarms) {
    if (actions.length > 0) {
      addAlarmActions(alarm, actions);
    } else {
      acknowledgeFindings(alarm, options.findingsWithoutActions);
    }
  }
}

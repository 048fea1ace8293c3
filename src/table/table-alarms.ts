import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { createThresholdAlarm } from '../core';
import type { TableAlarmThresholds } from './table-defaults';

/** Period of the table's metrics and alarms. */
export const TABLE_ALARM_PERIOD = Duration.minutes(5);

/** CloudWatch alarms on metric math take at most 10 metrics: the item operations an API uses. */
export const SYSTEM_ERROR_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.SCAN,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.BATCH_WRITE_ITEM,
  dynamodb.Operation.TRANSACT_GET_ITEMS,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

/** The metrics the table's alarms watch. */
export interface TableAlarmMetrics {
  readonly readThrottleEvents: cloudwatch.IMetric;
  readonly writeThrottleEvents: cloudwatch.IMetric;
  readonly systemErrors: cloudwatch.IMetric;
}

/** The alarms of a `SecureTable`. */
export interface TableAlarms {
  readonly readThrottle: cloudwatch.Alarm;
  readonly writeThrottle: cloudwatch.Alarm;
  readonly systemErrors: cloudwatch.Alarm;
}

/** Throttled reads, throttled writes and system errors, each firing on one period at the threshold; `scope` is the `SecureTable`. */
export function createTableAlarms(scope: Construct, metrics: TableAlarmMetrics, thresholds: TableAlarmThresholds): TableAlarms {
  const throttleAlarm = (id: string, metric: cloudwatch.IMetric, kind: string) => createThresholdAlarm(scope, id, {
    description: `DynamoDB throttled ${kind} of table ${scope.node.path}: raise capacity or spread the key space.`,
    metric,
    threshold: thresholds.throttles,
    evaluationPeriods: 1,
  });
  return {
    readThrottle: throttleAlarm('ReadThrottleAlarm', metrics.readThrottleEvents, 'reads'),
    writeThrottle: throttleAlarm('WriteThrottleAlarm', metrics.writeThrottleEvents, 'writes'),
    systemErrors: createThresholdAlarm(scope, 'SystemErrorsAlarm', {
      description: `DynamoDB returned system errors (HTTP 500) for table ${scope.node.path}.`,
      metric: metrics.systemErrors,
      threshold: thresholds.systemErrors,
      evaluationPeriods: 1,
    }),
  };
}

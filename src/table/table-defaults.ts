import { Duration } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { KEEP_DATA } from '../core';

/**
 * The defaults of `SecureTable` and `TableCapacity`, stated once: the constructs resolve their props against them and
 * the helpers take the resolved values. Each is the `@default` of its prop (test/table/table-defaults.test.ts compares
 * them). `capacity` (`TableCapacity.onDemand()`) is applied by `SecureTable` itself: a helper module may not make a
 * `TableCapacity`. No import of the props: table-capacity.ts imports this module, and the props import table-capacity.ts.
 */

/** What `SecureTableProps` leaves to the construct. */
export const SECURE_TABLE_DEFAULTS = Object.freeze({
  removalPolicy: KEEP_DATA,
  pointInTimeRecovery: true,
});

/** `SecureTableAlarmThresholds` with its defaults applied. */
export interface TableAlarmThresholds {
  readonly throttles: number;
  readonly systemErrors: number;
}

/** The alarm thresholds of `SecureTableAlarmThresholds`. */
export const TABLE_ALARM_THRESHOLD_DEFAULTS: TableAlarmThresholds = Object.freeze({
  throttles: 1,
  systemErrors: 1,
});

/** The backup plan of `SecureTableBackupOptions`: recovery points kept 35 days, taken daily at 05:00 UTC. */
export const TABLE_BACKUP_DEFAULTS = Object.freeze({
  retention: Duration.days(35),
  schedule: events.Schedule.cron({ hour: '5', minute: '0' }),
});

/** What `ProvisionedCapacityOptions` leaves to `TableCapacity.provisioned`. */
export const PROVISIONED_CAPACITY_DEFAULTS = Object.freeze({
  targetUtilizationPercent: 70,
});

/** A provisioned table's maximum capacity, when not given, is this many times its minimum. */
export const DEFAULT_MAX_CAPACITY_FACTOR = 4;

/** Every threshold of the table's alarms, given or default. */
export function resolveTableAlarmThresholds(thresholds: Partial<TableAlarmThresholds> = {}): TableAlarmThresholds {
  return {
    throttles: thresholds.throttles ?? TABLE_ALARM_THRESHOLD_DEFAULTS.throttles,
    systemErrors: thresholds.systemErrors ?? TABLE_ALARM_THRESHOLD_DEFAULTS.systemErrors,
  };
}

/** The backup plan's retention and schedule, given or default; `vault` stays optional (a new vault when absent). */
export function resolveTableBackup(options: Partial<ResolvedTableBackupOptions>): ResolvedTableBackupOptions {
  return {
    retention: options.retention ?? TABLE_BACKUP_DEFAULTS.retention,
    schedule: options.schedule ?? TABLE_BACKUP_DEFAULTS.schedule,
    vault: options.vault,
  };
}

/** `SecureTableBackupOptions` with its defaults applied. */
export interface ResolvedTableBackupOptions {
  readonly retention: Duration;
  readonly schedule: events.Schedule;
  readonly vault?: backup.IBackupVault;
}

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { KEEP_DATA, withDefaults } from '../core';

/**
 * The defaults of `SecureTable` and `TableCapacity`, stated once: the constructs resolve their props against them
 * (`resolveTableProps`) and the helpers take the resolved values. Each is the `@default` of its prop (test/table/table-defaults.test.ts compares
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

/** `SecureTableBackupOptions` with its defaults applied. */
export interface ResolvedTableBackupOptions {
  readonly retention: Duration;
  readonly schedule: events.Schedule;
  readonly vault?: backup.IBackupVault;
}

/** What of `SecureTableProps` this module resolves (structurally: the props module imports table-capacity.ts). */
interface TablePropsWithDefaults {
  readonly removalPolicy?: RemovalPolicy;
  readonly pointInTimeRecovery?: boolean;
  readonly alarmThresholds?: Partial<TableAlarmThresholds>;
  readonly backup?: Partial<ResolvedTableBackupOptions>;
}

/** The props with every default of this module applied: the alarm thresholds, and the backup plan when asked for. */
export function resolveTableProps<P extends TablePropsWithDefaults>(props: P) {
  return {
    ...withDefaults(props, SECURE_TABLE_DEFAULTS),
    alarmThresholds: withDefaults(props.alarmThresholds ?? {}, TABLE_ALARM_THRESHOLD_DEFAULTS),
    backup: props.backup && withDefaults(props.backup, TABLE_BACKUP_DEFAULTS),
  };
}

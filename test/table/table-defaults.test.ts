import {
  DEFAULT_MAX_CAPACITY_FACTOR, PROVISIONED_CAPACITY_DEFAULTS, SECURE_TABLE_DEFAULTS, TABLE_ALARM_THRESHOLD_DEFAULTS, TABLE_BACKUP_DEFAULTS,
} from '../../src/table/table-defaults';
import { defaultRows, documentedDefaults } from '../harness/documented-defaults';

// The oracle is the documentation: each `@default` of the props, as users read it in API.md.
const PROPS = 'src/table/secure-table-props.ts';
const CAPACITY = 'src/table/table-capacity.ts';

/** Documented values the defaults module does not hold, and why (not compared here; each must be documented as a value). */
const APPLIED_ELSEWHERE: Record<string, string> = {
  capacity: 'SecureTable applies TableCapacity.onDemand(): a helper module may not import the construct module table-capacity.ts',
  pointInTimeRecoveryPeriod: 'left unset, so DynamoDB keeps its own default of 35 days; setting it would change the template',
};

describe('the defaults of src/table/table-defaults.ts are the documented ones', () => {
  test.each(defaultRows(PROPS, 'SecureTableProps', SECURE_TABLE_DEFAULTS, { appliedElsewhere: APPLIED_ELSEWHERE }))('SecureTableProps.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test.each(defaultRows(PROPS, 'SecureTableAlarmThresholds', TABLE_ALARM_THRESHOLD_DEFAULTS))('SecureTableAlarmThresholds.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test('SecureTableProps.alarmThresholds: "1 throttled event and 1 system error"', () => {
    const [, throttles, systemErrors] = /^- (\d+) throttled event and (\d+) system error in 5 minutes$/.exec(documentedDefaults(PROPS, 'SecureTableProps').alarmThresholds)!;
    expect(TABLE_ALARM_THRESHOLD_DEFAULTS).toEqual({ throttles: Number(throttles), systemErrors: Number(systemErrors) });
  });

  test('SecureTableBackupOptions.retention', () => {
    expect(defaultRows(PROPS, 'SecureTableBackupOptions', { retention: TABLE_BACKUP_DEFAULTS.retention })).toEqual([['retention', '3024000000 ms', '3024000000 ms']]);
  });

  test('SecureTableBackupOptions.schedule: "daily at 05:00 UTC"', () => {
    expect(documentedDefaults(PROPS, 'SecureTableBackupOptions').schedule).toBe('- daily at 05:00 UTC');
    // EventBridge cron fields: minutes hours day-of-month month day-of-week year
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-cron-expressions).
    expect(TABLE_BACKUP_DEFAULTS.schedule.expressionString).toBe('cron(0 5 * * ? *)');
  });

  test.each(defaultRows(CAPACITY, 'ProvisionedCapacityOptions', PROVISIONED_CAPACITY_DEFAULTS))('ProvisionedCapacityOptions.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test.each(['maxReadCapacity', 'maxWriteCapacity'])('ProvisionedCapacityOptions.%s: "4 x" the minimum', (property) => {
    const [, factor] = /^(\d+) x (read|write)Capacity$/.exec(documentedDefaults(CAPACITY, 'ProvisionedCapacityOptions')[property])!;
    expect(DEFAULT_MAX_CAPACITY_FACTOR).toBe(Number(factor));
  });
});

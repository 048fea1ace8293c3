import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Fail, known, requireLiteral } from '../core';
import type { SecureTableAlarmThresholds, SecureTableProps } from './secure-table-props';

/** The prop checks of `SecureTable`; the alarm thresholds are shared with `DeploymentStage`'s alarm group. */

/** Deletion protection as asked, else on unless the table is destroyed with its stack. */
export function resolveDeletionProtection(removalPolicy: RemovalPolicy, deletionProtection: boolean | undefined, fail: Fail): boolean {
  if (removalPolicy === RemovalPolicy.DESTROY && deletionProtection === true) {
    fail(
      'deletionProtection is true while removalPolicy is DESTROY, so the table could never be deleted with its stack; ' +
        'drop deletionProtection (DESTROY turns it off) or keep removalPolicy RETAIN.',
    );
  }
  return deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY;
}

/** Why a replica region must be a literal (one literal, so a token-props test that sees a reason sees all of it). */
const REPLICA_REGION_LITERAL_REASON = 'the replica\'s key is looked up in replicaKeyArns by region name and aws-cdk-lib renders each replica at synthesis';

/** The checks of the stack's region, the replicas, the alarm thresholds and the stream, in that order. */
export function validateTableProps(props: SecureTableProps, stackRegion: string, fail: Fail): void {
  if (Token.isUnresolved(stackRegion)) {
    // TableV2 renders the customer-managed key per replica region, which a region-agnostic stack cannot name.
    fail('the stack has no concrete region; set env: { account, region } on the stack (a table encrypted with a customer-managed key is regional).');
  }
  validateReplicas(props, stackRegion, fail);
  validateTableAlarmThresholds(props.alarmThresholds ?? {}, fail, 'alarmThresholds.');
  const hasReplicas = (props.replicaRegions ?? []).length > 0;
  if (hasReplicas && props.stream !== undefined && props.stream !== dynamodb.StreamViewType.NEW_AND_OLD_IMAGES) {
    fail(
      `stream is ${props.stream}, but a table with replicaRegions replicates through a NEW_AND_OLD_IMAGES stream; ` +
        'set stream to NEW_AND_OLD_IMAGES or leave it unset.',
    );
  }
}

/** The alarm thresholds of `SecureTable` (shared with `DeploymentStage`'s alarm group); `path` prefixes the prop names. */
export function validateTableAlarmThresholds(thresholds: SecureTableAlarmThresholds, fail: Fail, path: string): void {
  for (const prop of ['throttles', 'systemErrors'] as const) {
    const threshold = thresholds[prop];
    if (known(threshold) && !(threshold > 0)) {
      fail(`${path}${prop} (${threshold}) must be > 0; an alarm at 0 would always fire.`);
    }
  }
}

/** Point-in-time recovery on or off, with the recovery period DynamoDB keeps (whole days, 1 to 35). */
export function pointInTimeRecoverySpecification(
  enabled: boolean, period: Duration | undefined, fail: Fail,
): dynamodb.PointInTimeRecoverySpecification {
  if (period === undefined) return { pointInTimeRecoveryEnabled: enabled };
  if (!enabled) {
    fail('pointInTimeRecoveryPeriod is set while pointInTimeRecovery is false; drop one of them.');
  }
  requireLiteral(period, 'pointInTimeRecoveryPeriod', 'aws-cdk-lib compares it with 1 to 35 days at synthesis',
    'write the duration, e.g. Duration.days(35)', fail);
  const days = period.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1 || days > 35) {
    fail(
      `pointInTimeRecoveryPeriod (${period.toHumanString()}) must be a whole number of days from 1 to 35, the range DynamoDB keeps; pick one in that range.`,
    );
  }
  return { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: days };
}

/** An AWS Region code: area, optional partition part, direction, number (us-east-1, us-gov-west-1, eusc-de-east-1). */
const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** Each replica region is another region than the stack's, listed once, with a key of its own region. */
function validateReplicas(props: SecureTableProps, stackRegion: string, fail: Fail): void {
  const replicaRegions = props.replicaRegions ?? [];
  const keyRegions = Object.keys(props.replicaKeyArns ?? {});
  if (replicaRegions.length === 0) {
    if (keyRegions.length > 0) {
      fail('replicaKeyArns is set without replicaRegions; add the regions to replicaRegions or drop replicaKeyArns.');
    }
    return;
  }
  const seen = new Set<string>();
  for (const region of replicaRegions) {
    requireLiteral(region, 'replicaRegions entry', REPLICA_REGION_LITERAL_REASON, 'write the region, e.g. "us-west-2"', fail);
    if (!REGION_NAME.test(region)) {
      fail(`replicaRegions entry "${region}" is not an AWS Region name; write it as area-direction-number, e.g. us-east-1 or eu-central-2.`);
    }
    if (region === stackRegion) {
      fail(`replicaRegions contains ${region}, the stack's own region, where the table already lives; list only other regions.`);
    }
    if (seen.has(region)) {
      fail(`replicaRegions lists ${region} twice; list each region once.`);
    }
    seen.add(region);
    const keyArn = props.replicaKeyArns?.[region];
    const keyRegion = keyArn && !Token.isUnresolved(keyArn) ? keyArn.split(':')[3] : undefined;
    if (keyRegion && keyRegion !== region) {
      fail(`replicaKeyArns['${region}'] is a key in ${keyRegion}; a replica is encrypted only with a key of its own region, so give the ARN of a key in ${region}.`);
    }
    if (!keyArn) {
      fail(
        `replicaKeyArns has no key for replica region ${region}; a customer-managed key is regional, ` +
          `so give the ARN of a key in ${region} (replicaKeyArns: { '${region}': 'arn:aws:kms:${region}:...' }).`,
      );
    }
  }
  for (const region of keyRegions) {
    if (!seen.has(region)) {
      fail(`replicaKeyArns has a key for ${region}, which is not in replicaRegions; add the region or remove the key.`);
    }
  }
}

import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The exact KMS actions CloudWatch Logs needs to encrypt and read a log group (no wildcard actions). */
export const LOGS_KMS_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
];

/**
 * Lets CloudWatch Logs in this account and region use the key for its log groups, and nothing else:
 * the encryption context condition limits it to log groups of this account and region.
 * A no-op on imported keys, whose policy the owner manages.
 */
export function allowCloudWatchLogs(key: kms.IKey): void {
  const { region, account, partition } = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
    actions: LOGS_KMS_ACTIONS,
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
      },
    },
  }));
}

/** A customer-managed key with yearly rotation for log groups, usable by CloudWatch Logs. */
export function createLogEncryptionKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy,
  });
  allowCloudWatchLogs(key);
  return key;
}

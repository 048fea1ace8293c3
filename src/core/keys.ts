import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The exact KMS actions CloudWatch Logs needs to encrypt and read a log group: the `kms:GenerateDataKey*` family
 * of AWS's documented key policy, spelled out so that no wildcard action appears.
 */
const LOGS_KMS_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
];

/**
 * A customer-managed KMS key with yearly automatic rotation, as every construct of this library creates by default;
 * only AWS services may create grants on it.
 */
export function createRotatedKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy,
  });
  denyGrantsExceptForAwsServices(key);
  return key;
}

/**
 * Denies `kms:CreateGrant` to every principal unless an AWS service creates the grant, for itself or for an AWS
 * resource (DynamoDB, Lambda, Secrets Manager and AWS Backup create their grants that way). A grant is a second,
 * IAM-invisible way to hand the key to anyone; the Control Tower control CT.KMS.PR.3 asks for this statement.
 */
export function denyGrantsExceptForAwsServices(key: kms.IKey): iam.AddToResourcePolicyResult {
  return key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsExceptForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
    },
  }));
}

/** The `kms:ViaService` condition that limits an identity-policy statement on a key to calls made through one service. */
export function viaService(scope: Construct, service: string): { [operator: string]: { [key: string]: string } } {
  return { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(scope).region}.amazonaws.com` } };
}

/**
 * Lets CloudWatch Logs of the key's region encrypt log groups of the key's account with it, and nothing else.
 *
 * CloudWatch Logs uses the key itself, so only the key policy (not IAM) can allow it; the encryption context
 * condition limits the statement to log groups of this account and region. A key imported from outside the app
 * cannot be changed (`statementAdded` is false): its owner must add the statement.
 */
export function allowCloudWatchLogs(key: kms.IKey): iam.AddToResourcePolicyResult {
  const stack = Stack.of(key);
  return key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: LOGS_KMS_ACTIONS,
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }));
}

/**
 * Lets an AWS service that moves undeliverable messages into an SSE-KMS dead-letter queue itself (SNS, EventBridge)
 * make that queue's data keys: only the key policy can allow a service principal; `conditions` keep it to this account.
 */
export function allowServiceToEncryptDeadLetters(
  key: kms.IKey, sid: string, service: string, conditions: { [operator: string]: { [key: string]: string } },
): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(service)],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions,
  }));
}

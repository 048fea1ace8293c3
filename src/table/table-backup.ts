import { Names, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { FINDING_FAMILIES, acknowledgeFindings, viaService, namePerStackCreation, KEEP_DATA, Fail } from '../core';
import type { ResolvedTableBackupOptions } from './table-defaults';

// AWS::Backup::BackupVault BackupVaultName: pattern ^[a-zA-Z0-9\-\_]{2,50}$ (CloudFormation resource reference).
const BACKUP_VAULT_NAME_MAX_LENGTH = 50;

/** The table and key a backup plan covers; `scope` is the `SecureTable`, which owns the backup resources. */
export interface BackedUpTable {
  readonly scope: Construct;
  readonly table: dynamodb.TableV2;
  readonly encryptionKey: kms.IKey;
}

/** The AWS Backup plan of a table and the vault it fills. */
export interface TableBackup {
  readonly plan: backup.BackupPlan;
  readonly vault: backup.IBackupVault;
}

/** A daily backup plan of the table into the given vault, or a new one encrypted with the table's key. */
export function addTableBackup(target: BackedUpTable, options: ResolvedTableBackupOptions, fail: Fail): TableBackup {
  const vault = options.vault ?? createBackupVault(target);
  return { vault, plan: createBackupPlan(target, options, vault, fail) };
}

function createBackupVault(target: BackedUpTable): backup.BackupVault {
  return new backup.BackupVault(target.scope, 'BackupVault', {
    encryptionKey: target.encryptionKey,
    blockRecoveryPointDeletion: true,
    removalPolicy: KEEP_DATA,
    backupVaultName: namePerStackCreation(target.scope, '', BACKUP_VAULT_NAME_MAX_LENGTH),
  });
}

function createBackupPlan(target: BackedUpTable, options: ResolvedTableBackupOptions, vault: backup.IBackupVault, fail: Fail): backup.BackupPlan {
  const retention = options.retention;
  if (!retention.isUnresolved() && retention.toHours({ integral: false }) < 24) {
    fail(`backup.retention (${retention.toHumanString()}) must be at least 1 day, the minimum AWS Backup keeps a recovery point.`);
  }
  const plan = new backup.BackupPlan(target.scope, 'BackupPlan', {
    // Plan names are unique per account and region: derive it from the construct path.
    backupPlanName: Names.uniqueResourceName(target.scope, { maxLength: 50 }),
    backupVault: vault,
    backupPlanRules: [
      new backup.BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: options.schedule,
        deleteAfter: retention,
      }),
    ],
  });
  plan.addSelection('Selection', {
    resources: [backup.BackupResource.fromArn(target.table.tableArn)],
    role: createBackupRole(target, vault),
    disableDefaultBackupPolicy: true,
  });
  return plan;
}

/** A role with exact backup actions in a customer-managed policy, instead of the AWS-managed AWSBackupServiceRolePolicyForBackup. */
function createBackupRole(target: BackedUpTable, vault: backup.IBackupVault): iam.Role {
  const { scope, table, encryptionKey } = target;
  const role = new iam.Role(scope, 'BackupRole', {
    assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
    description: `AWS Backup role for the DynamoDB table ${scope.node.path}`,
  });
  const backupArns = `${table.tableArn}/backup/*`;
  const policy = new iam.ManagedPolicy(scope, 'BackupPolicy', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        actions: ['dynamodb:DescribeTable', 'dynamodb:CreateBackup', 'dynamodb:StartAwsBackupJob', 'dynamodb:ListTagsOfResource'],
        resources: [table.tableArn],
      }),
      new iam.PolicyStatement({
        actions: ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup'],
        resources: [backupArns],
      }),
      ...backupKeyStatements(scope, encryptionKey),
      new iam.PolicyStatement({
        actions: ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'],
        resources: [vault.backupVaultArn],
      }),
    ],
  });
  acknowledgeFindings(policy, FINDING_FAMILIES.tableBackupWildcard,
    Stack.of(scope).getLogicalId(table.node.defaultChild as dynamodb.CfnGlobalTable));
  return role;
}

/**
 * The key permissions AWS Backup needs to back up a DynamoDB table encrypted with a customer-managed key: the KMS
 * statements of AWS's own backup role policy, limited to this key. "Your IAM role must have access to the KMS key being
 * used to back up and restore the object" (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html);
 * which access is the `KMSDynamoDBPermissions`, `KMSPermissions` and `KMSCreateGrantPermissions` statements of
 * AWSBackupServiceRolePolicyForBackup
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html):
 * data keys only through DynamoDB, DescribeKey outright, and grants only for AWS resources.
 */
function backupKeyStatements(scope: Construct, encryptionKey: kms.IKey): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [encryptionKey.keyArn],
      conditions: viaService(scope, 'dynamodb'),
    }),
    new iam.PolicyStatement({
      actions: ['kms:DescribeKey'],
      resources: [encryptionKey.keyArn],
    }),
    new iam.PolicyStatement({
      actions: ['kms:CreateGrant'],
      resources: [encryptionKey.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}

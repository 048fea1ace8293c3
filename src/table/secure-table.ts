import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SecureTableGrants } from './secure-table-grants';
import { SecureTableProps } from './secure-table-props';
import { SYSTEM_ERROR_OPERATIONS, TABLE_ALARM_PERIOD, createTableAlarms } from './table-alarms';
import { addTableBackup } from './table-backup';
import { pointInTimeRecoverySpecification, resolveDeletionProtection, validateTableProps } from './table-validation';
import { applyTags, FINDING_FAMILIES, routeAlarmActions, createRotatedKey, KEEP_DATA, failIn } from '../core';
import { TableCapacity } from './table-capacity';
import { resolveTableProps } from './table-defaults';

/**
 * A DynamoDB table (`AWS::DynamoDB::GlobalTable`, so replicas are added in place without replacing the table)
 * encrypted with a customer-managed KMS key, with point-in-time recovery, deletion protection, kept on update and deletion, auto-scaled
 * provisioned or on-demand capacity, throttle and system-error alarms and an optional AWS Backup plan.
 *
 * It passes a security review as created. It is an `AWS::DynamoDB::GlobalTable` (CDK `TableV2`), so adding
 * `replicaRegions` later is an in-place update rather than a table replacement, and replicas need no CDK helper Lambda.
 *
 * Secure defaults:
 *
 * - encrypted with a customer-managed KMS key: the one you pass as `encryptionKey`, or a new key with automatic rotation;
 *   replicas use the regional keys you give in `replicaKeyArns`;
 * - point-in-time recovery on (35 days, or `pointInTimeRecoveryPeriod`), deletion protection on,
 *   `RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE` (`DESTROY` turns deletion protection off, and setting both `DESTROY` and
 *   `deletionProtection: true` is rejected);
 * - `TableCapacity.onDemand()` (optionally with request-unit ceilings) or `TableCapacity.provisioned({...})`, where reads
 *   and writes auto-scale by target tracking between the given minimum and maximum (default maximum 4 x minimum, target
 *   70 %); global secondary indexes inherit it;
 * - alarms on read throttles, write throttles and system errors of the item operations, exposed as `alarms` and routed
 *   by `alarmActions` (when an alarm fires and when it returns to OK), with thresholds in `alarmThresholds`;
 * - optional AWS Backup plan (`backup`): daily, 35-day retention by default, into a vault encrypted with the table's key
 *   that denies recovery-point deletion, run by a role with exact actions in a customer-managed policy (no AWS-managed
 *   `AWSBackupServiceRolePolicyForBackup`).
 *
 * `grants` grants with exact actions on the table and its indexes, and the key actions they need through DynamoDB only
 * (`kms:ViaService`), without the `kms:GenerateDataKey*` / `kms:ReEncrypt*` wildcards of CDK's table grants:
 * `grants.readData(grantee)` (`GetItem`, `Query`, `Scan`, `ConditionCheckItem`, `kms:Decrypt`),
 * `grants.readWriteData(grantee)` (also `PutItem`, `UpdateItem`, `DeleteItem`, `kms:Encrypt`, `kms:GenerateDataKey`),
 * `grants.actions(grantee, ...actions)` (exactly the DynamoDB actions you name; wildcards, and names that are not
 * DynamoDB actions on a table or index, such as a typo `dynamodb:GetIten`, are rejected) and `grants.streamRead(grantee)`.
 * Each has a `...Statements()` twin returning the same statements for a customer-managed policy.
 *
 * cdk-nag does not inspect `AWS::DynamoDB::GlobalTable`, so this library's tests assert encryption, point-in-time
 * recovery, deletion protection, auto-scaling and the backup plan on the synthesized template themselves.
 *
 * @example
 * import { App, Duration, Stack } from 'aws-cdk-lib';
 * import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
 * import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
 * import * as lambda from 'aws-cdk-lib/aws-lambda';
 * import * as sns from 'aws-cdk-lib/aws-sns';
 * import { SecureTable, TableCapacity } from 'cdk-secure-serverless';
 *
 * const app = new App();
 * const stack = new Stack(app, 'Items', { env: { account: '111111111111', region: 'eu-west-1' } });
 * const alarmTopic = new sns.Topic(stack, 'Alarms');
 * const handler = new lambda.Function(stack, 'Handler', {
 *   runtime: lambda.Runtime.NODEJS_24_X,
 *   handler: 'index.handler',
 *   code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
 * });
 *
 * const items = new SecureTable(stack, 'Items', {
 *   partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
 *   capacity: TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5, maxReadCapacity: 50, maxWriteCapacity: 50 }),
 *   timeToLiveAttribute: 'expiresAt',
 *   backup: { retention: Duration.days(35) },
 *   alarmActions: [new cloudwatchActions.SnsAction(alarmTopic)],
 * });
 * items.grants.readWriteData(handler);
 */
export class SecureTable extends Construct {
  /** The DynamoDB table (`AWS::DynamoDB::GlobalTable`), for what the props do not cover. */
  public readonly dynamoTable: dynamodb.TableV2;
  /** The name of the table. */
  public readonly tableName: string;
  /** The ARN of the table. */
  public readonly tableArn: string;
  /** The ARN of the table's stream, when `stream` or `replicaRegions` is set. */
  public readonly tableStreamArn?: string;
  /** The KMS key that encrypts the table in the stack's region. */
  public readonly encryptionKey: kms.IKey;
  /** Alarm on throttled reads. */
  public readonly readThrottleAlarm: cloudwatch.Alarm;
  /** Alarm on throttled writes. */
  public readonly writeThrottleAlarm: cloudwatch.Alarm;
  /** Alarm on DynamoDB system errors. */
  public readonly systemErrorsAlarm: cloudwatch.Alarm;
  /** Every alarm of the table. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The AWS Backup plan, when `backup` is set. */
  public readonly backupPlan?: backup.BackupPlan;
  /** The vault of the backup plan, when `backup` is set. */
  public readonly backupVault?: backup.IBackupVault;

  /** The permissions this table grants, with exact actions (`grants.readWriteData(fn)`, `grants.actions(fn, ...)`). */
  public readonly grants: SecureTableGrants;

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    const fail = failIn(this, 'SecureTable');
    const resolved = resolveTableProps(props);
    const removalPolicy = resolved.removalPolicy;
    const deletionProtection = resolveDeletionProtection(removalPolicy, props.deletionProtection, fail);
    validateTableProps(props, Stack.of(this).region, fail);

    // Recovery points in the vault stay readable only while the key exists: keep it whenever backups are made.
    this.encryptionKey = props.encryptionKey ?? createRotatedKey(
      this,
      'Key',
      `Encrypts the DynamoDB table ${this.node.path}`,
      removalPolicy === RemovalPolicy.DESTROY && !props.backup ? RemovalPolicy.DESTROY : KEEP_DATA,
    );

    this.dynamoTable = new dynamodb.TableV2(this, 'Table', {
      partitionKey: props.partitionKey,
      sortKey: props.sortKey,
      tableName: props.tableName,
      billing: (props.capacity ?? TableCapacity.onDemand())._toBilling(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.encryptionKey, props.replicaKeyArns),
      pointInTimeRecoverySpecification: pointInTimeRecoverySpecification(
        resolved.pointInTimeRecovery, props.pointInTimeRecoveryPeriod, fail),
      deletionProtection,
      removalPolicy,
      dynamoStream: props.stream,
      timeToLiveAttribute: props.timeToLiveAttribute,
      globalSecondaryIndexes: props.globalSecondaryIndexes,
      replicas: (props.replicaRegions ?? []).map((region) => ({ region })),
    });
    this.tableName = this.dynamoTable.tableName;
    this.tableArn = this.dynamoTable.tableArn;
    // Replicas need a stream, so the table has one with them even without `stream`.
    const hasStream = props.stream !== undefined || (props.replicaRegions ?? []).length > 0;
    this.tableStreamArn = hasStream ? this.dynamoTable.tableStreamArn : undefined;
    this.grants = new SecureTableGrants({
      table: this.dynamoTable,
      encryptionKey: this.encryptionKey,
      indexNames: (props.globalSecondaryIndexes ?? []).map((gsi) => gsi.indexName),
    });

    const alarms = createTableAlarms(this, {
      readThrottleEvents: this.metricReadThrottleEvents(),
      writeThrottleEvents: this.metricWriteThrottleEvents(),
      systemErrors: this.metricSystemErrors(),
    }, resolved.alarmThresholds);
    this.readThrottleAlarm = alarms.readThrottle;
    this.writeThrottleAlarm = alarms.writeThrottle;
    this.systemErrorsAlarm = alarms.systemErrors;
    this.alarms = [this.readThrottleAlarm, this.writeThrottleAlarm, this.systemErrorsAlarm];
    routeAlarmActions(this.alarms, props.alarmActions ?? [], {
      findingsWithoutActions: FINDING_FAMILIES.tableAlarmActions,
    });

    if (resolved.backup) {
      const target = { scope: this, table: this.dynamoTable, encryptionKey: this.encryptionKey };
      const tableBackup = addTableBackup(target, resolved.backup, fail);
      this.backupVault = tableBackup.vault;
      this.backupPlan = tableBackup.plan;
    }

    applyTags(this, props.tags);
  }

  /** Read requests DynamoDB throttled (sum over 5 minutes by default). */
  public metricReadThrottleEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.dynamoTable.metric('ReadThrottleEvents', { statistic: cloudwatch.Stats.SUM, period: TABLE_ALARM_PERIOD, ...props });
  }

  /** Write requests DynamoDB throttled (sum over 5 minutes by default). */
  public metricWriteThrottleEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.dynamoTable.metric('WriteThrottleEvents', { statistic: cloudwatch.Stats.SUM, period: TABLE_ALARM_PERIOD, ...props });
  }

  /** System errors (HTTP 500) of the item operations (sum over 5 minutes by default). */
  public metricSystemErrors(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.dynamoTable.metricSystemErrorsForOperations({ operations: SYSTEM_ERROR_OPERATIONS, period: TABLE_ALARM_PERIOD, ...props });
  }

  /** Consumed read capacity units (sum over 5 minutes by default). */
  public metricConsumedReadCapacityUnits(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.dynamoTable.metricConsumedReadCapacityUnits(props);
  }

  /** Consumed write capacity units (sum over 5 minutes by default). */
  public metricConsumedWriteCapacityUnits(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.dynamoTable.metricConsumedWriteCapacityUnits(props);
  }
}

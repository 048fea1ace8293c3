import { Duration, Names, RemovalPolicy, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { createThresholdAlarm, routeAlarmActions } from './private/alarms';
import { grantStatements } from './private/grant-statements';
import { createRotatedKey, viaService } from './private/keys';
import { validateTableAlarmThresholds } from './private/table-validation';
import { failWith } from './private/validation';

/** Minimum and maximum of a provisioned table's auto-scaled capacity. */
export interface ProvisionedCapacityOptions {
  /** Minimum read capacity units; auto-scaling never goes below it. */
  readonly readCapacity: number;
  /** Minimum write capacity units; auto-scaling never goes below it. */
  readonly writeCapacity: number;
  /**
   * Maximum read capacity units auto-scaling may reach.
   * @default 4 x readCapacity
   */
  readonly maxReadCapacity?: number;
  /**
   * Maximum write capacity units auto-scaling may reach.
   * @default 4 x writeCapacity
   */
  readonly maxWriteCapacity?: number;
  /**
   * Consumed/provisioned ratio (percent) that target-tracking auto-scaling keeps; DynamoDB accepts 20 to 90.
   * @default 70
   */
  readonly targetUtilizationPercent?: number;
}

/** Optional cost guard rails of an on-demand table. */
export interface OnDemandCapacityOptions {
  /**
   * Maximum read request units per second the table serves (a cost ceiling).
   * @default - no ceiling
   */
  readonly maxReadRequestUnits?: number;
  /**
   * Maximum write request units per second the table serves (a cost ceiling).
   * @default - no ceiling
   */
  readonly maxWriteRequestUnits?: number;
}

/** How a `SecureTable` pays for throughput: on demand, or provisioned with target-tracking auto-scaling. */
export class TableCapacity {
  /** Pay per request, optionally with a ceiling on request units. */
  public static onDemand(options: OnDemandCapacityOptions = {}): TableCapacity {
    requirePositive('capacity.maxReadRequestUnits', options.maxReadRequestUnits);
    requirePositive('capacity.maxWriteRequestUnits', options.maxWriteRequestUnits);
    return new TableCapacity(dynamodb.BillingMode.PAY_PER_REQUEST, {
      maxReadRequestUnits: options.maxReadRequestUnits,
      maxWriteRequestUnits: options.maxWriteRequestUnits,
    });
  }

  /** Provisioned read and write capacity, each auto-scaled between its minimum and maximum by target tracking. */
  public static provisioned(options: ProvisionedCapacityOptions): TableCapacity {
    requirePositive('capacity.readCapacity', options.readCapacity);
    requirePositive('capacity.writeCapacity', options.writeCapacity);
    const maxReadCapacity = options.maxReadCapacity ?? 4 * options.readCapacity;
    const maxWriteCapacity = options.maxWriteCapacity ?? 4 * options.writeCapacity;
    requireAtLeast('capacity.maxReadCapacity', maxReadCapacity, 'readCapacity', options.readCapacity);
    requireAtLeast('capacity.maxWriteCapacity', maxWriteCapacity, 'writeCapacity', options.writeCapacity);
    const target = options.targetUtilizationPercent ?? DEFAULT_TARGET_UTILIZATION_PERCENT;
    if (!Token.isUnresolved(target) && (target < MIN_TARGET_UTILIZATION_PERCENT || target > MAX_TARGET_UTILIZATION_PERCENT)) {
      throw new Error(
        `SecureTable: capacity.targetUtilizationPercent (${target}) must be between ${MIN_TARGET_UTILIZATION_PERCENT} and ` +
          `${MAX_TARGET_UTILIZATION_PERCENT}, the range DynamoDB auto-scaling accepts; pick a value in that range (default ${DEFAULT_TARGET_UTILIZATION_PERCENT}).`,
      );
    }
    return new TableCapacity(dynamodb.BillingMode.PROVISIONED, {
      minReadCapacity: options.readCapacity,
      minWriteCapacity: options.writeCapacity,
      maxReadCapacity,
      maxWriteCapacity,
      targetUtilizationPercent: target,
    });
  }

  /** Billing mode of the table. */
  public readonly billingMode: dynamodb.BillingMode;
  /** Minimum read capacity units (provisioned only). */
  public readonly minReadCapacity?: number;
  /** Maximum read capacity units (provisioned only). */
  public readonly maxReadCapacity?: number;
  /** Minimum write capacity units (provisioned only). */
  public readonly minWriteCapacity?: number;
  /** Maximum write capacity units (provisioned only). */
  public readonly maxWriteCapacity?: number;
  /** Target utilisation percent of auto-scaling (provisioned only). */
  public readonly targetUtilizationPercent?: number;
  /** Ceiling on read request units (on-demand only). */
  public readonly maxReadRequestUnits?: number;
  /** Ceiling on write request units (on-demand only). */
  public readonly maxWriteRequestUnits?: number;

  private constructor(billingMode: dynamodb.BillingMode, settings: CapacitySettings) {
    this.billingMode = billingMode;
    this.minReadCapacity = settings.minReadCapacity;
    this.maxReadCapacity = settings.maxReadCapacity;
    this.minWriteCapacity = settings.minWriteCapacity;
    this.maxWriteCapacity = settings.maxWriteCapacity;
    this.targetUtilizationPercent = settings.targetUtilizationPercent;
    this.maxReadRequestUnits = settings.maxReadRequestUnits;
    this.maxWriteRequestUnits = settings.maxWriteRequestUnits;
  }

  /** @internal */
  public _toBilling(): dynamodb.Billing {
    if (this.billingMode === dynamodb.BillingMode.PAY_PER_REQUEST) {
      return dynamodb.Billing.onDemand({
        maxReadRequestUnits: this.maxReadRequestUnits,
        maxWriteRequestUnits: this.maxWriteRequestUnits,
      });
    }
    return dynamodb.Billing.provisioned({
      readCapacity: dynamodb.Capacity.autoscaled({
        minCapacity: this.minReadCapacity,
        maxCapacity: this.maxReadCapacity!,
        targetUtilizationPercent: this.targetUtilizationPercent,
      }),
      writeCapacity: dynamodb.Capacity.autoscaled({
        minCapacity: this.minWriteCapacity,
        maxCapacity: this.maxWriteCapacity!,
        targetUtilizationPercent: this.targetUtilizationPercent,
      }),
    });
  }
}

interface CapacitySettings {
  readonly minReadCapacity?: number;
  readonly maxReadCapacity?: number;
  readonly minWriteCapacity?: number;
  readonly maxWriteCapacity?: number;
  readonly targetUtilizationPercent?: number;
  readonly maxReadRequestUnits?: number;
  readonly maxWriteRequestUnits?: number;
}

/** An AWS Backup plan for the table. */
export interface SecureTableBackupOptions {
  /**
   * How long each recovery point is kept.
   * @default Duration.days(35)
   */
  readonly retention?: Duration;
  /**
   * When backups run.
   * @default - daily at 05:00 UTC
   */
  readonly schedule?: events.Schedule;
  /**
   * Vault the recovery points go to.
   * @default - a new vault encrypted with the table's key, retained on stack deletion, with recovery-point deletion blocked
   */
  readonly vault?: backup.IBackupVault;
}

/** Thresholds of the alarms a `SecureTable` creates, on five-minute periods (`SecureTableProps` carries them too). */
export interface SecureTableAlarmThresholds {
  /**
   * Throttled read (or write) events in 5 minutes that raise the throttle alarms.
   * @default 1
   */
  readonly throttleAlarmThreshold?: number;
  /**
   * System errors (HTTP 500 from DynamoDB) in 5 minutes that raise the system-error alarm.
   * @default 1
   */
  readonly systemErrorsAlarmThreshold?: number;
}

/** Properties of a `SecureTable`. */
export interface SecureTableProps extends SecureTableAlarmThresholds {
  /** Partition key of the table. */
  readonly partitionKey: dynamodb.Attribute;
  /**
   * Sort key of the table.
   * @default - no sort key
   */
  readonly sortKey?: dynamodb.Attribute;
  /**
   * Throughput mode: on demand, or provisioned with target-tracking auto-scaling.
   * @default TableCapacity.onDemand()
   */
  readonly capacity?: TableCapacity;
  /**
   * Customer-managed KMS key that encrypts the table (its key policy is yours; it is not rotated by this construct).
   * @default - a new key with automatic rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Whether point-in-time recovery is on.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * How far back point-in-time recovery can restore (whole days, 1 to 35).
   * @default Duration.days(35)
   */
  readonly pointInTimeRecoveryPeriod?: Duration;
  /**
   * Whether DynamoDB refuses to delete the table.
   * @default - true, or false when removalPolicy is DESTROY
   */
  readonly deletionProtection?: boolean;
  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Item-level change stream.
   * @default - no stream (NEW_AND_OLD_IMAGES when replicaRegions is set, as global tables need)
   */
  readonly stream?: dynamodb.StreamViewType;
  /**
   * Attribute holding each item's expiry time (epoch seconds).
   * @default - no time to live
   */
  readonly timeToLiveAttribute?: string;
  /**
   * Global secondary indexes; with provisioned capacity each inherits the table's auto-scaling unless it sets its own.
   * @default - none
   */
  readonly globalSecondaryIndexes?: dynamodb.GlobalSecondaryIndexPropsV2[];
  /**
   * Other regions holding a replica of the table (a global table); not the stack's own region.
   * @default - no replicas
   */
  readonly replicaRegions?: string[];
  /**
   * ARN of the customer-managed key that encrypts the replica, for each region of `replicaRegions`.
   * @default - none; required for every replica region
   */
  readonly replicaKeyArns?: { [region: string]: string };
  /**
   * AWS Backup plan for the table, in addition to point-in-time recovery.
   * @default - no backup plan
   */
  readonly backup?: SecureTableBackupOptions;
  /**
   * Physical table name.
   * @default - generated by CloudFormation
   */
  readonly tableName?: string;
  /**
   * Actions (e.g. an SNS topic action) every alarm of the table triggers.
   * @default - none; route `alarms` yourself
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
  /**
   * Tags applied to every taggable resource of the construct.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A DynamoDB table (`AWS::DynamoDB::GlobalTable`, so replicas are added in place without replacing the table)
 * encrypted with a customer-managed KMS key, with point-in-time recovery, deletion protection, RETAIN, auto-scaled
 * provisioned or on-demand capacity, throttle and system-error alarms and an optional AWS Backup plan.
 */
export class SecureTable extends Construct {
  /** The DynamoDB table. */
  public readonly table: dynamodb.TableV2;
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

  private readonly indexNames: string[];

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const deletionProtection = this.resolveDeletionProtection(removalPolicy, props.deletionProtection);
    if (Token.isUnresolved(Stack.of(this).region)) {
      // TableV2 renders the customer-managed key per replica region, which a region-agnostic stack cannot name.
      throw new Error('SecureTable: the stack has no concrete region; set env: { account, region } on the stack (a table encrypted with a customer-managed key is regional).');
    }
    this.validateReplicas(props);
    validateTableAlarmThresholds(props, failWith('SecureTable'), '');
    const stream = this.resolveStream(props);

    // Recovery points in the vault stay readable only while the key exists: keep it whenever backups are made.
    this.encryptionKey = props.encryptionKey ?? createRotatedKey(
      this,
      'Key',
      `Encrypts the DynamoDB table ${this.node.path}`,
      removalPolicy === RemovalPolicy.DESTROY && !props.backup ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    );
    this.indexNames = (props.globalSecondaryIndexes ?? []).map((gsi) => gsi.indexName);

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: props.partitionKey,
      sortKey: props.sortKey,
      tableName: props.tableName,
      billing: (props.capacity ?? TableCapacity.onDemand())._toBilling(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.encryptionKey, props.replicaKeyArns),
      pointInTimeRecoverySpecification: this.pointInTimeRecoverySpecification(props),
      deletionProtection,
      removalPolicy,
      dynamoStream: stream,
      timeToLiveAttribute: props.timeToLiveAttribute,
      globalSecondaryIndexes: props.globalSecondaryIndexes,
      replicas: (props.replicaRegions ?? []).map((region) => ({ region })),
    });

    this.readThrottleAlarm = this.throttleAlarm('ReadThrottleAlarm', this.metricReadThrottleEvents(), 'reads', props);
    this.writeThrottleAlarm = this.throttleAlarm('WriteThrottleAlarm', this.metricWriteThrottleEvents(), 'writes', props);
    this.systemErrorsAlarm = this.createSystemErrorsAlarm(props);
    this.alarms = [this.readThrottleAlarm, this.writeThrottleAlarm, this.systemErrorsAlarm];
    routeAlarmActions(this.alarms, props.alarmActions ?? [], {
      notifyOnOk: false,
      reasonWithoutActions: 'No alarmActions given: the alarm is exposed in `alarms` for the consumer to route (e.g. to an SNS topic).',
    });

    if (props.backup) {
      this.backupVault = props.backup.vault ?? this.createBackupVault();
      this.backupPlan = this.createBackupPlan(props.backup, this.backupVault);
    }

    for (const [key, value] of Object.entries(props.tags ?? {})) {
      Tags.of(this).add(key, value);
    }
  }

  /**
   * Item-level read/write: GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan and ConditionCheckItem on the table
   * and its indexes, plus kms:Decrypt, kms:Encrypt and kms:GenerateDataKey on the key (exact actions, no wildcards).
   */
  /** Read requests DynamoDB throttled (sum over 5 minutes by default). */
  public metricReadThrottleEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.table.metric('ReadThrottleEvents', { statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD, ...props });
  }

  /** Write requests DynamoDB throttled (sum over 5 minutes by default). */
  public metricWriteThrottleEvents(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.table.metric('WriteThrottleEvents', { statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD, ...props });
  }

  /** System errors (HTTP 500) of the item operations (sum over 5 minutes by default). */
  public metricSystemErrors(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.table.metricSystemErrorsForOperations({ operations: SYSTEM_ERROR_OPERATIONS, period: ALARM_PERIOD, ...props });
  }

  /** Consumed read capacity units (sum over 5 minutes by default). */
  public metricConsumedReadCapacityUnits(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.table.metricConsumedReadCapacityUnits(props);
  }

  /** Consumed write capacity units (sum over 5 minutes by default). */
  public metricConsumedWriteCapacityUnits(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.table.metricConsumedWriteCapacityUnits(props);
  }

  public grantItemReadWrite(grantee: iam.IGrantable): iam.Grant {
    return grantStatements(grantee, this.itemReadWriteStatements());
  }

  /** Item-level read: GetItem, Query, Scan and ConditionCheckItem on the table and its indexes, plus kms:Decrypt. */
  public grantItemRead(grantee: iam.IGrantable): iam.Grant {
    return grantStatements(grantee, this.itemReadStatements());
  }

  /**
   * Exactly the given DynamoDB actions (e.g. `'dynamodb:GetItem', 'dynamodb:PutItem'`) on the table and its indexes,
   * plus the key actions they need through DynamoDB: kms:Decrypt for reads, and kms:Encrypt and kms:GenerateDataKey
   * too for writes.
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return grantStatements(grantee, this.statementsFor(...actions));
  }

  /** The statements `grant` adds for the given actions, for a customer-managed policy of your own. */
  public statementsFor(...actions: string[]): iam.PolicyStatement[] {
    if (actions.length === 0) {
      throw new Error('SecureTable: grant needs at least one action, e.g. grant(fn, \'dynamodb:GetItem\').');
    }
    const names = actions.map((action) => {
      const match = EXACT_DYNAMODB_ACTION.exec(action);
      if (!match) {
        throw new Error(`SecureTable: grant action "${action}" is not an exact DynamoDB action; name one such as "dynamodb:GetItem" (no wildcards).`);
      }
      if (TRANSACTION_OPERATIONS.includes(match[1])) {
        throw new Error(`SecureTable: grant action "${action}" is no IAM action: a transaction needs the actions of its items; grant those (dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:ConditionCheckItem, dynamodb:GetItem).`);
      }
      return match[1];
    });
    const writes = names.some((name) => ITEM_WRITE_ACTIONS.includes(name));
    const reads = writes || names.some((name) => ITEM_DATA_READ_ACTIONS.includes(name));
    const keyActions = writes ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : reads ? ['kms:Decrypt'] : [];
    return this.itemStatements([...new Set(names)], keyActions);
  }

  /**
   * The statements `grantItemReadWrite` adds, for a customer-managed policy of your own
   * (HIPAA/NIST/PCI flag the inline policies grants create).
   */
  public itemReadWriteStatements(): iam.PolicyStatement[] {
    return this.itemStatements(ITEM_READ_WRITE_ACTIONS, ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
  }

  /** The statements `grantItemRead` adds, for a customer-managed policy of your own. */
  public itemReadStatements(): iam.PolicyStatement[] {
    return this.itemStatements(ITEM_READ_ACTIONS, ['kms:Decrypt']);
  }

  /** The standard CDK read grant of the table (includes kms:Decrypt and kms:DescribeKey on the key). */
  public grantReadData(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantReadData(grantee);
  }

  /** The standard CDK read/write grant of the table (adds kms:GenerateDataKey* and kms:ReEncrypt* wildcards). */
  public grantReadWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantReadWriteData(grantee);
  }

  /** Read access to the table's stream (requires `stream` or replicas). */
  public grantStreamRead(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantStreamRead(grantee);
  }

  private resolveDeletionProtection(removalPolicy: RemovalPolicy, deletionProtection?: boolean): boolean {
    if (removalPolicy === RemovalPolicy.DESTROY && deletionProtection === true) {
      throw new Error(
        'SecureTable: deletionProtection is true while removalPolicy is DESTROY, so the table could never be deleted with its stack; ' +
          'drop deletionProtection (DESTROY turns it off) or keep removalPolicy RETAIN.',
      );
    }
    return deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY;
  }

  private pointInTimeRecoverySpecification(props: SecureTableProps): dynamodb.PointInTimeRecoverySpecification {
    const enabled = props.pointInTimeRecovery ?? true;
    const period = props.pointInTimeRecoveryPeriod;
    if (period === undefined) return { pointInTimeRecoveryEnabled: enabled };
    if (!enabled) {
      throw new Error('SecureTable: pointInTimeRecoveryPeriod is set while pointInTimeRecovery is false; drop one of them.');
    }
    if (period.isUnresolved()) return { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: period.toDays() };
    const days = period.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 1 || days > 35) {
      throw new Error(
        `SecureTable: pointInTimeRecoveryPeriod (${period.toHumanString()}) must be a whole number of days from 1 to 35, the range DynamoDB keeps; pick one in that range.`,
      );
    }
    return { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: days };
  }

  private validateReplicas(props: SecureTableProps): void {
    const replicaRegions = props.replicaRegions ?? [];
    const keyRegions = Object.keys(props.replicaKeyArns ?? {});
    if (replicaRegions.length === 0) {
      if (keyRegions.length > 0) {
        throw new Error('SecureTable: replicaKeyArns is set without replicaRegions; add the regions to replicaRegions or drop replicaKeyArns.');
      }
      return;
    }
    const stackRegion = Stack.of(this).region;
    const seen = new Set<string>();
    for (const region of replicaRegions) {
      if (Token.isUnresolved(region)) continue;
      if (region === stackRegion) {
        throw new Error(
          `SecureTable: replicaRegions contains ${region}, the stack's own region, where the table already lives; list only other regions.`,
        );
      }
      if (seen.has(region)) {
        throw new Error(`SecureTable: replicaRegions lists ${region} twice; list each region once.`);
      }
      seen.add(region);
      if (!props.replicaKeyArns?.[region]) {
        throw new Error(
          `SecureTable: replicaKeyArns has no key for replica region ${region}; a customer-managed key is regional, ` +
            `so give the ARN of a key in ${region} (replicaKeyArns: { '${region}': 'arn:aws:kms:${region}:...' }).`,
        );
      }
    }
    for (const region of keyRegions) {
      if (!seen.has(region)) {
        throw new Error(`SecureTable: replicaKeyArns has a key for ${region}, which is not in replicaRegions; add the region or remove the key.`);
      }
    }
  }

  private resolveStream(props: SecureTableProps): dynamodb.StreamViewType | undefined {
    const hasReplicas = (props.replicaRegions ?? []).length > 0;
    if (hasReplicas && props.stream !== undefined && props.stream !== dynamodb.StreamViewType.NEW_AND_OLD_IMAGES) {
      throw new Error(
        `SecureTable: stream is ${props.stream}, but a table with replicaRegions replicates through a NEW_AND_OLD_IMAGES stream; ` +
          'set stream to NEW_AND_OLD_IMAGES or leave it unset.',
      );
    }
    return props.stream;
  }

  private throttleAlarm(id: string, metric: cloudwatch.IMetric, kind: string, props: SecureTableProps): cloudwatch.Alarm {
    const threshold = props.throttleAlarmThreshold ?? 1;
    return createThresholdAlarm(this, id, {
      description: `DynamoDB throttled ${kind} of table ${this.node.path}: raise capacity or spread the key space.`,
      metric,
      threshold,
      evaluationPeriods: 1,
    });
  }

  private createSystemErrorsAlarm(props: SecureTableProps): cloudwatch.Alarm {
    const threshold = props.systemErrorsAlarmThreshold ?? 1;
    return createThresholdAlarm(this, 'SystemErrorsAlarm', {
      description: `DynamoDB returned system errors (HTTP 500) for table ${this.node.path}.`,
      metric: this.metricSystemErrors(),
      threshold,
      evaluationPeriods: 1,
    });
  }

  private createBackupVault(): backup.BackupVault {
    return new backup.BackupVault(this, 'BackupVault', {
      encryptionKey: this.encryptionKey,
      blockRecoveryPointDeletion: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createBackupPlan(options: SecureTableBackupOptions, vault: backup.IBackupVault): backup.BackupPlan {
    const retention = options.retention ?? Duration.days(35);
    if (!retention.isUnresolved() && retention.toHours({ integral: false }) < 24) {
      throw new Error(`SecureTable: backup.retention (${retention.toHumanString()}) must be at least 1 day, the minimum AWS Backup keeps a recovery point.`);
    }
    const plan = new backup.BackupPlan(this, 'BackupPlan', {
      // Plan names are unique per account and region: derive it from the construct path.
      backupPlanName: Names.uniqueResourceName(this, { maxLength: 50 }),
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: options.schedule ?? events.Schedule.cron({ hour: '5', minute: '0' }),
          deleteAfter: retention,
        }),
      ],
    });
    plan.addSelection('Selection', {
      resources: [backup.BackupResource.fromArn(this.table.tableArn)],
      role: this.createBackupRole(vault),
      disableDefaultBackupPolicy: true,
    });
    return plan;
  }

  /** A role with exact backup actions in a customer-managed policy, instead of the AWS-managed AWSBackupServiceRolePolicyForBackup. */
  private createBackupRole(vault: backup.IBackupVault): iam.Role {
    const role = new iam.Role(this, 'BackupRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `AWS Backup role for the DynamoDB table ${this.node.path}`,
    });
    const backupArns = `${this.table.tableArn}/backup/*`;
    // AWS Backup reaches the key through DynamoDB (on-demand backups) or itself (copies into the vault), never directly.
    const region = Stack.of(this).region;
    const throughBackupOrDynamoDb = { StringEquals: { 'kms:ViaService': [`dynamodb.${region}.amazonaws.com`, `backup.${region}.amazonaws.com`] } };
    const policy = new iam.ManagedPolicy(this, 'BackupPolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: ['dynamodb:DescribeTable', 'dynamodb:CreateBackup', 'dynamodb:StartAwsBackupJob', 'dynamodb:ListTagsOfResource'],
          resources: [this.table.tableArn],
        }),
        new iam.PolicyStatement({
          actions: ['dynamodb:DescribeBackup', 'dynamodb:DeleteBackup'],
          resources: [backupArns],
        }),
        new iam.PolicyStatement({
          actions: ['kms:DescribeKey', 'kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.encryptionKey.keyArn],
          conditions: throughBackupOrDynamoDb,
        }),
        new iam.PolicyStatement({
          actions: ['kms:CreateGrant'],
          resources: [this.encryptionKey.keyArn],
          conditions: { ...throughBackupOrDynamoDb, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
        new iam.PolicyStatement({
          actions: ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'],
          resources: [vault.backupVaultArn],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.table.node.defaultChild as dynamodb.CfnGlobalTable)}.Arn>/backup/*]`,
      reason: 'DynamoDB names each backup with a generated id under the table ARN; the statement is scoped to this table\'s backups.',
    });
    return role;
  }

  private itemStatements(tableActions: string[], keyActions: string[]): iam.PolicyStatement[] {
    const tableArn = this.table.tableArn;
    const statements = [
      new iam.PolicyStatement({
        actions: tableActions.map((action) => `dynamodb:${action}`),
        resources: [tableArn, ...this.indexNames.map((name) => `${tableArn}/index/${name}`)],
      }),
    ];
    if (keyActions.length > 0) {
      // Through DynamoDB only: the key may be shared (a service key), and the grantee has no business using it directly.
      statements.push(new iam.PolicyStatement({ actions: keyActions, resources: [this.encryptionKey.keyArn], conditions: viaService(this, 'dynamodb') }));
    }
    return statements;
  }
}

const DEFAULT_TARGET_UTILIZATION_PERCENT = 70;
const MIN_TARGET_UTILIZATION_PERCENT = 20;
const MAX_TARGET_UTILIZATION_PERCENT = 90;
const ALARM_PERIOD = Duration.minutes(5);

const ITEM_READ_ACTIONS = ['GetItem', 'Query', 'Scan', 'ConditionCheckItem'];
const ITEM_READ_WRITE_ACTIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'ConditionCheckItem'];
/** Actions that write item data, so need the key to encrypt; the other item actions only decrypt. */
const ITEM_WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'PartiQLInsert', 'PartiQLUpdate', 'PartiQLDelete'];
/** Actions that read item data, so need the key to decrypt. */
const ITEM_DATA_READ_ACTIONS = [...ITEM_READ_ACTIONS, 'BatchGetItem', 'PartiQLSelect'];
const EXACT_DYNAMODB_ACTION = /^dynamodb:([A-Za-z]+)$/;
/** API operations that IAM authorizes by the actions of their items, not by an action of their own. */
const TRANSACTION_OPERATIONS = ['TransactWriteItems', 'TransactGetItems'];

/** CloudWatch alarms on metric math take at most 10 metrics: the item operations an API uses. */
const SYSTEM_ERROR_OPERATIONS = [
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


function requirePositive(prop: string, value: number | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && !(Number.isInteger(value) && value >= 1)) {
    throw new Error(`SecureTable: ${prop} (${value}) must be a whole number >= 1; raise it.`);
  }
}

function requireAtLeast(prop: string, value: number, minProp: string, min: number): void {
  if (!Token.isUnresolved(value) && !Token.isUnresolved(min) && value < min) {
    const shortProp = prop.replace('capacity.', '');
    throw new Error(`SecureTable: ${prop} (${value}) must be >= ${minProp} (${min}); raise ${shortProp} or lower ${minProp}.`);
  }
}

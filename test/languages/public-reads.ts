import { basename } from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  ApiAuthorization, ArtifactBucket, ArtifactBucketGrants, DeploymentStage, EncryptedFunction, SecureTable, SecureTableGrants, ServerlessService,
  StackProtection, TableCapacity, ValidatedRestApi,
} from '../../src';

/**
 * What the consumer apps read through every public getter and side-effect-free method, in the form each language
 * app prints (reads.json beside its templates), so a value read in Python, Java or Go can be compared with the
 * TypeScript one. Every language normalises a value the same way:
 * - a construct: `{ path }`; a Duration: `{ seconds }`; a Metric: `{ namespace, metricName, statistic, periodSeconds }`;
 *   a MathExpression: `{ expression, periodSeconds, usingMetrics }`;
 *   a PolicyStatement: its resolved statement JSON; a TableCapacity: its getters; a deployment config: its name;
 * - an enum: the member's name; a string: resolved in its stack (tokens become CloudFormation intrinsics);
 * - a struct: an object of its set fields (camelCase); a list: a list; unset: left out.
 * Grant methods and addRoute are not read (the statements of `grants` are, beside the table's and bucket's members): they change the construct tree.
 */
export type Read = null | string | number | boolean | Read[] | { [key: string]: Read };

/** The stages read: the presets, one custom stage (field-level merge) and the one `fromContext` gives. */
export function readStages(app: App, stack: Stack): Record<string, Read> {
  const stages: Record<string, DeploymentStage> = {
    DEV: DeploymentStage.DEV,
    STAGING: DeploymentStage.STAGING,
    PROD: DeploymentStage.PROD,
    custom: DeploymentStage.custom({ name: 'prod-big', basedOn: DeploymentStage.PROD, handlerFunction: { memorySize: 2048 } }),
    fromContext: DeploymentStage.fromContext(app),
  };
  return Object.fromEntries(Object.entries(stages).map(([key, stage]) => [key, readStage(stack, stage)]));
}

export function readStage(stack: Stack, stage: DeploymentStage): Read {
  const handler = stage.handlerFunction;
  return {
    name: stage.name,
    table: { ...describe(stack, { ...stage.table, capacity: undefined }) as object, capacity: readCapacity(stage.table.capacity) },
    handlerFunction: {
      ...describe(stack, { ...handler, deployment: undefined, applicationLogLevel: undefined }) as object,
      ...(handler.deployment ? { deployment: { deploymentConfigName: handler.deployment.deploymentConfigName } } : {}),
      ...(handler.applicationLogLevel ? { applicationLogLevel: handler.applicationLogLevel } : {}),
    },
    api: describe(stack, stage.api),
    alarms: describe(stack, stage.alarms),
    logRetention: logs.RetentionDays[stage.logRetention],
    removalPolicy: enumName(RemovalPolicy, stage.removalPolicy),
    stackProtection: stage.stackProtection,
    secretRotationPeriod: describe(stack, stage.secretRotationPeriod),
  };
}

export function readCapacity(capacity: TableCapacity | undefined): Read {
  if (!capacity) return null;
  return omitUnset({
    billingMode: enumName(dynamodb.BillingMode, capacity.billingMode),
    minReadCapacity: capacity.minReadCapacity,
    maxReadCapacity: capacity.maxReadCapacity,
    minWriteCapacity: capacity.minWriteCapacity,
    maxWriteCapacity: capacity.maxWriteCapacity,
    targetUtilizationPercent: capacity.targetUtilizationPercent,
    maxReadRequestUnits: capacity.maxReadRequestUnits,
    maxWriteRequestUnits: capacity.maxWriteRequestUnits,
  });
}

/** Every public getter and side-effect-free method of the service and of the constructs it holds. */
export function readService(service: ServerlessService): Record<string, Read> {
  const stack = Stack.of(service);
  return {
    service: describe(stack, {
      stage: service.stage.name,
      encryptionKey: service.encryptionKey,
      secret: service.secret,
      secretRotationFunction: service.secretRotationFunction,
      secretRotationSchedule: service.secretRotationSchedule,
      table: service.table,
      artifacts: service.artifacts,
      handlerFunction: service.handlerFunction,
      api: service.api,
      alarmTopic: service.alarmTopic,
      dashboard: service.dashboard,
      api5xxAlarm: service.api5xxAlarm,
      protection: service.protection,
      url: service.url,
    }),
    table: readTable(service.table),
    artifacts: readBucket(service.artifacts),
    handlerFunction: readFunction(service.handlerFunction),
    api: readApi(service.api),
    protection: service.protection ? readProtection(service.protection) : null,
  };
}

export function readTable(table: SecureTable): Read {
  return describe(Stack.of(table), {
    dynamoTable: table.dynamoTable,
    tableName: table.tableName,
    tableArn: table.tableArn,
    tableStreamArn: table.tableStreamArn,
    encryptionKey: table.encryptionKey,
    readThrottleAlarm: table.readThrottleAlarm,
    writeThrottleAlarm: table.writeThrottleAlarm,
    systemErrorsAlarm: table.systemErrorsAlarm,
    alarms: table.alarms,
    backupPlan: table.backupPlan,
    backupVault: table.backupVault,
    metricReadThrottleEvents: table.metricReadThrottleEvents(),
    metricWriteThrottleEvents: table.metricWriteThrottleEvents(),
    metricConsumedReadCapacityUnits: table.metricConsumedReadCapacityUnits(),
    metricConsumedWriteCapacityUnits: table.metricConsumedWriteCapacityUnits(),
    metricSystemErrors: table.metricSystemErrors(),
    ...tableGrantsReads(table.grants),
  });
}

/** The statements of a table's grants, read beside the table's other members. */
export function tableGrantsReads(grants: SecureTableGrants): Record<string, iam.PolicyStatement[]> {
  return {
    actionStatements: grants.actionStatements('dynamodb:GetItem', 'dynamodb:Query'),
    readDataStatements: grants.readDataStatements(),
    readWriteDataStatements: grants.readWriteDataStatements(),
  };
}

export function readBucket(bucket: ArtifactBucket): Read {
  return describe(Stack.of(bucket), {
    bucket: bucket.bucket,
    bucketName: bucket.bucketName,
    bucketArn: bucket.bucketArn,
    encryptionKey: bucket.encryptionKey,
    accessLogsBucket: bucket.accessLogsBucket,
    ...bucketGrantsReads(bucket.grants),
  });
}

/** The statements of a bucket's grants, read beside the bucket's other members. */
export function bucketGrantsReads(grants: ArtifactBucketGrants): Record<string, iam.PolicyStatement[]> {
  return {
    readStatements: grants.readStatements('reports/*'),
    readWriteStatements: grants.readWriteStatements(),
  };
}

export function readFunction(fn: EncryptedFunction): Read {
  return describe(Stack.of(fn), {
    lambdaFunction: fn.lambdaFunction,
    alias: fn.alias,
    role: fn.role,
    logGroup: fn.logGroup,
    deadLetterQueue: fn.deadLetterQueue,
    encryptionKey: fn.encryptionKey,
    errorsAlarm: fn.errorsAlarm,
    throttlesAlarm: fn.throttlesAlarm,
    durationAlarm: fn.durationAlarm,
    alarms: fn.alarms,
    provisionedConcurrencyScaling: fn.provisionedConcurrencyScaling,
    deploymentGroup: fn.deploymentGroup,
    grantPrincipal: (fn.grantPrincipal as iam.Role),
    metricInvocations: fn.metricInvocations(),
    metricErrors: fn.metricErrors(),
    metricThrottles: fn.metricThrottles(),
    metricDuration: fn.metricDuration(),
  });
}

export function readApi(api: ValidatedRestApi): Read {
  return describe(Stack.of(api), {
    restApi: api.restApi,
    stage: api.stage,
    url: api.url,
    executeApiUrl: api.executeApiUrl,
    domainUrl: api.domainUrl,
    accessLogGroup: api.accessLogGroup,
    executionLogGroup: api.executionLogGroup,
    logEncryptionKey: api.logEncryptionKey,
    accountCloudWatchRole: api.accountCloudWatchRole,
    domain: api.domain,
    certificate: api.certificate,
    webAcl: api.webAcl,
    webAclArn: api.webAclArn,
    bodyAndParametersValidator: api.bodyAndParametersValidator,
    parametersValidator: api.parametersValidator,
    healthMethod: api.healthMethod,
    corsAllowOrigins: api.corsAllowOrigins,
    openApiDocumentFile: api.openApiDocumentFile ? basename(api.openApiDocumentFile) : undefined,
    metric: api.metric('CacheHitCount'),
    metricCount: api.metricCount(),
    metricClientError: api.metricClientError(),
    metricServerError: api.metricServerError(),
    metricLatency: api.metricLatency(),
    metricIntegrationLatency: api.metricIntegrationLatency(),
  });
}

export function readProtection(protection: StackProtection): Read {
  return describe(protection.stack, {
    stack: protection.stack,
    protectedResourceTypes: protection.protectedResourceTypes,
    stackPolicyFunction: protection.stackPolicyFunction,
    stackPolicyResource: protection.stackPolicyResource,
    stackPolicyRule: protection.stackPolicyRule,
    encryptionKey: protection.encryptionKey,
    protectedLogicalIds: protection.protectedLogicalIds(),
  });
}

/** The authorizations that need no other resource: `cognito()` needs a user pool, which the reference stacks lack. */
export function readAuthorizations(stack: Stack): Record<string, Read> {
  return { iam: readAuthorization(stack, ApiAuthorization.iam()), none: readAuthorization(stack, ApiAuthorization.none()) };
}

export function readAuthorization(stack: Stack, authorization: ApiAuthorization): Read {
  return describe(stack, {
    authorizationType: enumName(apigateway.AuthorizationType, authorization.authorizationType),
    authorizationScopes: authorization.authorizationScopes,
    userPool: authorization.userPool,
  });
}

function enumName(enumeration: Record<string, unknown>, value: unknown): string {
  const name = Object.keys(enumeration).find((key) => enumeration[key] === value);
  if (!name) throw new Error(`no member of the enum has the value ${String(value)}`);
  return name;
}

function omitUnset(object: Record<string, Read | undefined>): Read {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== null)) as Read;
}

/** The normal form of a value (see the module comment); `stack` resolves tokens. */
export function describe(stack: Stack, value: unknown): Read {
  if (value === undefined || value === null) return null;
  if (Construct.isConstruct(value)) return { path: value.node.path };
  if (value instanceof Duration) return { seconds: value.toSeconds() };
  if (value instanceof cloudwatch.Metric) {
    return { namespace: value.namespace, metricName: value.metricName, statistic: value.statistic, periodSeconds: value.period.toSeconds() };
  }
  if (value instanceof cloudwatch.MathExpression) {
    return { expression: value.expression, periodSeconds: value.period.toSeconds(), usingMetrics: describe(stack, value.usingMetrics) };
  }
  if (value instanceof iam.PolicyStatement) return stack.resolve(value.toStatementJson());
  if (Array.isArray(value)) return value.map((item) => describe(stack, item));
  if (typeof value === 'string') return stack.resolve(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return omitUnset(Object.fromEntries(Object.entries(value).map(([key, field]) => [key, describe(stack, field)])));
  }
  throw new Error(`no normal form for ${String(value)}`);
}

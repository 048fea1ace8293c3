import { Annotations, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ArtifactBucket } from '../bucket';
import { DeploymentStage } from './deployment-stage';
import { ITEMS_HANDLER_TABLE_ACTIONS } from './items-handler-actions';
import { itemsHandlerEnvironment } from './items-handler-environment';
import { addItemsRoutes, itemsCorsOptions } from './items-routes';
import { DEFAULT_HANDLER_LOG_LEVEL, resolveServiceProps, ResolvedServiceProps, SERVICE_ALARM_DEFAULTS } from './items-service-defaults';
import { createAlarmTopic, createApi5xxAlarm } from './service-alarms';
import { EXPIRES_AT_ATTRIBUTE, JsonSchemaSubset } from '../contract/items';
import { applyTags, bundledHandlerCode, allowCloudWatchLogs, createRotatedKey } from '../core';
import { EncryptedFunction } from '../function';
import { ServiceDashboard } from './service-dashboard';
import { createServiceSecret } from './service-secret';
import { validateServiceProps } from './service-validation';
import { ApiCorsOptions, ValidatedRestApi } from '../rest-api';
import { StackProtection } from '../stack-protection';
import { SecureTable } from '../table';
import { ServerlessServiceProps } from './serverless-service-props';

/** Id of the warning on a kept stage whose alarms reach nobody (acknowledge it with `Annotations.acknowledgeWarning`). */
const ALARMS_WITHOUT_SUBSCRIBER_WARNING = 'cdk-secure-serverless:alarmsWithoutSubscriber';

/**
 * The complete items service: one customer-managed KMS key, a generated and rotated secret, a `SecureTable`, an
 * `ArtifactBucket`, an `EncryptedFunction` running the bundled items handler with least-privilege grants, a
 * `ValidatedRestApi` whose items routes target the function's `live` alias, an encrypted alarm topic, a dashboard,
 * outputs and tags, all sized by a `DeploymentStage`.
 *
 * What it creates:
 *
 * - one customer-managed KMS key (rotation on) for the table, bucket, secret, logs, queues, alarm topic and the
 *   function's environment; its key policy lets CloudWatch Logs and CloudWatch alarms use it;
 * - a Secrets Manager secret whose value Secrets Manager generates at deployment (nothing secret in the template),
 *   rotated on the stage's schedule by the library's own rotation function; the handler signs pagination tokens with it;
 * - a `SecureTable` (partition key `id`), an `ArtifactBucket`, an `EncryptedFunction` running the bundled items handler
 *   (`lambda-src/items`, see [Items API](#items-api-bundled-handler)) with exact-action grants on the table and secret;
 * - a `ValidatedRestApi` whose items routes (`POST /items`, `GET /items`, `GET|PUT|DELETE /items/{id}`) integrate with
 *   the function's `live` alias, never `$LATEST`, with request models built from the same schema the handler enforces;
 *   `itemsPath: 'tickets'` serves them as `/tickets` and `/tickets/{id}` instead (one path part; decision, issue 24: the
 *   path is a prop rather than derived from `serviceName`, and the handler is told through `ITEMS_PATH`);
 * - an encrypted SNS alarm topic (or yours) that every alarm notifies: its policy lets CloudWatch alarms of this
 *   account and region publish, and with `alarmEmail` undeliverable notifications go to an encrypted dead-letter queue.
 *   A stage that keeps its data (STAGING, PROD) with neither `alarmEmail` nor `alarmTopic` gets a synthesis warning
 *   (`cdk-secure-serverless:alarmsWithoutSubscriber`), not an error, since a subscriber may be added outside the app;
 * - an API 5XX-rate alarm, a CloudWatch dashboard
 *   (API, Lambda, DynamoDB), outputs (API URL, exported; custom-domain URL; table and bucket names; alias ARN);
 * - the tags `stage`, `service`, `managed-by` and yours on every taggable resource;
 * - `StackProtection` when the stage asks for it (STAGING and PROD).
 *
 * Props worth knowing: `code` + `handler` replace the bundled handler (it gets the same environment), `vpc` puts the
 * functions in your VPC, `authorization` switches to Cognito (`ApiAuthorization.cognito(userPool)`), `customDomain`
 * adds a domain with a DNS-validated certificate and Route53 records, `protection: false` turns stack protection off,
 * `accountCloudWatchRole: true` lets this stack own the region's API Gateway logging role.
 *
 * Decisions (issue 24):
 *
 * - **Indexes**: `globalSecondaryIndexes` need `code`. The bundled handler keeps an item's fields in its `data` map and
 *   DynamoDB indexes only top-level attributes, so with the bundled handler an index would stay empty and is refused;
 *   a dotted key name (`data.status`) is refused with any handler.
 * - **Handler environment**: a variable the service sets (`TABLE_NAME`, `SECRET_ARN`, `LOG_LEVEL`, `MAX_BODY_BYTES`,
 *   `CORS_ALLOWED_ORIGINS`, `ITEM_DATA_SCHEMA`, `SECRET_CACHE_TTL_SECONDS`, `IDEMPOTENCY_WINDOW_SECONDS`,
 *   `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE`, `ITEMS_PATH`) in `environment` throws, naming the prop that sets
 *   it (e.g. `LOG_LEVEL` comes from `stage.handlerFunction.applicationLogLevel`); the handler's tuning variables the service
 *   leaves unset (`SDK_MAX_ATTEMPTS`, `SDK_CONNECTION_TIMEOUT_MS`, `SDK_REQUEST_TIMEOUT_MS`, `RETRY_AFTER_SECONDS`,
 *   `SECRET_MAX_STALE_SECONDS`) are yours to set.
 * - **Handler timeout**: at most 29 seconds (API Gateway's default integration timeout for REST APIs; after it API
 *   Gateway answers 504 while the function runs on). The same holds for any function `addRoute` targets.
 * - **Prop errors** are aws-cdk-lib's `ValidationError`: the message names the prop, the value, the rule and the fix
 *   and ends with the construct path (`(construct my-stack/Orders)`), which the error's `constructPath` also carries.
 * - **Tokens** (a `CfnParameter`, a `Lazy`, an attribute): where CloudFormation resolves the value (sizes, limits,
 *   thresholds, names such as `serviceName` or `customDomain.domainName`), a token is passed through unchecked, as each
 *   prop's doc says. Where the construct needs the value at synthesis (route paths, methods and parameter names, stage
 *   names, schemas, `timeout` and the alarm fractions computed from it, provisioned table capacity, `replicaRegions`,
 *   `retryAttempts`, `maxEventAge`, `maxRequestBodySize`, ...) a token throws `<prop> must be a literal (not a
 *   CloudFormation token) because ...`, naming the fix.
 *
 * @example
 * import { App, CfnOutput, Stack } from 'aws-cdk-lib';
 * import * as apigw from 'aws-cdk-lib/aws-apigateway';
 * import { DeploymentStage, ServerlessService } from 'cdk-secure-serverless';
 *
 * const app = new App();
 * // A table encrypted with a customer-managed key is regional: give the stack an account and region.
 * const stack = new Stack(app, 'Orders', { env: { account: '111111111111', region: 'eu-west-1' } });
 *
 * const service = new ServerlessService(stack, 'Service', {
 *   serviceName: 'orders',
 *   stage: DeploymentStage.PROD, // or DeploymentStage.fromContext(stack): `cdk synth -c stage=prod`
 *   itemSchema: {
 *     type: apigw.JsonSchemaType.OBJECT,
 *     required: ['sku', 'quantity'],
 *     properties: {
 *       sku: { type: apigw.JsonSchemaType.STRING, maxLength: 32 },
 *       quantity: { type: apigw.JsonSchemaType.INTEGER, minimum: 1 },
 *     },
 *   },
 *   cors: { allowOrigins: ['https://app.example.com'] },
 *   alarmEmail: 'oncall@example.com',
 *   tags: { 'cost-center': 'orders' },
 * });
 *
 * // Escape hatches: every part is exposed.
 * new CfnOutput(stack, 'AliasArn', { value: service.handlerFunction.alias.functionArn });
 * new CfnOutput(stack, 'TableName', { value: service.table.tableName });
 * new CfnOutput(stack, 'RestApiId', { value: service.api.restApi.restApiId });
 */
export class ServerlessService extends Construct {
  /** The environment preset in force. */
  public readonly stage: DeploymentStage;
  /** The service's customer-managed KMS key (table, bucket, secret, logs, queue, topic, environment). */
  public readonly encryptionKey: kms.Key;
  /** The generated secret holding the pagination-token signing key, rotated on the stage's schedule. */
  public readonly secret: secretsmanager.Secret;
  /** The library's function that rotates `secret` (bundled from `lambda-src/secret-rotation`). */
  public readonly secretRotationFunction: lambda.Function;
  /** The rotation schedule of `secret`, every `stage.secretRotationPeriod`. */
  public readonly secretRotationSchedule: secretsmanager.CfnRotationSchedule;
  /** The items table. */
  public readonly table: SecureTable;
  /** The artifact bucket. */
  public readonly artifacts: ArtifactBucket;
  /** The items handler. */
  public readonly handlerFunction: EncryptedFunction;
  /** The REST API. */
  public readonly api: ValidatedRestApi;
  /** The topic every alarm notifies. */
  public readonly alarmTopic: sns.ITopic;
  /** The CloudWatch dashboard of the service. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The API alarm on the rate of 5XX responses. */
  public readonly api5xxAlarm: cloudwatch.Alarm;
  /** The stack protection, when enabled: the stack's one `StackProtection`, shared by every service of the stack. */
  public readonly protection?: StackProtection;
  /** The URL clients use (the custom domain's when configured). */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: ServerlessServiceProps) {
    super(scope, id);
    validateServiceProps(props, this);
    this.stage = props.stage ?? DeploymentStage.fromContext(this);
    const removalPolicy = this.stage.removalPolicy;

    this.encryptionKey = this.createServiceKey(props.serviceName, removalPolicy);
    this.alarmTopic = props.alarmTopic
      ?? createAlarmTopic(this, { encryptionKey: this.encryptionKey, alarmEmail: props.alarmEmail, removalPolicy });
    this.warnWhenAlarmsReachNobody(props);
    const alarmActions = [new cloudwatchActions.SnsAction(this.alarmTopic)];

    const serviceSecret = createServiceSecret(this, {
      serviceName: props.serviceName,
      encryptionKey: this.encryptionKey,
      logRetention: this.stage.logRetention,
      removalPolicy,
      rotationPeriod: this.stage.secretRotationPeriod,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
    });
    this.secret = serviceSecret.secret;
    this.secretRotationFunction = serviceSecret.rotationFunction;
    this.secretRotationSchedule = serviceSecret.rotationSchedule;
    this.table = new SecureTable(this, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      capacity: props.tableCapacity ?? this.stage.table.capacity,
      encryptionKey: this.encryptionKey,
      removalPolicy,
      globalSecondaryIndexes: props.globalSecondaryIndexes,
      replicaRegions: props.replicaRegions,
      replicaKeyArns: props.replicaKeyArns,
      alarmActions,
      alarmThresholds: this.stage.alarms.table,
      timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
    });
    this.artifacts = new ArtifactBucket(this, 'Artifacts', {
      encryptionKey: this.encryptionKey,
      removalPolicy,
      // CloudFormation deletes only empty buckets, and the access-log bucket fills from the start: without emptying,
      // destroying a DESTROY stage fails.
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });
    const resolved = resolveServiceProps(props);
    this.handlerFunction = this.createHandler(resolved, alarmActions);
    this.api = this.createApi(resolved);
    this.url = this.api.url;
    this.api5xxAlarm = createApi5xxAlarm(this, this.api, this.stage.alarms.api5xxRate ?? SERVICE_ALARM_DEFAULTS.api5xxRate, alarmActions);
    this.dashboard = new ServiceDashboard(this, 'Dashboard', {
      dashboardName: `${props.serviceName}-${this.stage.name}`,
      api: this.api,
      handler: this.handlerFunction,
      table: this.table,
    }).dashboard;

    if (props.protection ?? this.stage.stackProtection) {
      this.protection = this.stackProtection(props);
    }
    this.addOutputs(props);
    this.addTags(props);
  }

  /**
   * The stack's one StackProtection, which covers every stateful resource of the stack: the one already there (another
   * service's, or the app's own) or a new one inside this service, so the service's tags reach its resources too.
   */
  private stackProtection(props: ServerlessServiceProps): StackProtection {
    const existing = Stack.of(this).node.findAll().find((c): c is StackProtection => c instanceof StackProtection);
    return existing ?? new StackProtection(this, 'Protection', {
      encryptionKey: this.encryptionKey,
      logRetention: this.stage.logRetention,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
    });
  }

  private createServiceKey(serviceName: string, removalPolicy: RemovalPolicy): kms.Key {
    const key = createRotatedKey(this, 'Key', `Encrypts the data, secrets and logs of ${serviceName} (${this.stage.name})`, removalPolicy);
    allowCloudWatchLogs(key);
    return key;
  }

  /**
   * A stage that keeps its data (STAGING, PROD) should have someone reading its alarms. A warning rather than an
   * error: the subscriber may be added outside the app (e.g. a chat integration on the topic).
   */
  private warnWhenAlarmsReachNobody(props: ServerlessServiceProps): void {
    if (props.alarmEmail === undefined && props.alarmTopic === undefined && this.stage.removalPolicy !== RemovalPolicy.DESTROY) {
      Annotations.of(this).addWarningV2(ALARMS_WITHOUT_SUBSCRIBER_WARNING,
        `ServerlessService: stage ${this.stage.name} has no alarmEmail and no alarmTopic, so the alarm topic has no subscriber and `
        + 'no alarm reaches anyone; give alarmEmail, or alarmTopic with your own subscriptions, or subscribe to `alarmTopic` after '
        + `synthesis and acknowledge this warning (Annotations.of(service).acknowledgeWarning('${ALARMS_WITHOUT_SUBSCRIBER_WARNING}')).`);
    }
  }

  private createHandler(props: ResolvedServiceProps, alarmActions: cloudwatch.IAlarmAction[]): EncryptedFunction {
    const stage = this.stage;
    const environment = itemsHandlerEnvironment(props, {
      tableName: this.table.tableName,
      corsAllowedOrigins: this.corsOptions(props)?.allowOrigins ?? [],
      logLevel: stage.handlerFunction.applicationLogLevel ?? DEFAULT_HANDLER_LOG_LEVEL,
    });
    const handler = new EncryptedFunction(this, 'Handler', {
      description: `Items API of ${props.serviceName} (${stage.name})`,
      code: props.code ?? bundledHandlerCode('items'),
      handler: props.handler,
      ...stage.handlerFunction,
      environment,
      encryptionKey: this.encryptionKey,
      secrets: { SECRET_ARN: this.secret },
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      alarmThresholds: stage.alarms.handlerFunction,
      alarmActions,
    });
    this.table.grants.actions(handler, ...ITEMS_HANDLER_TABLE_ACTIONS);
    return handler;
  }

  /** CORS from the props, else the stage's; none when neither sets it (server-to-server APIs). */
  private corsOptions(props: ServerlessServiceProps): ApiCorsOptions | undefined {
    const cors = props.cors ?? this.stage.api.cors;
    return cors && itemsCorsOptions(cors);
  }

  private createApi(props: ResolvedServiceProps): ValidatedRestApi {
    const stage = this.stage;
    const api = new ValidatedRestApi(this, 'Api', {
      restApiName: `${props.serviceName}-${stage.name}`,
      description: `Items API of ${props.serviceName} (${stage.name})`,
      authorization: props.authorization,
      cors: this.corsOptions(props),
      stageName: stage.name,
      throttling: stage.api.throttling,
      cache: stage.api.cache,
      logRetention: stage.logRetention,
      logRemovalPolicy: stage.removalPolicy,
      logEncryptionKey: this.encryptionKey,
      accountCloudWatchRole: props.accountCloudWatchRole,
      customDomain: props.customDomain,
      webAclArn: props.webAclArn,
      createWebAcl: props.webAclArn ? undefined : stage.api.createWebAcl,
      maxRequestBodySize: props.maxRequestBodySize,
      urlExportName: `${props.serviceName}-${stage.name}-url`,
    });
    addItemsRoutes(api, this.handlerFunction.alias, props.itemSchema as JsonSchemaSubset | undefined, props.itemsPath);
    return api;
  }

  private addOutputs(props: ServerlessServiceProps): void {
    const prefix = `${props.serviceName}-${this.stage.name}`;
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'Items table' });
    new CfnOutput(this, 'BucketName', { value: this.artifacts.bucketName, description: 'Artifact bucket' });
    new CfnOutput(this, 'AliasArn', {
      value: this.handlerFunction.alias.functionArn,
      description: 'The live alias of the items handler',
      exportName: `${prefix}-alias-arn`,
    });
  }

  private addTags(props: ServerlessServiceProps): void {
    const tags: { [key: string]: string } = {
      ...props.tags,
      'stage': this.stage.name,
      'service': props.serviceName,
      'managed-by': 'cdk-secure-serverless',
    };
    applyTags(this, tags);
  }
}

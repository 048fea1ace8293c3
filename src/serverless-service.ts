import { CfnOutput, Duration, RemovalPolicy, Size, Stack, Tags, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ApiAuthorization } from './api-authorization';
import { ApiCorsOptions, ApiCustomDomain, ApiRouteOptions } from './api-options';
import { ArtifactBucket } from './artifact-bucket';
import { DeploymentStage } from './deployment-stage';
import { EncryptedFunction } from './encrypted-function';
import {
  EXPIRES_AT_ATTRIBUTE, SUPPORTED_SCHEMA_KEYWORDS, createItemRequestSchema, ItemsJsonSchema, ItemsRoute, itemsRouteResponses,
  unsupportedSchemaKeyword, updateItemRequestSchema,
} from './items-contract';
import { createErrorRateAlarm } from './private/alarms';
import { bundledHandlerCode } from './private/bundled-code';
import { ITEMS_HANDLER_TABLE_ACTIONS } from './private/items-handler-actions';
import { allowCloudWatchLogs, createRotatedKey } from './private/keys';
import { DEFAULT_MAX_REQUEST_BODY } from './private/request-limits';
import { SecretRotationFunction } from './private/secret-rotation-function';
import { ServiceDashboard } from './private/service-dashboard';
import { SecureTable } from './secure-table';
import { StackProtection } from './stack-protection';
import { TableCapacity } from './table-capacity';
import { ValidatedRestApi } from './validated-rest-api';

/** The methods the items routes serve. */
const ITEMS_METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

/** Lambda caps the environment at 4 KB; the data schema travels in it. */
const MAX_ITEM_SCHEMA_CHARS = 2048;
const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Properties of a `ServerlessService`. */
export interface ServerlessServiceProps {
  /**
   * Name of the service: lower case letters, digits and hyphens, starting with a letter, at most 30 characters.
   * Used in resource names, tags, the dashboard and metric namespace.
   */
  readonly serviceName: string;
  /**
   * Environment preset carrying every environment-specific parameter.
   * @default - `DeploymentStage.fromContext(this)`: `-c stage=...`, else DEV
   */
  readonly stage?: DeploymentStage;
  /**
   * JSON schema (draft 4, the subset API Gateway models support) that the `data` object of every item must satisfy.
   * Enforced by the API's request models and again inside the handler.
   * @default - any JSON object
   */
  readonly itemSchema?: apigw.JsonSchema;
  /**
   * A custom domain for the API.
   * @default - only the default execute-api endpoint
   */
  readonly customDomain?: ApiCustomDomain;
  /**
   * CORS for browser clients.
   * @default - the stage's `api.cors`
   */
  readonly cors?: ApiCorsOptions;
  /**
   * Default authorization of the items routes.
   * @default ApiAuthorization.iam()
   */
  readonly authorization?: ApiAuthorization;
  /**
   * Tags added to every taggable resource, next to `stage`, `service` and `managed-by`.
   * @default - only the standard tags
   */
  readonly tags?: { [key: string]: string };
  /**
   * Email address subscribed to the alarm topic (the subscription must be confirmed).
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * An existing SNS topic for alarms; when given no topic is created.
   * @default - an SNS topic encrypted with the service key
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * VPC for the service's Lambda functions.
   * @default - no VPC: the functions reach only AWS APIs, over TLS with signed requests
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc` for the functions.
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Whether to protect the stack (`StackProtection`: termination protection, RETAIN and a stack policy).
   * @default - the stage's `stackProtection` (on for STAGING and PROD)
   */
  readonly protection?: boolean;
  /**
   * Code of the items handler, to replace the bundled one; it receives the same environment and the same table
   * actions (GetItem, PutItem, UpdateItem, DeleteItem, Scan): grant more with `table.grant(handlerFunction, ...)`.
   * @default - the bundled items handler
   */
  readonly code?: lambda.Code;
  /**
   * Handler of `code`, as `file.function`.
   * @default 'index.handler'
   */
  readonly handler?: string;
  /**
   * Extra environment variables for the handler.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
  /**
   * Global secondary indexes of the items table.
   * @default - none
   */
  readonly globalSecondaryIndexes?: dynamodb.GlobalSecondaryIndexPropsV2[];
  /**
   * Regions the items table is replicated to.
   * @default - none
   */
  readonly replicaRegions?: string[];
  /**
   * Capacity of the items table.
   * @default - the stage's `table.capacity`
   */
  readonly tableCapacity?: TableCapacity;
  /**
   * How long a reader may cache the signing key of the service secret before reading it again (picks up rotations).
   * @default Duration.minutes(5)
   */
  readonly secretCacheTtl?: Duration;
  /**
   * How long a retried `POST /items` or `PUT /items/{id}` with the same `Idempotency-Key` gets the first response
   * instead of writing again. Records live in the items table and expire through its TTL attribute `expiresAt`.
   * @default Duration.hours(1)
   */
  readonly idempotencyWindow?: Duration;
  /**
   * Longest request body: enforced by the web ACL (when the stage has one) and the handler, both answering `413`
   * `PayloadTooLarge` with the API's error body. At most 64 KiB when the service creates a web ACL.
   * @default Size.kibibytes(64)
   */
  readonly maxRequestBodySize?: Size;
  /**
   * Whether the API stage sets the region's API Gateway CloudWatch role (`AWS::ApiGateway::Account`), needed once per
   * account and region before stages with logging deploy.
   * @default false
   */
  readonly accountCloudWatchRole?: boolean;
  /**
   * ARN of an existing regional WAFv2 web ACL to associate instead of creating one.
   * @default - a web ACL is created when the stage's `api.createWebAcl` is true
   */
  readonly webAclArn?: string;
}

/**
 * The complete items service: one customer-managed KMS key, a generated and rotated secret, a `SecureTable`, an
 * `ArtifactBucket`, an `EncryptedFunction` running the bundled items handler with least-privilege grants, a
 * `ValidatedRestApi` whose items routes target the function's `live` alias, an encrypted alarm topic, a dashboard,
 * outputs and tags, all sized by a `DeploymentStage`.
 */
export class ServerlessService extends Construct {
  /** The environment preset in force. */
  public readonly stage: DeploymentStage;
  /** The service's customer-managed KMS key (table, bucket, secret, logs, queue, topic, environment). */
  public readonly encryptionKey: kms.Key;
  /** The generated secret holding the pagination-token signing key, rotated on the stage's schedule. */
  public readonly secret: secretsmanager.Secret;
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
  /** The stack protection, when enabled. */
  public readonly protection?: StackProtection;
  /** The URL clients use (the custom domain's when configured). */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: ServerlessServiceProps) {
    super(scope, id);
    validateProps(props);
    this.stage = props.stage ?? DeploymentStage.fromContext(this);
    const removalPolicy = this.stage.removalPolicy;

    this.encryptionKey = this.createServiceKey(props.serviceName, removalPolicy);
    this.alarmTopic = props.alarmTopic ?? this.createAlarmTopic(props.alarmEmail);
    const alarmActions = [new cloudwatchActions.SnsAction(this.alarmTopic)];

    this.secret = this.createSecret(props, removalPolicy);
    this.table = new SecureTable(this, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      capacity: props.tableCapacity ?? this.stage.table.capacity,
      encryptionKey: this.encryptionKey,
      removalPolicy,
      globalSecondaryIndexes: props.globalSecondaryIndexes,
      replicaRegions: props.replicaRegions,
      alarmActions,
      ...this.stage.alarms.table,
      timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
    });
    this.artifacts = new ArtifactBucket(this, 'Artifacts', {
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });
    this.handlerFunction = this.createHandler(props, alarmActions);
    this.api = this.createApi(props);
    this.url = this.api.url;
    this.api5xxAlarm = this.createApi5xxAlarm(alarmActions);
    this.dashboard = new ServiceDashboard(this, 'Dashboard', {
      dashboardName: `${props.serviceName}-${this.stage.name}`,
      api: this.api,
      handler: this.handlerFunction,
      table: this.table,
    }).dashboard;

    if (props.protection ?? this.stage.stackProtection) {
      // Inside the service, so the service's tags reach the protection's own resources too.
      this.protection = new StackProtection(this, 'Protection', {
        encryptionKey: this.encryptionKey,
        logRetention: this.stage.logRetention,
        vpc: props.vpc,
        vpcSubnets: props.vpcSubnets,
      });
    }
    this.addOutputs(props);
    this.addTags(props);
  }

  private createServiceKey(serviceName: string, removalPolicy: RemovalPolicy): kms.Key {
    const key = createRotatedKey(this, 'Key', `Encrypts the data, secrets and logs of ${serviceName} (${this.stage.name})`, removalPolicy);
    allowCloudWatchLogs(key);
    // Alarms publish to the encrypted topic as the CloudWatch service.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    return key;
  }

  private createAlarmTopic(alarmEmail?: string): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Service alarms',
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    if (alarmEmail) {
      topic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
    }
    return topic;
  }

  private createSecret(props: ServerlessServiceProps, removalPolicy: RemovalPolicy): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Signing key of ${props.serviceName} pagination tokens (generated, rotated)`,
      encryptionKey: this.encryptionKey,
      // Generated by Secrets Manager at deployment: no secret value in the template.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'tokenSigningKey',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy,
    });
    const rotation = new SecretRotationFunction(this, 'SecretRotation', {
      secret,
      encryptionKey: this.encryptionKey,
      logRetention: this.stage.logRetention,
      removalPolicy,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
    });
    rotation.schedule(this.stage.secretRotationPeriod);
    return secret;
  }

  private createHandler(props: ServerlessServiceProps, alarmActions: cloudwatch.IAlarmAction[]): EncryptedFunction {
    const stage = this.stage;
    const environment: { [name: string]: string } = {
      ...props.environment,
      TABLE_NAME: this.table.table.tableName,
      SECRET_CACHE_TTL_SECONDS: String((props.secretCacheTtl ?? Duration.minutes(5)).toSeconds()),
      IDEMPOTENCY_WINDOW_SECONDS: String((props.idempotencyWindow ?? Duration.hours(1)).toSeconds()),
      MAX_BODY_BYTES: String((props.maxRequestBodySize ?? DEFAULT_MAX_REQUEST_BODY).toBytes()),
      CORS_ALLOWED_ORIGINS: (this.corsOptions(props)?.allowOrigins ?? []).join(','),
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: props.serviceName,
      LOG_LEVEL: stage.handler.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO,
    };
    if (props.itemSchema) {
      environment.ITEM_DATA_SCHEMA = JSON.stringify(props.itemSchema);
    }
    const handler = new EncryptedFunction(this, 'Handler', {
      description: `Items API of ${props.serviceName} (${stage.name})`,
      code: props.code ?? bundledHandlerCode('items'),
      handler: props.handler ?? 'index.handler',
      ...stage.handler,
      environment,
      encryptionKey: this.encryptionKey,
      secrets: { SECRET_ARN: this.secret },
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      alarmThresholds: stage.alarms.handler,
      alarmActions,
    });
    this.table.grant(handler, ...ITEMS_HANDLER_TABLE_ACTIONS);
    return handler;
  }

  /**
   * CORS from the props, else the stage's; none when neither sets it (server-to-server APIs). The preflight names only
   * the methods and request headers the items routes serve.
   */
  private corsOptions(props: ServerlessServiceProps): ApiCorsOptions | undefined {
    const cors = props.cors ?? this.stage.api.cors;
    if (!cors) return undefined;
    return {
      allowMethods: [...ITEMS_METHODS, 'OPTIONS'],
      allowHeaders: [...apigw.Cors.DEFAULT_HEADERS, 'Idempotency-Key', 'If-Match'],
      exposeHeaders: ['ETag'],
      ...cors,
    };
  }

  private createApi(props: ServerlessServiceProps): ValidatedRestApi {
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
    const dataSchema = props.itemSchema as ItemsJsonSchema | undefined;
    const alias = this.handlerFunction.alias;
    const idempotencyKey = { optionalHeaders: ['Idempotency-Key'] };
    const routes: Record<ItemsRoute, ApiRouteOptions> = {
      'POST /items': { requestSchema: createItemRequestSchema(dataSchema) as apigw.JsonSchema, ...idempotencyKey },
      'GET /items': { optionalQueryStrings: ['limit', 'nextToken'] },
      'GET /items/{id}': {},
      'PUT /items/{id}': { requestSchema: updateItemRequestSchema(dataSchema) as apigw.JsonSchema, ...idempotencyKey },
      'DELETE /items/{id}': { optionalQueryStrings: ['version'], optionalHeaders: ['If-Match'] },
    };
    for (const [route, options] of Object.entries(routes) as [ItemsRoute, ApiRouteOptions][]) {
      const [method, path] = route.split(' ');
      const responses = itemsRouteResponses(route, dataSchema)
        .map((response) => ({ statusCode: response.statusCode, schema: response.schema as apigw.JsonSchema | undefined }));
      api.addRoute(path, method, alias, { ...options, responses });
    }
    return api;
  }

  private createApi5xxAlarm(alarmActions: cloudwatch.IAlarmAction[]): cloudwatch.Alarm {
    const threshold = this.api5xxRateThreshold();
    const alarm = createErrorRateAlarm(this, 'Api5xxAlarm', {
      // Five-minute sums of 5XX answers and counts of requests.
      errors: this.api.metricServerError(),
      requests: this.api.metricCount(),
      threshold,
      evaluationPeriods: 1,
      description: `At least ${Math.round(threshold * 10_000) / 100}% of API requests answered 5XX in 5 minutes`,
    });
    alarm.addAlarmAction(...alarmActions);
    return alarm;
  }


  /** The stage's 5XX alarm threshold, a fraction of requests (its documented default: 0.01). */
  private api5xxRateThreshold(): number {
    return this.stage.alarms.api5xxRate ?? 0.01;
  }

  private addOutputs(props: ServerlessServiceProps): void {
    const prefix = `${props.serviceName}-${this.stage.name}`;
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName, description: 'Items table' });
    new CfnOutput(this, 'BucketName', { value: this.artifacts.bucket.bucketName, description: 'Artifact bucket' });
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
    for (const [key, value] of Object.entries(tags)) {
      Tags.of(this).add(key, value);
    }
  }
}

function validateProps(props: ServerlessServiceProps): void {
  if (!Token.isUnresolved(props.serviceName) && !SERVICE_NAME_PATTERN.test(props.serviceName)) {
    throw new Error(`ServerlessService: serviceName "${props.serviceName}" must be 1-30 lower-case letters, digits or hyphens starting with a letter, e.g. "orders".`);
  }
  if (props.alarmEmail !== undefined && props.alarmTopic !== undefined) {
    throw new Error('ServerlessService: give alarmEmail or alarmTopic, not both; subscribe the address to your own topic instead.');
  }
  if (props.alarmEmail !== undefined && !Token.isUnresolved(props.alarmEmail) && !EMAIL_PATTERN.test(props.alarmEmail)) {
    throw new Error(`ServerlessService: alarmEmail "${props.alarmEmail}" is not an email address.`);
  }
  if (props.handler !== undefined && props.code === undefined) {
    throw new Error('ServerlessService: handler is only used with code; pass code too, or drop handler to use the bundled items handler.');
  }
  if (props.itemSchema !== undefined) {
    const json = JSON.stringify(props.itemSchema);
    if (json.length > MAX_ITEM_SCHEMA_CHARS) {
      throw new Error(`ServerlessService: itemSchema is ${json.length} characters as JSON; at most ${MAX_ITEM_SCHEMA_CHARS} fit in the handler's environment. Simplify the schema.`);
    }
    const unsupported = unsupportedSchemaKeyword(props.itemSchema as ItemsJsonSchema);
    if (unsupported) {
      throw new Error(`ServerlessService: itemSchema uses the keyword "${unsupported.keyword}" at ${unsupported.path}, which the handler `
        + `does not enforce (API Gateway would, direct invokes and local mode would not); express it with ${SUPPORTED_SCHEMA_KEYWORDS.join(', ')}.`);
    }
  }
  for (const name of ['TABLE_NAME', 'SECRET_ARN', 'ITEM_DATA_SCHEMA', 'CORS_ALLOWED_ORIGINS']) {
    if (props.environment && name in props.environment) {
      throw new Error(`ServerlessService: environment.${name} is set by the service; remove it from environment.`);
    }
  }
}

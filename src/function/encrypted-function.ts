import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createFunctionAlarms } from './function-alarms';
import { createLiveAlias } from './function-alias';
import { createDeploymentGroup } from './function-deployment';
import { allowReadingSecrets } from './function-secrets';
import { validateFunctionProps } from './function-validation';
import { applyTags, acknowledgeFindings, FINDING_FAMILIES, routeAlarmActions, createDeadLetterQueue, activateTracing, createFunctionScaffold, scaffoldedFunctionProps, allowCloudWatchLogs, createRotatedKey, ManagedPolicyRole, newerNodejsRuntimeKnown } from '../core';
import { EncryptedFunctionProps } from './encrypted-function-props';
import { resolveFunctionProps } from './function-defaults';

/**
 * A Lambda function with secure, observable, production defaults, invoked through its `live` alias.
 *
 * The defaults a security review asks for:
 *
 * - **Encryption**: environment variables, the log group and the failed-event queue are encrypted with one
 *   customer-managed KMS key (given, or created with rotation). CloudWatch Logs of the region is added to the
 *   key policy, limited to log groups of the account; a key imported from outside the app cannot be changed,
 *   so its policy must already allow `logs.<region>.amazonaws.com`.
 * - **Secrets** (`secrets: { ENV_NAME: secret }`): each secret's ARN is injected as the named environment
 *   variable and the role may `secretsmanager:GetSecretValue` / `DescribeSecret` on exactly that secret and
 *   `kms:Decrypt` its key only through Secrets Manager. No secret value ever enters the template; read the
 *   value at run time (for example with the Parameters and Secrets Lambda extension or the AWS SDK).
 * - **Least-privilege role**: no AWS-managed policy and no inline policy. Every statement (CDK's own for
 *   the dead-letter queue, `addToRolePolicy`, and `grant*` calls on the construct, which is `IGrantable`)
 *   goes into customer-managed policies attached to the role, a new one started before a policy would pass IAM's
 *   6,144-character limit (a role takes 10 managed policies by default). Log writes are limited to the function's own
 *   log group. Actions that take no resource ARN (X-Ray, and in a VPC the network-interface actions, as
 *   explicit statements) sit in a second customer-managed policy, so the acknowledgement of their `*` cannot
 *   hide a wildcard added later.
 * - **Observability**: JSON logs (`applicationLogLevel`, `systemLogLevel`) in its own log group with
 *   retention (`logRetention`, one year by default) and `RETAIN_ON_UPDATE_OR_DELETE`; X-Ray active tracing; alarms on errors,
 *   throttles and p99 duration against a fraction of the timeout (`alarmThresholds`, `alarmActions`).
 * - **Versions and alias**: every deployment publishes a version and moves alias `live` to it; `grantInvoke`
 *   grants the alias only. `provisionedConcurrency` adds provisioned concurrency on the alias with
 *   target tracking on `LambdaProvisionedConcurrencyUtilization`; `deployment` adds a CodeDeploy canary or
 *   linear rollout that rolls back when an alarm fires (its role has scoped statements, not
 *   `AWSCodeDeployRoleForLambdaLimited`).
 * - **Failures**: asynchronous invocations retry (`retryAttempts`, `maxEventAge`), then go to an SQS queue
 *   (created KMS-encrypted and SSL-only, or `onFailureQueue`) that is both the function's dead-letter queue
 *   and the alias's on-failure destination. Lambda may deliver a failed event to both, so a consumer can
 *   see the raw event (dead-letter message, with `ErrorCode` / `ErrorMessage` attributes) and the
 *   invocation record (destination message, with `requestContext` and `responsePayload`).
 * - **Defaults**: `nodejs24.x` (pinned: an aws-cdk-lib upgrade does not change it), ARM64, 512 MiB, 10 s timeout. Bad props (timeout
 *   above 15 minutes, provisioned concurrency min above max or above reserved concurrency, utilisation
 *   outside 0.1..0.9, a secret variable that collides with `environment`, ...) throw at construction time.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as apigw from 'aws-cdk-lib/aws-apigateway';
 * import * as cloudwatch_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
 * import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
 * import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
 * import * as iam from 'aws-cdk-lib/aws-iam';
 * import * as kms from 'aws-cdk-lib/aws-kms';
 * import * as lambda from 'aws-cdk-lib/aws-lambda';
 * import * as logs from 'aws-cdk-lib/aws-logs';
 * import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
 * import * as sns from 'aws-cdk-lib/aws-sns';
 * import { EncryptedFunction } from 'cdk-secure-serverless';
 *
 * const app = new App();
 * const stack = new Stack(app, 'Handler');
 * const serviceKey = new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true });
 * const apiSecret = new secretsmanager.Secret(stack, 'ApiSecret', { encryptionKey: serviceKey });
 * const table = new dynamodb.Table(stack, 'Table', {
 *   partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
 * });
 * const alarmTopic = new sns.Topic(stack, 'Alarms');
 *
 * const handler = new EncryptedFunction(stack, 'Handler', {
 *   code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" });'),
 *   handler: 'index.handler',
 *   encryptionKey: serviceKey,
 *   secrets: { API_SECRET_ARN: apiSecret },
 *   environment: { TABLE_NAME: table.tableName },
 *   logRetention: logs.RetentionDays.THREE_MONTHS,
 *   reservedConcurrentExecutions: 50,
 *   provisionedConcurrency: { minCapacity: 2, maxCapacity: 20, utilizationTarget: 0.7 },
 *   deployment: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
 *   alarmThresholds: { errors: 5, durationFractionOfTimeout: 0.8 },
 *   alarmActions: [new cloudwatch_actions.SnsAction(alarmTopic)],
 * });
 *
 * // Exact actions on exact resources, added to the role's customer-managed policy.
 * handler.addToRolePolicy(new iam.PolicyStatement({
 *   actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
 *   resources: [table.tableArn],
 * }));
 *
 * // Integrations and callers use the alias, never $LATEST.
 * new apigw.LambdaRestApi(stack, 'Api', { handler: handler.alias });
 */
export class EncryptedFunction extends Construct implements iam.IGrantable {
  /** The Lambda function. Invoke the {@link alias}, not this. */
  public readonly lambdaFunction: lambda.Function;
  /** The `live` alias pointing at the current version: the one thing to invoke. */
  public readonly alias: lambda.Alias;
  /** The execution role; its statements all live in one customer-managed policy. */
  public readonly role: iam.Role;
  /** The function's KMS-encrypted log group. */
  public readonly logGroup: logs.LogGroup;
  /** The queue receiving failed asynchronous events (dead-letter queue and on-failure destination). */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The key encrypting environment variables, logs and the created queue. */
  public readonly encryptionKey: kms.IKey;
  /** Alarm on invocation errors of the `live` alias. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** Alarm on throttled invocations of the `live` alias. */
  public readonly throttlesAlarm: cloudwatch.Alarm;
  /** Alarm on p99 duration of the `live` alias against a fraction of the timeout. */
  public readonly durationAlarm: cloudwatch.Alarm;
  /** All alarms of the function. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The provisioned-concurrency scalable target of the alias, when `provisionedConcurrency` is set. */
  public readonly provisionedConcurrencyScaling?: lambda.IScalableFunctionAttribute;
  /** The CodeDeploy deployment group rolling out the alias, when `deployment` is set. */
  public readonly deploymentGroup?: codedeploy.LambdaDeploymentGroup;
  /** The role: grants to this construct go into its customer-managed policy. */
  public readonly grantPrincipal: iam.IPrincipal;

  private readonly executionRole: ManagedPolicyRole;

  constructor(scope: Construct, id: string, props: EncryptedFunctionProps) {
    super(scope, id);
    applyTags(this, props.tags);
    validateFunctionProps(props, this);
    const resolved = resolveFunctionProps(props);
    const removalPolicy = resolved.removalPolicy;

    this.encryptionKey = props.encryptionKey
      ?? createRotatedKey(this, 'Key', `Encrypts the environment, logs and failed events of ${this.node.path}`, removalPolicy);
    allowCloudWatchLogs(this.encryptionKey);
    this.deadLetterQueue = props.onFailureQueue
      ?? createDeadLetterQueue(this, 'DeadLetterQueue', this.encryptionKey, removalPolicy);
    const scaffold = createFunctionScaffold(this, {
      roleDescription: `Execution role of ${this.node.path}`,
      encryptionKey: this.encryptionKey,
      logRetention: resolved.logRetention,
      removalPolicy,
      deadLetterQueue: this.deadLetterQueue,
      inVpc: props.vpc !== undefined,
    });
    this.executionRole = scaffold.role;
    this.role = this.executionRole;
    this.grantPrincipal = this.role;
    this.logGroup = scaffold.logGroup;
    const secretArnVariables = allowReadingSecrets(this, this.executionRole, props.secrets ?? {});

    this.lambdaFunction = new lambda.Function(this, 'Function', {
      code: props.code,
      handler: props.handler,
      runtime: resolved.runtime,
      architecture: resolved.architecture,
      memorySize: resolved.memorySize,
      timeout: resolved.timeout,
      description: props.description,
      environment: { ...props.environment, ...secretArnVariables },
      environmentEncryption: this.encryptionKey,
      role: this.role,
      ...scaffoldedFunctionProps(scaffold),
      applicationLogLevelV2: resolved.applicationLogLevel,
      systemLogLevelV2: resolved.systemLogLevel,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
    });
    activateTracing(this.lambdaFunction);

    const liveAlias = createLiveAlias(this, this.lambdaFunction, this.deadLetterQueue, resolved);
    this.alias = liveAlias.alias;
    this.provisionedConcurrencyScaling = liveAlias.provisionedConcurrencyScaling;

    const alarms = createFunctionAlarms(this, {
      errors: this.metricErrors(),
      throttles: this.metricThrottles(),
      p99Duration: this.metricDuration({ statistic: cloudwatch.Stats.p(99) }),
    }, resolved.alarmThresholds, resolved.timeout);
    this.errorsAlarm = alarms.errors;
    this.throttlesAlarm = alarms.throttles;
    this.durationAlarm = alarms.duration;
    this.alarms = [this.errorsAlarm, this.throttlesAlarm, this.durationAlarm];
    routeAlarmActions(this.alarms, props.alarmActions ?? [], {
      findingsWithoutActions: FINDING_FAMILIES.functionAlarmActions,
    });
    if (props.deployment) {
      this.deploymentGroup = createDeploymentGroup(this, props.deployment);
    }

    this.acknowledgeUnavoidableFindings(props);
  }

  /** Invocations of the `live` alias (sum over 5 minutes by default). */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricInvocations(props);
  }

  /** Invocations of the `live` alias that failed with an error (sum over 5 minutes by default). */
  public metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricErrors(props);
  }

  /** Throttled invocations of the `live` alias (sum over 5 minutes by default). */
  public metricThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricThrottles(props);
  }

  /** Run time of the `live` alias's invocations, in ms (average over 5 minutes by default). */
  public metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricDuration(props);
  }

  /** Lets the grantee invoke the `live` alias (never `$LATEST` or a bare version). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.alias.grantInvoke(grantee);
  }

  /**
   * Adds a statement to the execution role's customer-managed policy (not an inline policy).
   * Prefer exact actions and resource ARNs.
   */
  public addToRolePolicy(statement: iam.PolicyStatement): void {
    this.executionRole.addToPrincipalPolicy(statement);
  }

  private acknowledgeUnavoidableFindings(props: EncryptedFunctionProps): void {
    if (!props.vpc) acknowledgeFindings(this.lambdaFunction, FINDING_FAMILIES.functionOutsideVpc);
    if (props.reservedConcurrentExecutions === undefined) {
      acknowledgeFindings(this.lambdaFunction, FINDING_FAMILIES.functionConcurrency);
    }
    if (props.runtime === undefined && newerNodejsRuntimeKnown()) acknowledgeFindings(this.lambdaFunction, FINDING_FAMILIES.pinnedRuntime);
  }
}

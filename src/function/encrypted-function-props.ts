import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/** Provisioned concurrency on the `live` alias, scaled by Application Auto Scaling target tracking. */
export interface ProvisionedConcurrencyOptions {
  /**
   * Provisioned concurrent executions kept warm at all times (at least 1).
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   */
  readonly minCapacity: number;
  /**
   * Upper bound auto-scaling may provision; must not exceed `reservedConcurrentExecutions` when that is set.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   */
  readonly maxCapacity: number;
  /**
   * Target of `LambdaProvisionedConcurrencyUtilization`, between 0.1 and 0.9.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default 0.7
   */
  readonly utilizationTarget?: number;
}

/** Thresholds of the alarms an {@link EncryptedFunction} creates, all on one-minute periods of the `live` alias. */
export interface EncryptedFunctionAlarmThresholds {
  /**
   * Invocation errors per minute that raise the errors alarm.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default 1
   */
  readonly errors?: number;
  /**
   * Throttled invocations per minute that raise the throttles alarm.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default 1
   */
  readonly throttles?: number;
  /**
   * Fraction of the function timeout that the p99 duration must exceed to raise the duration alarm (0 < x <= 1).
   * @default 0.8
   */
  readonly durationFractionOfTimeout?: number;
  /**
   * Consecutive one-minute periods over the threshold before an alarm fires.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default 1
   */
  readonly evaluationPeriods?: number;
}

/** Props of {@link EncryptedFunction}. */
export interface EncryptedFunctionProps {
  /** The function code, e.g. `lambda.Code.fromAsset(dir)`. */
  readonly code: lambda.Code;
  /** The handler, e.g. `index.handler`. */
  readonly handler: string;
  /**
   * The runtime.
   * @default lambda.Runtime.NODEJS_24_X (what the bundled handler targets; pinned, whatever aws-cdk-lib is installed)
   */
  readonly runtime?: lambda.Runtime;
  /**
   * The instruction set.
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Memory in MiB (128..10240); also sets the CPU share.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Maximum run time of one invocation (at most 15 minutes).
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * A description of the function.
   * @default - none
   */
  readonly description?: string;
  /**
   * Environment variables, encrypted at rest with `encryptionKey`. Never put secret values here: use `secrets`.
   * @default - none besides the secret ARNs
   */
  readonly environment?: { [name: string]: string };
  /**
   * Customer-managed key for the environment variables, the log group and the created on-failure queue.
   * CloudWatch Logs of this region is added to its key policy (for log groups of this account); a key imported
   * from outside the app cannot be changed, so its policy must already allow `logs.<region>.amazonaws.com`.
   * @default - a new key with rotation on
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Secrets the function reads at run time, keyed by the environment variable that receives each secret's ARN.
   * The role may `secretsmanager:GetSecretValue` and `DescribeSecret` on exactly these secrets and
   * `kms:Decrypt` their keys through Secrets Manager; no secret value enters the template.
   * @default - none
   */
  readonly secrets?: { [envName: string]: secretsmanager.ISecret };
  /**
   * How long the log group keeps log events.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Lowest level of application log lines (JSON format) that reach CloudWatch Logs.
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
  /**
   * Lowest level of Lambda platform log lines (START, END, REPORT, ...) that reach CloudWatch Logs.
   * @default lambda.SystemLogLevel.INFO
   */
  readonly systemLogLevel?: lambda.SystemLogLevel;
  /**
   * What happens to the log group, the created on-failure queue and the created key when removed from the stack.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Concurrent executions reserved for (and capping) this function.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default - none: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Provisioned concurrency on the `live` alias with target-tracking auto-scaling.
   * @default - none: every cold start is paid on demand
   */
  readonly provisionedConcurrency?: ProvisionedConcurrencyOptions;
  /**
   * Retries of a failed asynchronous invocation (0..2), with Lambda's exponential backoff between them.
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * Longest time an asynchronous event waits for processing (1 minute..6 hours) before it goes to the on-failure queue.
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
  /**
   * Queue that receives failed asynchronous events, both as the function's dead-letter queue and as the
   * on-failure destination of the `live` alias. If it is KMS-encrypted, the role may use its key to send.
   * @default - a new SQS queue encrypted with `encryptionKey`, SSL-only, keeping messages 14 days
   */
  readonly onFailureQueue?: sqs.IQueue;
  /**
   * A CodeDeploy canary or linear rollout of every new version on the `live` alias, rolled back
   * automatically when a function alarm fires or the deployment fails.
   * @default - none: the alias moves to a new version at once
   */
  readonly deployment?: codedeploy.ILambdaDeploymentConfig;
  /**
   * VPC to run the function in.
   * @default - no VPC: the function reaches AWS APIs over their public TLS endpoints
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc` for the function's network interfaces.
   * @default - the private subnets of `vpc`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the function's network interfaces.
   * @default - a new security group allowing all outbound traffic and no inbound
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Thresholds of the errors, throttles and duration alarms.
   * @default - see {@link EncryptedFunctionAlarmThresholds}
   */
  readonly alarmThresholds?: EncryptedFunctionAlarmThresholds;
  /**
   * Actions of every alarm, on ALARM and on OK, e.g. `new cloudwatch_actions.SnsAction(topic)`.
   * @default - none: the alarms still drive CodeDeploy rollbacks and dashboards, but notify nobody
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
  /**
   * Tags applied to every taggable resource of the construct (as `Tags.of(construct).add(key, value)` does).
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

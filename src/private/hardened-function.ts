import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Runtime of the library's helper functions.
 * TODO(lead): replace with `newestNodejsRuntime()` from src/private/runtime.ts once merged.
 */
const HELPER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Settings of a small helper function the library deploys on its own (custom resources, secret rotation). */
export interface HardenedFunctionProps {
  /** What the function does, for the console and the role. */
  readonly description: string;
  /** The function's code, e.g. `bundledHandlerCode('stack-policy')`. */
  readonly code: lambda.Code;
  /** Handler entry point. @default 'index.handler' */
  readonly handler?: string;
  /** Timeout of one invocation. */
  readonly timeout: Duration;
  /** Memory in MB. @default 256 */
  readonly memorySize?: number;
  /** Customer-managed key of the log group and the dead-letter queue; its policy must let CloudWatch Logs use it. */
  readonly encryptionKey: kms.IKey;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the log group and the dead-letter queue. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** The exact permissions the function's own work needs; logs, X-Ray, DLQ and VPC permissions are added. */
  readonly statements: iam.PolicyStatement[];
  /** Reserved concurrent executions. @default 1 */
  readonly reservedConcurrentExecutions?: number;
  /** VPC to run the function in; it then needs a route to the AWS APIs it calls. @default - not in a VPC */
  readonly vpc?: ec2.IVpc;
  /** Subnets of the VPC. @default - private subnets with egress */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/**
 * A helper Lambda function with the library's secure defaults: newest Node.js runtime, ARM64, JSON logs to its own
 * KMS-encrypted log group with retention, X-Ray tracing, a role whose only permissions are one customer-managed policy
 * (no inline or AWS-managed policies), reserved concurrency and a KMS-encrypted, TLS-only dead-letter queue.
 */
export class HardenedFunction extends Construct {
  /** The Lambda function. */
  public readonly function: lambda.Function;
  /** The execution role; its permissions live in `policy`. */
  public readonly role: iam.Role;
  /** The customer-managed policy holding every permission of the role. */
  public readonly policy: iam.ManagedPolicy;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** Where failed asynchronous invocations go. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: HardenedFunctionProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention,
      removalPolicy,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Permissions of: ${props.description}`,
      roles: [this.role],
      statements: [...this.runtimeStatements(props), ...props.statements],
    });
    this.function = new lambda.Function(this, 'Function', {
      description: props.description,
      runtime: HELPER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      code: props.code,
      handler: props.handler ?? 'index.handler',
      timeout: props.timeout,
      memorySize: props.memorySize ?? 256,
      // Every permission is in the managed policy: stop CDK from adding an inline policy for tracing, DLQ or VPC.
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 1,
      deadLetterQueue: this.deadLetterQueue,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
    });
    // The permissions must exist before anything (a custom resource) invokes the new function.
    this.function.node.addDependency(this.policy);
    this.acknowledgeUnavoidableFindings(props);
  }

  /** Permissions every helper function needs to run: its logs, traces, dead letters and, in a VPC, its network interfaces. */
  private runtimeStatements(props: HardenedFunctionProps): iam.PolicyStatement[] {
    const statements = [
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'WriteTraces',
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'SendDeadLetters',
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptDeadLetters',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.encryptionKey.keyArn],
      }),
    ];
    if (props.vpc) {
      statements.push(new iam.PolicyStatement({
        sid: 'ManageNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }));
    }
    return statements;
  }

  private acknowledgeUnavoidableFindings(props: HardenedFunctionProps): void {
    Validations.of(this.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: props.vpc
        ? 'X-Ray PutTraceSegments/PutTelemetryRecords and the Lambda VPC network-interface actions support no resource-level permissions.'
        : 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'This queue is the terminal dead-letter queue of the function; redriving it would only need yet another queue.',
    });
    if (!props.vpc) {
      const reason = 'A helper function outside a VPC by default: it only calls AWS APIs and holds no network-reachable data; pass `vpc` to run it inside one.';
      for (const id of ['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R4-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC']) {
        Validations.of(this.function).acknowledge({ id, reason });
      }
    }
  }
}

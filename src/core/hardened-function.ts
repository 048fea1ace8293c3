import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFindings, FINDING_FAMILIES } from './acknowledgements';
import { HARDENED_FUNCTION_DEFAULTS, withDefaults } from './core-defaults';
import { createDeadLetterQueue } from './function-resources';
import { activateTracing, createFunctionScaffold, scaffoldedFunctionProps } from './function-scaffold';
import { BUNDLED_CODE_RUNTIME, newerNodejsRuntimeKnown } from './runtime';

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
  /** Removal policy of the log group and the dead-letter queue. @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE */
  readonly removalPolicy?: RemovalPolicy;
  /** The exact permissions the function's own work needs; logs, X-Ray, DLQ and VPC permissions are added. */
  readonly statements: iam.PolicyStatement[];
  /** Reserved concurrent executions. @default - none: the function shares the account's unreserved concurrency */
  readonly reservedConcurrentExecutions?: number;
  /** VPC to run the function in; it then needs a route to the AWS APIs it calls. @default - not in a VPC */
  readonly vpc?: ec2.IVpc;
  /** Subnets of the VPC. @default - private subnets with egress */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/**
 * A helper Lambda function with the library's secure defaults: the Node.js runtime its bundles target, ARM64, JSON logs to its own
 * KMS-encrypted log group with retention, X-Ray tracing, a role whose only permissions are customer-managed policies
 * (no inline or AWS-managed policies) and a KMS-encrypted, TLS-only dead-letter queue.
 */
export class HardenedFunction extends Construct {
  /** The Lambda function. */
  public readonly function: lambda.Function;
  /** The execution role; its permissions live in `policy` and, for actions without resource ARNs, `wildcardPolicy`. */
  public readonly role: iam.Role;
  /** The customer-managed policy holding the role's permissions on named resources. */
  public readonly policy: iam.ManagedPolicy;
  /** The customer-managed policy holding the actions that take no resource ARN (X-Ray, VPC network interfaces). */
  public readonly wildcardPolicy: iam.ManagedPolicy;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** Where failed asynchronous invocations go. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: HardenedFunctionProps) {
    super(scope, id);
    const { removalPolicy, handler, memorySize } = withDefaults(props, HARDENED_FUNCTION_DEFAULTS);
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey, removalPolicy);
    const scaffold = createFunctionScaffold(this, {
      roleDescription: props.description,
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      removalPolicy,
      deadLetterQueue: this.deadLetterQueue,
      inVpc: props.vpc !== undefined,
    });
    for (const statement of props.statements) scaffold.role.addToPrincipalPolicy(statement);
    this.role = scaffold.role;
    this.policy = scaffold.role.policy;
    this.wildcardPolicy = scaffold.wildcardPolicy;
    this.logGroup = scaffold.logGroup;
    this.function = new lambda.Function(this, 'Function', {
      description: props.description,
      runtime: BUNDLED_CODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      code: props.code,
      handler,
      timeout: props.timeout,
      memorySize,
      // Every permission is in the managed policies: stop CDK from adding an inline policy for tracing, DLQ or VPC.
      role: scaffold.role.withoutPolicyUpdates(),
      ...scaffoldedFunctionProps(scaffold),
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html: "You can reserve up to the Unreserved
      // account concurrency value that is shown, minus 100 for functions that don't have reserved concurrency." New
      // accounts often have a quota of 10 or 50, where even a reservation of 1 fails: none by default.
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
    });
    activateTracing(this.function);
    // No dependency of our own on the role: lambda.Function already depends on the role it is given, policies included.
    if (!props.vpc) {
      acknowledgeFindings(this.function, FINDING_FAMILIES.helperFunctionOutsideVpc);
    }
    if (props.reservedConcurrentExecutions === undefined) {
      acknowledgeFindings(this.function, FINDING_FAMILIES.helperFunctionConcurrency);
    }
    if (newerNodejsRuntimeKnown()) acknowledgeFindings(this.function, FINDING_FAMILIES.pinnedRuntime);
  }
}

import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createEncryptedLogGroup } from './encrypted-log-group';
import { attachResourceWildcardPolicy, sendDeadLettersStatements, writeOwnLogsStatement } from './function-resources';
import { ManagedPolicyRole } from './managed-policy-role';

/** Settings of the pieces around a Lambda function that `EncryptedFunction` and the library's helper functions share. */
export interface FunctionScaffoldProps {
  /** Description of the execution role. */
  readonly roleDescription: string;
  /** Customer-managed key of the log group; its policy must let CloudWatch Logs use it. */
  readonly encryptionKey: kms.IKey;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the log group. */
  readonly removalPolicy: RemovalPolicy;
  /** Where failed asynchronous invocations go; the role may send to it. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Whether the function runs in a VPC (its role then manages network interfaces). */
  readonly inVpc: boolean;
}

/** The role, log group and dead-letter queue of a function, built by {@link createFunctionScaffold}. */
export interface FunctionScaffold {
  /** The execution role: every permission lives in its customer-managed policies. */
  readonly role: ManagedPolicyRole;
  /** The customer-managed policy of the actions that take no resource ARN (X-Ray, VPC network interfaces). */
  readonly wildcardPolicy: iam.ManagedPolicy;
  /** The function's own KMS-encrypted log group. */
  readonly logGroup: logs.LogGroup;
  /** Where failed asynchronous invocations go. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * The execution role (assumed by Lambda, customer-managed policies only) allowed to write the function's own log
 * group and its dead-letter queue, plus the policy of the X-Ray (and VPC) actions that take no resource ARN.
 */
export function createFunctionScaffold(scope: Construct, props: FunctionScaffoldProps): FunctionScaffold {
  const role = new ManagedPolicyRole(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  const logGroup = createEncryptedLogGroup(scope, 'LogGroup', {
    encryptionKey: props.encryptionKey,
    retention: props.logRetention,
    removalPolicy: props.removalPolicy,
  });
  for (const statement of [writeOwnLogsStatement(logGroup), ...sendDeadLettersStatements(props.deadLetterQueue)]) {
    role.addToPrincipalPolicy(statement);
  }
  const wildcardPolicy = attachResourceWildcardPolicy(role, scope.node.path, props.inVpc);
  return { role, wildcardPolicy, logGroup, deadLetterQueue: props.deadLetterQueue };
}

/** The `lambda.Function` props every scaffolded function shares: JSON logs to its own log group, its DLQ. */
export function scaffoldedFunctionProps(scaffold: FunctionScaffold): Pick<lambda.FunctionProps, 'logGroup' | 'loggingFormat' | 'deadLetterQueue'> {
  return {
    logGroup: scaffold.logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    deadLetterQueue: scaffold.deadLetterQueue,
  };
}

/**
 * Active X-Ray tracing, set on the L1: the `tracing` prop would also add the X-Ray statement to the role's main
 * policy, which the scaffold's wildcard policy already holds.
 */
export function activateTracing(fn: lambda.Function): void {
  (fn.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: lambda.Tracing.ACTIVE };
}

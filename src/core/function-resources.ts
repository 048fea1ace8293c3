import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFindings, FINDING_FAMILIES } from './acknowledgements';
import { viaService } from './keys';

/** What `AWSLambdaVPCAccessExecutionRole` grants, so that Lambda can manage a function's network interfaces in a VPC. */
const NETWORK_INTERFACE_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/** A KMS-encrypted, SSL-only queue keeping messages 14 days: the end of a failure chain. */
export function createEncryptedDeadLetterQueue(scope: Construct, id: string, encryptionKey: kms.IKey, removalPolicy: RemovalPolicy): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: encryptionKey,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy,
  });
}

/** The dead-letter queue of a function: the end of its failure chain. */
export function createDeadLetterQueue(scope: Construct, id: string, encryptionKey: kms.IKey, removalPolicy: RemovalPolicy): sqs.Queue {
  const queue = createEncryptedDeadLetterQueue(scope, id, encryptionKey, removalPolicy);
  acknowledgeFindings(queue, FINDING_FAMILIES.deadLetterQueueRedrive);
  return queue;
}

/**
 * Log writes to the function's own log group, nothing else. Its `Arn` attribute ends in `:*`, so it covers exactly
 * the log streams Lambda names at run time in that group.
 */
export function writeOwnLogsStatement(logGroup: logs.ILogGroup): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'WriteOwnLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  });
}

/**
 * Sending failed events to the queue; an SSE-KMS queue also needs a data key of its key, granted with exact actions
 * instead of the grant helpers' `kms:GenerateDataKey*`.
 */
export function sendDeadLettersStatements(queue: sqs.IQueue): iam.PolicyStatement[] {
  const statements = [new iam.PolicyStatement({
    // No Sid: the statement equals the one Lambda adds for `deadLetterQueue`, so the policy keeps one copy.
    actions: ['sqs:SendMessage'],
    resources: [queue.queueArn],
  })];
  if (queue.encryptionMasterKey) {
    statements.push(new iam.PolicyStatement({
      sid: 'EncryptDeadLetters',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [queue.encryptionMasterKey.keyArn],
      // Only SQS may use the key for the role: the key is often shared by other resources of the service.
      conditions: viaService(queue, 'sqs'),
    }));
  }
  return statements;
}

/**
 * Attaches to a function's role the actions that take no resource ARN, in a policy of their own so that acknowledging
 * its `Resource::*` finding cannot hide a wildcard added to the role's main policy: X-Ray tracing and, in a VPC, the
 * network-interface actions. Those are `*` too: Lambda creates and deletes the interfaces at run time, its pre-flight
 * check of the role fails when `ec2:DeleteNetworkInterface` is limited to ids it cannot know, and the Describe actions
 * take no resource ARN.
 */
export function attachResourceWildcardPolicy(role: iam.Role, functionPath: string, inVpc: boolean): iam.ManagedPolicy {
  const policy = new iam.ManagedPolicy(role, 'ResourceWildcardPolicy', {
    description: `Actions without resource ARNs of the execution role of ${functionPath}`,
    roles: [role],
    statements: [new iam.PolicyStatement({
      sid: 'WriteTraces',
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      resources: ['*'],
    })],
  });
  if (inVpc) {
    policy.addStatements(new iam.PolicyStatement({
      sid: 'ManageNetworkInterfaces',
      actions: NETWORK_INTERFACE_ACTIONS,
      resources: ['*'],
    }));
  }
  acknowledgeFindings(policy, inVpc ? FINDING_FAMILIES.functionResourceWildcardInVpc : FINDING_FAMILIES.functionResourceWildcard);
  return policy;
}

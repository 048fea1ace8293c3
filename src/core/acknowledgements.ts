import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './construct-errors';

/**
 * Every cdk-nag finding the library acknowledges, as data: the rule ids of one finding family, where the constructs
 * acknowledge them, and why. The constructs apply them with {@link acknowledgeFindings}; the
 * "cdk-nag acknowledgements" table of docs/compliance.md is rendered from {@link FINDING_FAMILIES}.
 */
export interface FindingFamily {
  /** The rule ids, as cdk-nag reports them. */
  readonly ids: readonly string[];
  /** The construct (and condition) that acknowledges them, for the docs/compliance.md table. */
  readonly where: string;
  /** Why the finding is acceptable, recorded on the construct. */
  readonly reason: string;
  /** Listed for the reader but left reported: nothing acknowledges it. */
  readonly reported?: boolean;
}

const HIPAA = 'HIPAA.Security';
const NIST_R4 = 'NIST.800.53.R4';
const NIST_R5 = 'NIST.800.53.R5';
const PCI = 'PCI.DSS.321';

/** The rule `rule` in each of the packs. */
function inPacks(packs: readonly string[], rule: string): string[] {
  return packs.map((pack) => `${pack}-${rule}`);
}

/** The placeholder for a table's logical id in {@link FindingFamily.ids}; {@link acknowledgeFindings} fills it in. */
export const TABLE_LOGICAL_ID = 'Table';
/** The placeholder for a bucket's logical id in {@link FindingFamily.ids}; {@link acknowledgeFindings} fills it in. */
export const BUCKET_LOGICAL_ID = 'Bucket';

const REPLICATION = inPacks([HIPAA, NIST_R4, NIST_R5, PCI], 'S3BucketReplicationEnabled');
const ALARM_ACTION = inPacks([HIPAA, NIST_R4, NIST_R5], 'CloudWatchAlarmAction');
const LAMBDA_INSIDE_VPC = inPacks([HIPAA, NIST_R4, NIST_R5, PCI], 'LambdaInsideVPC');
const RESOURCE_WILDCARD = ['AwsSolutions-IAM5[Resource::*]'];
const X_RAY_REASON = 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource ARN.';

/** The finding families, in the order of the docs/compliance.md table. */
export const FINDING_FAMILIES = {
  serviceDevWaf: {
    ids: ['AwsSolutions-APIG3', ...inPacks([NIST_R5, PCI], 'APIGWAssociatedWithWAF')],
    where: '`ServerlessService` API stage with `DeploymentStage.DEV` only',
    reason: 'The DEV preset turns the WAF web ACL off (`api.createWebAcl: false`) to save its cost in development; '
      + 'STAGING and PROD associate one and report nothing.',
    reported: true,
  },
  tableAlarmActions: {
    ids: ALARM_ACTION,
    where: '`SecureTable` alarms, only when `alarmActions` is not given',
    reason: 'No alarmActions given: the alarm is exposed in `alarms` for the consumer to route (e.g. to an SNS topic).',
  },
  tableBackupWildcard: {
    ids: [`AwsSolutions-IAM5[Resource::<${TABLE_LOGICAL_ID}.Arn>/backup/*]`],
    where: '`SecureTable` `BackupPolicy`, only with `backup`',
    reason: 'DynamoDB names each backup with a generated id under the table ARN; the statement is scoped to this table\'s backups.',
  },
  bucketReplication: {
    ids: REPLICATION,
    where: '`ArtifactBucket` bucket',
    reason: 'Cross-region replication needs a destination bucket in another region, which a single-region stack cannot create; '
      + 'the bucket is versioned and its artifacts are rebuilt from source by the pipeline.',
  },
  bucketObjectLock: {
    ids: [`${NIST_R4}-S3BucketDefaultLockEnabled`],
    where: '`ArtifactBucket` bucket, only without `objectLockDefaultRetention`',
    reason: 'Object lock is opt-in through objectLockDefaultRetention: locked versions outlive the noncurrent-version lifecycle '
      + 'and cannot be emptied from development stages.',
  },
  bucketEmptyingObjects: {
    ids: [`AwsSolutions-IAM5[Resource::<${BUCKET_LOGICAL_ID}.Arn>/*]`],
    where: '`ArtifactBucket` bucket-emptying function policy, only with `autoDeleteObjects`',
    reason: 'Emptying a bucket deletes every object version in it, whatever its key; the statement names only the buckets '
      + 'the construct created, and only s3:DeleteObject and s3:DeleteObjectVersion.',
  },
  accessLogsReplication: {
    ids: REPLICATION,
    where: '`ArtifactBucket` access-log bucket',
    reason: 'Cross-region replication needs a destination bucket in another region, which a single-region stack cannot create; '
      + 'the log bucket is versioned.',
  },
  accessLogsObjectLock: {
    ids: [`${NIST_R4}-S3BucketDefaultLockEnabled`],
    where: '`ArtifactBucket` access-log bucket',
    reason: 'S3 server access logging does not deliver to a bucket with a default object-lock retention.',
  },
  accessLogsKmsEncryption: {
    ids: inPacks([HIPAA, NIST_R5, PCI], 'S3DefaultEncryptionKMS'),
    where: '`ArtifactBucket` access-log bucket',
    reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3, not SSE-KMS.',
  },
  accessLogsLogging: {
    ids: ['AwsSolutions-S1', ...inPacks([HIPAA, NIST_R4, NIST_R5, PCI], 'S3BucketLoggingEnabled')],
    where: '`ArtifactBucket` access-log bucket',
    reason: 'This is the access-log bucket: logging it into itself would loop, and it holds only S3 access logs.',
  },
  functionResourceWildcard: {
    ids: RESOURCE_WILDCARD,
    where: '`ResourceWildcardPolicy` of an `EncryptedFunction` or helper function role, without `vpc`',
    reason: X_RAY_REASON,
  },
  functionResourceWildcardInVpc: {
    ids: RESOURCE_WILDCARD,
    where: '`ResourceWildcardPolicy` of an `EncryptedFunction` or helper function role, with `vpc`',
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource ARN; nor do the EC2 Describe actions, '
      + 'and Lambda names the network interfaces it creates and deletes at run time.',
  },
  deadLetterQueueRedrive: {
    ids: ['Serverless-SQSRedrivePolicy'],
    where: 'dead-letter queue created by an `EncryptedFunction` or a helper function (`StackProtection`\'s stack-policy function, the secret rotation function, `ArtifactBucket`\'s bucket-emptying function)',
    reason: 'This queue is the dead-letter queue at the end of the failure chain; a redrive policy would need another queue with the same finding.',
  },
  alarmDeadLetterQueue: {
    ids: ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy'],
    where: '`ServerlessService` alarm email dead-letter queue, only with `alarmEmail`',
    reason: 'This queue is the dead-letter queue of the alarm email subscription (its RedrivePolicy names it); the '
      + 'rules recognize only SQS and Lambda dead-letter references, and a redrive policy would need another queue.',
  },
  functionOutsideVpc: {
    ids: LAMBDA_INSIDE_VPC,
    where: '`EncryptedFunction` function, only without `vpc`',
    reason: 'Removed by the vpc prop. Without it the function reaches only AWS APIs, over TLS with IAM-signed requests.',
  },
  functionConcurrency: {
    ids: inPacks([HIPAA, NIST_R5], 'LambdaConcurrency'),
    where: '`EncryptedFunction` function, only without `reservedConcurrentExecutions`',
    reason: 'Removed by the reservedConcurrentExecutions prop. Not reserved by default: a reservation fails in accounts '
      + 'with a low concurrency quota and takes capacity from every other function.',
  },
  functionAlarmActions: {
    ids: ALARM_ACTION,
    where: '`EncryptedFunction` alarms, only without `alarmActions`',
    reason: 'Removed by the alarmActions prop. Without it the alarms still roll back CodeDeploy deployments and feed dashboards.',
  },
  helperFunctionConcurrency: {
    ids: inPacks([HIPAA, NIST_R5], 'LambdaConcurrency'),
    where: 'helper function (`StackProtection`\'s stack-policy function, the secret rotation function, `ArtifactBucket`\'s bucket-emptying function)',
    reason: 'Lambda refuses a reservation that leaves less than 100 unreserved executions (its documented minimum), so '
      + 'even 1 fails in a new account with a reduced quota; the helper runs a few times per deployment, rotation or deletion.',
  },
  pinnedRuntime: {
    ids: ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion'],
    where: 'the library\'s functions on `nodejs24.x` (`EncryptedFunction` without `runtime`, the helper functions), only on an '
      + 'aws-cdk-lib that knows a newer Node.js runtime',
    reason: 'Pinned on purpose: the bundled code targets Node.js 24, and following the newest runtime of the installed '
      + 'aws-cdk-lib would change production templates with a consumer\'s aws-cdk-lib upgrade.',
  },
  helperFunctionOutsideVpc: {
    ids: LAMBDA_INSIDE_VPC,
    where: 'helper function, only when no `vpc` is given',
    reason: 'A helper function outside a VPC by default: it only calls AWS APIs and holds no network-reachable data; '
      + 'pass `vpc` (StackProtection, ServerlessService) to run the stack-policy and secret rotation functions inside one. '
      + 'The bucket-emptying function runs only when CloudFormation deletes a development stage\'s buckets.',
  },
  apiIamAuthorization: {
    ids: ['AwsSolutions-COG4'],
    where: '`ValidatedRestApi` methods using IAM authorization',
    reason: 'The method uses IAM (SigV4) authorization, the default; ApiAuthorization.cognito() selects a '
      + 'Cognito user pool authorizer instead.',
  },
  apiOpenHealthRoute: {
    ids: ['AwsSolutions-APIG4', 'AwsSolutions-COG4'],
    where: '`ValidatedRestApi` health route (`GET /health`), only without `healthCheckAuthorization`',
    reason: 'The health route answers a constant {"status":"ok"} from a MOCK integration (no backend, no data) '
      + 'so that load balancers and uptime monitors, which cannot sign requests, can reach it; '
      + 'set healthCheckAuthorization to protect it.',
  },
  apiCache: {
    ids: inPacks([HIPAA, NIST_R4, NIST_R5, PCI], 'APIGWCacheEnabledAndEncrypted'),
    where: '`ValidatedRestApi` stage, only without `cache`',
    reason: 'Caching is off by default: cached responses are shared across callers and cost an hourly cache '
      + 'cluster; the cache prop turns on an encrypted cache.',
  },
  apiClientCertificate: {
    ids: inPacks([HIPAA, NIST_R5, PCI], 'APIGWSSLEnabled'),
    where: '`ValidatedRestApi` stage, only without `clientCertificateId`',
    reason: 'A client certificate authenticates API Gateway to HTTP backends; Lambda and MOCK integrations do not '
      + 'use one. The clientCertificateId prop sets one for HTTP integrations.',
  },
  accountCloudWatchRoleWildcard: {
    ids: RESOURCE_WILDCARD,
    where: '`ValidatedRestApi` account CloudWatch role policy, only with `accountCloudWatchRole: true`',
    reason: 'The account-level API Gateway role writes the logs of every REST API of the account in this region, '
      + 'whose log group names are not known to one stack (as the AWS-managed policy it replaces); only API Gateway '
      + 'can assume it and a condition limits it to this region.',
  },
} satisfies Record<string, FindingFamily>;

/**
 * Acknowledges the family's rules on the construct, with its reason. `logicalId` fills the table or bucket placeholder
 * of ids scoped to one table's or bucket's ARN.
 */
export function acknowledgeFindings(scope: IConstruct, family: FindingFamily, logicalId?: string): void {
  if (family.reported) {
    throw validationError(scope, `The findings ${family.ids.join(', ')} are listed as reported, not acknowledged`);
  }
  const placeholder = new RegExp(`<(${TABLE_LOGICAL_ID}|${BUCKET_LOGICAL_ID})\\.Arn>`);
  const ids = logicalId === undefined ? family.ids : family.ids.map((id) => id.replace(placeholder, `<${logicalId}.Arn>`));
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason: family.reason })));
}

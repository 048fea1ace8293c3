/**
 * Every finding checkov, the Control Tower proactive controls and cfn-lint (with cfn-lint-serverless) report on the
 * scanned stacks (test/compliance/scanned-stacks.ts), each a deliberate trade-off or a known false positive, with
 * where it is, why, and what clears it. test/compliance/scanners.emulator.test.ts fails on any finding not listed here and on
 * any entry no scanner reports any more; docs/compliance.md lists the same ids.
 */

/** Where a finding is: resource (construct path below the stack's top construct) -> the stacks that hold it. */
export type FindingLocations = Readonly<Record<string, readonly string[]>>;

export interface ToleratedScannerFinding {
  readonly scanner: 'checkov' | 'control-tower' | 'cfn-lint';
  readonly id: string;
  readonly locations: FindingLocations;
  /** Why the finding stays. */
  readonly reason: string;
  /** The prop that turns the finding off, or why none can. */
  readonly clearedBy: string;
}

const DEV = 'orders-dev';
const STAGING = 'orders-staging';
const PROD = 'orders-prod';
const SERVICE = 'default-serverless-service';
/** Stacks holding a ServerlessService. */
const SERVICES = [DEV, STAGING, PROD, SERVICE];
/** Service stacks with StackProtection (the STAGING and PROD presets turn it on). */
const PROTECTED = [STAGING, PROD];
/** Service stacks whose stage keeps logs for less than a year (DEV is the default stage). */
const SHORT_LOG_RETENTION = [DEV, STAGING, SERVICE];

/** Service stacks on a DESTROY stage (DEV is the default stage): their buckets are emptied on deletion. */
const DESTROY_STAGES = [DEV, SERVICE];

/** The library's functions that take a `vpc` (through their construct or ServerlessService), with the stacks holding them. */
const VPC_CAPABLE_FUNCTIONS: FindingLocations = {
  'Function': ['default-encrypted-function'],
  'Handler/Function': SERVICES,
  'SecretRotation/Handler/Function': SERVICES,
  'StackPolicyHandler/Function': ['default-stack-protection'],
  'Protection/StackPolicyHandler/Function': PROTECTED,
};

/** The bucket-emptying function of `autoDeleteObjects`: ServerlessService turns it on in DESTROY stages. */
const BUCKET_EMPTYING_FUNCTION: FindingLocations = { 'Artifacts/EmptyOnDelete/Handler/Function': DESTROY_STAGES };

/** Every Lambda function of the scanned stacks, by its construct path, with the stacks holding it. */
const FUNCTIONS: FindingLocations = { ...VPC_CAPABLE_FUNCTIONS, ...BUCKET_EMPTYING_FUNCTION };

/** The dead-letter queue of every function. */
const DEAD_LETTER_QUEUES: FindingLocations = Object.fromEntries(Object.entries(FUNCTIONS)
  .map(([path, stacks]) => [path.replace(/Function$/, 'DeadLetterQueue'), stacks]));

/** The server access-log bucket of every ArtifactBucket. */
const ACCESS_LOG_BUCKETS: FindingLocations = { 'AccessLogs': ['default-artifact-bucket'], 'Artifacts/AccessLogs': SERVICES };

const OUTSIDE_VPC = {
  reason: 'Outside a VPC unless one is given: the functions call only AWS APIs, over TLS with IAM-signed requests, and hold no network-reachable data.',
  clearedBy: '`vpc` (EncryptedFunction, StackProtection, ServerlessService)',
};

const EMPTYING_OUTSIDE_VPC = {
  reason: 'The bucket-emptying function runs only when CloudFormation deletes a development stage\'s buckets; it calls only the S3 API, '
    + 'over TLS with IAM-signed requests, and holds no data.',
  clearedBy: 'a stage that keeps its data (STAGING, PROD), which has no bucket-emptying function',
};

const END_OF_FAILURE_CHAIN = {
  reason: 'The queue is the dead-letter queue at the end of a function\'s failure chain; a redrive policy would need another queue with the same finding.',
  clearedBy: 'EncryptedFunction `onFailureQueue` (a queue of yours); none for the helper functions',
};

/** The dead-letter queue of the alarm email subscription: the example stacks all give `alarmEmail`. */
const ALARM_DEAD_LETTER_QUEUES: FindingLocations = { AlarmDeadLetterQueue: [DEV, STAGING, PROD] };

const END_OF_ALARM_DELIVERY = {
  reason: 'The queue is the dead-letter queue of the alarm email subscription, where SNS leaves what it could not deliver; a redrive policy would need another queue with the same finding.',
  clearedBy: '`alarmTopic` (your own topic and subscriptions) instead of `alarmEmail` (ServerlessService)',
};

const LOGGING_INTO_ITSELF = {
  reason: 'This is the server access-log bucket: logging it into itself would loop.',
  clearedBy: 'none',
};

export const TOLERATED_SCANNER_FINDINGS: readonly ToleratedScannerFinding[] = [
  // checkov
  {
    scanner: 'checkov',
    id: 'CKV_AWS_115',
    locations: {
      ...FUNCTIONS,
      // STAGING and PROD reserve concurrency for the items handler.
      'Handler/Function': DESTROY_STAGES,
    },
    reason: 'No reserved concurrency by default, nor in DEV, nor for the helper functions: Lambda lets one reserve only the unreserved account concurrency minus 100, nothing in a new account.',
    clearedBy: '`reservedConcurrentExecutions` (EncryptedFunction; ServerlessService takes the stage\'s reserved concurrency); none for the helper functions',
  },
  { scanner: 'checkov', id: 'CKV_AWS_117', locations: VPC_CAPABLE_FUNCTIONS, ...OUTSIDE_VPC },
  { scanner: 'checkov', id: 'CKV_AWS_117', locations: BUCKET_EMPTYING_FUNCTION, ...EMPTYING_OUTSIDE_VPC },
  {
    scanner: 'checkov',
    id: 'CKV_AWS_120',
    locations: {
      'Api/DeploymentStage.prod': ['default-validated-rest-api'],
      'Api/Api/DeploymentStage.dev': [DEV, SERVICE],
      'Api/Api/DeploymentStage.staging': [STAGING],
      'Api/Api/DeploymentStage.prod': [PROD],
    },
    reason: 'No API cache by default: a cache cluster is billed by the hour and serves stale reads of items that change; no preset turns it on.',
    clearedBy: '`cache` (ValidatedRestApi); the stage\'s API cache setting (ServerlessService)',
  },
  { scanner: 'checkov', id: 'CKV_AWS_18', locations: ACCESS_LOG_BUCKETS, ...LOGGING_INTO_ITSELF },
  {
    scanner: 'checkov',
    id: 'CKV_AWS_59',
    locations: { 'Api/Default/health/GET': ['default-validated-rest-api'], 'Api/Api/Default/health/GET': SERVICES },
    reason: 'The health route is a MOCK integration answering a constant, so load balancers and uptime monitors can call it unsigned; it reaches no back end.',
    clearedBy: '`healthCheckAuthorization` or `healthCheck: false` (ValidatedRestApi)',
  },

  // AWS Control Tower proactive controls
  {
    scanner: 'control-tower',
    id: 'CT.CLOUDWATCH.PR.1',
    locations: {
      ReadThrottleAlarm: ['default-secure-table'],
      WriteThrottleAlarm: ['default-secure-table'],
      SystemErrorsAlarm: ['default-secure-table'],
      ErrorsAlarm: ['default-encrypted-function'],
      ThrottlesAlarm: ['default-encrypted-function'],
      DurationAlarm: ['default-encrypted-function'],
    },
    reason: 'No alarm action given: the alarms are exposed (`alarms`) for the consumer to route; ServerlessService routes them to its topic.',
    clearedBy: '`alarmActions` (SecureTable, EncryptedFunction)',
  },
  {
    scanner: 'control-tower',
    id: 'CT.CLOUDWATCH.PR.2',
    locations: {
      'Api/AccessLogs': SHORT_LOG_RETENTION,
      'Api/ExecutionLogs': SHORT_LOG_RETENTION,
      'Api/WebAcl/Logs': [STAGING],
      'Handler/LogGroup': SHORT_LOG_RETENTION,
      'SecretRotation/Handler/LogGroup': SHORT_LOG_RETENTION,
      'Protection/StackPolicyHandler/LogGroup': [STAGING],
    },
    reason: 'The DEV and STAGING presets keep logs for less than a year to save cost; PROD and the constructs\' defaults keep them a year.',
    clearedBy: 'the stage\'s log retention (a custom DeploymentStage, or PROD)',
  },
  {
    scanner: 'control-tower',
    id: 'CT.LAMBDA.PR.2',
    locations: Object.fromEntries(['items/GET', 'items/POST', 'items/{id}/GET', 'items/{id}/PUT', 'items/{id}/DELETE']
      .map((route) => [`Api/Api/Default/${route}/ApiPermission`, SERVICES])),
    reason: 'False positive: API Gateway\'s invoke permission is limited to the route by a SourceArn, which must be a Fn::Join of the API id and stage; the rule accepts only a literal or a bare Ref/GetAtt.',
    clearedBy: 'none',
  },
  { scanner: 'control-tower', id: 'CT.LAMBDA.PR.3', locations: VPC_CAPABLE_FUNCTIONS, ...OUTSIDE_VPC },
  { scanner: 'control-tower', id: 'CT.LAMBDA.PR.3', locations: BUCKET_EMPTYING_FUNCTION, ...EMPTYING_OUTSIDE_VPC },
  {
    scanner: 'control-tower',
    id: 'CT.S3.PR.10',
    locations: ACCESS_LOG_BUCKETS,
    reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3, not SSE-KMS.',
    clearedBy: 'none',
  },
  { scanner: 'control-tower', id: 'CT.S3.PR.2', locations: ACCESS_LOG_BUCKETS, ...LOGGING_INTO_ITSELF },
  {
    scanner: 'control-tower',
    id: 'CT.S3.PR.4',
    locations: { 'Bucket': ['default-artifact-bucket'], 'Artifacts/Bucket': SERVICES, ...ACCESS_LOG_BUCKETS },
    reason: 'No event notifications: nothing in the library consumes object events, and a notification needs a target (EventBridge, SQS, SNS, Lambda) someone reads.',
    clearedBy: 'a notification on the `bucket` escape hatch, e.g. `bucket.addEventNotification(...)`',
  },
  {
    scanner: 'control-tower',
    id: 'CT.S3.PR.9',
    locations: { 'Bucket': ['default-artifact-bucket'], 'Artifacts/Bucket': SERVICES },
    reason: 'Object lock is opt-in: locked versions outlive the noncurrent-version lifecycle and cannot be emptied from development stages.',
    clearedBy: '`objectLockDefaultRetention` (ArtifactBucket)',
  },
  {
    scanner: 'control-tower',
    id: 'CT.S3.PR.9',
    locations: ACCESS_LOG_BUCKETS,
    reason: 'S3 server access logging does not deliver to a bucket with a default object-lock retention.',
    clearedBy: 'none',
  },
  { scanner: 'control-tower', id: 'CT.SQS.PR.1', locations: DEAD_LETTER_QUEUES, ...END_OF_FAILURE_CHAIN },
  { scanner: 'control-tower', id: 'CT.SQS.PR.1', locations: ALARM_DEAD_LETTER_QUEUES, ...END_OF_ALARM_DELIVERY },

  // cfn-lint with cfn-lint-serverless
  { scanner: 'cfn-lint', id: 'ES6000', locations: DEAD_LETTER_QUEUES, ...END_OF_FAILURE_CHAIN },
  { scanner: 'cfn-lint', id: 'ES6000', locations: ALARM_DEAD_LETTER_QUEUES, ...END_OF_ALARM_DELIVERY },
  {
    scanner: 'cfn-lint',
    id: 'W3005',
    locations: FUNCTIONS,
    reason: 'aws-cdk-lib\'s lambda.Function always adds a DependsOn on its role beside the GetAtt of the role\'s ARN; the library adds no redundant dependency of its own.',
    clearedBy: 'none (generated by aws-cdk-lib)',
  },
  {
    scanner: 'cfn-lint',
    id: 'WS1004',
    locations: FUNCTIONS,
    reason: 'False positive: the rule looks for a log group named /aws/lambda/<function>; each function logs to its own KMS-encrypted log group with retention, set by LoggingConfig.LogGroup.',
    clearedBy: 'none',
  },
  {
    scanner: 'cfn-lint',
    id: 'ES1007',
    // EventBridge's permission to invoke the stack-policy function; its id embeds the stack name.
    locations: {
      'AfterDeployment/AllowEventRuledefaultstackprotectionProtectionStackPolicyHandlerFunction1F35FBD4': ['default-stack-protection'],
      'Protection/AfterDeployment/AllowEventRuleordersstagingOrdersProtectionStackPolicyHandlerFunctionD6F88CFC': [STAGING],
      'Protection/AfterDeployment/AllowEventRuleordersprodOrdersProtectionStackPolicyHandlerFunctionD8C6F252': [PROD],
    },
    reason: 'False positive: the stack-policy function has an EventInvokeConfig with an on-failure destination (its dead-letter queue); the rule matches it only when both name the function the same way, and aws-cdk-lib names it by ARN in the permission and by name in the config.',
    clearedBy: 'none',
  },
];

/** One line per (scanner, id, resource, stack) of the tolerated findings. */
export function toleratedFindingLines(): string[] {
  return TOLERATED_SCANNER_FINDINGS.flatMap((finding) => Object.entries(finding.locations)
    .flatMap(([resource, stacks]) => stacks.map((stack) => `${finding.scanner} ${finding.id} ${resource} @ ${stack}`)));
}

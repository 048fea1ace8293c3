import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ArtifactBucket, EncryptedFunction, SecureTable, ServerlessService, StackProtection, ValidatedRestApi } from '../../src';
import { acknowledgedRuleIdsByPath } from '../harness/acknowledged';

// Pinned by hand from what AWS and the cdk-nag packs make unavoidable with default props, construct by construct;
// a new or lost acknowledgement fails here. cdk-nag's CloudWatchAlarmAction rule is in the HIPAA and NIST packs only,
// S3DefaultEncryptionKMS and the APIGWSSLEnabled / LambdaConcurrency rules are not in NIST 800-53 R4.
const ALARM_WITHOUT_ACTION = ['HIPAA.Security-CloudWatchAlarmAction', 'NIST.800.53.R4-CloudWatchAlarmAction', 'NIST.800.53.R5-CloudWatchAlarmAction'];
const LAMBDA_OUTSIDE_VPC = ['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R4-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC'];
const NO_REPLICATION = ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R4-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled'];
const NO_OBJECT_LOCK = ['NIST.800.53.R4-S3BucketDefaultLockEnabled'];
// The access-log bucket: SSE-S3 only, not logged into itself.
const ACCESS_LOG_BUCKET = [
  'AwsSolutions-S1',
  'HIPAA.Security-S3BucketLoggingEnabled', 'NIST.800.53.R4-S3BucketLoggingEnabled', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'PCI.DSS.321-S3BucketLoggingEnabled',
  'HIPAA.Security-S3DefaultEncryptionKMS', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS',
  ...NO_OBJECT_LOCK, ...NO_REPLICATION,
];
// X-Ray's Put actions take no resource ARN.
const XRAY_WILDCARD = ['AwsSolutions-IAM5[Resource::*]'];
const DLQ_WITHOUT_REDRIVE = ['Serverless-SQSRedrivePolicy'];
// No reserved concurrency: Lambda leaves at most the unreserved value minus 100 to reserve, nothing in a new account.
const NO_RESERVED_CONCURRENCY = ['HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency'];
// A function (EncryptedFunction or helper) outside a VPC and without reservation: its DLQ, X-Ray policy and function.
const FUNCTION_PARTS = (path: string) => ({
  [`${path}/DeadLetterQueue`]: DLQ_WITHOUT_REDRIVE,
  [`${path}/Role/ResourceWildcardPolicy`]: XRAY_WILDCARD,
  [`${path}/Function`]: [...LAMBDA_OUTSIDE_VPC, ...NO_RESERVED_CONCURRENCY],
});
const STAGE_WITHOUT_CACHE_OR_CLIENT_CERTIFICATE = [
  'HIPAA.Security-APIGWCacheEnabledAndEncrypted', 'NIST.800.53.R4-APIGWCacheEnabledAndEncrypted', 'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted', 'PCI.DSS.321-APIGWCacheEnabledAndEncrypted',
  'HIPAA.Security-APIGWSSLEnabled', 'NIST.800.53.R5-APIGWSSLEnabled', 'PCI.DSS.321-APIGWSSLEnabled',
];
const OPEN_HEALTH_ROUTE = ['AwsSolutions-APIG4', 'AwsSolutions-COG4'];
const IAM_AUTHORIZED_METHOD = ['AwsSolutions-COG4'];

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** The acknowledged ids by relative path, each list sorted, to compare with a hand-written expectation. */
function sortedValues(expected: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(expected).map(([path, ids]) => [path, [...ids].sort()]));
}

describe('acknowledged cdk-nag findings with default props', () => {
  test('SecureTable: its three alarms have no action', () => {
    const table = new SecureTable(newStack(), 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    expect(acknowledgedRuleIdsByPath(table)).toEqual(sortedValues({
      ReadThrottleAlarm: ALARM_WITHOUT_ACTION,
      WriteThrottleAlarm: ALARM_WITHOUT_ACTION,
      SystemErrorsAlarm: ALARM_WITHOUT_ACTION,
    }));
  });

  test('ArtifactBucket: no replication or object lock; the access-log bucket', () => {
    const artifacts = new ArtifactBucket(newStack(), 'Artifacts');
    expect(acknowledgedRuleIdsByPath(artifacts)).toEqual(sortedValues({
      Bucket: [...NO_REPLICATION, ...NO_OBJECT_LOCK],
      AccessLogs: ACCESS_LOG_BUCKET,
    }));
  });

  test('EncryptedFunction: outside a VPC, no reserved concurrency, alarms without action, X-Ray, its DLQ', () => {
    const fn = new EncryptedFunction(newStack(), 'Fn', { code: lambda.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' });
    expect(acknowledgedRuleIdsByPath(fn)).toEqual(sortedValues({
      'Function': [...LAMBDA_OUTSIDE_VPC, ...NO_RESERVED_CONCURRENCY],
      'Role/ResourceWildcardPolicy': XRAY_WILDCARD,
      'DeadLetterQueue': DLQ_WITHOUT_REDRIVE,
      'ErrorsAlarm': ALARM_WITHOUT_ACTION,
      'ThrottlesAlarm': ALARM_WITHOUT_ACTION,
      'DurationAlarm': ALARM_WITHOUT_ACTION,
    }));
  });

  test('ValidatedRestApi: a stage without cache or client certificate, the open health route', () => {
    const api = new ValidatedRestApi(newStack(), 'Api', {});
    expect(acknowledgedRuleIdsByPath(api)).toEqual(sortedValues({
      'Api/DeploymentStage.prod': STAGE_WITHOUT_CACHE_OR_CLIENT_CERTIFICATE,
      'Api/Default/health/GET': OPEN_HEALTH_ROUTE,
    }));
  });

  test('StackProtection: its stack-policy helper function', () => {
    const protection = new StackProtection(newStack(), 'Protection', {});
    expect(acknowledgedRuleIdsByPath(protection)).toEqual(sortedValues(FUNCTION_PARTS('StackPolicyHandler')));
  });

  test('ServerlessService: the parts above, with the alarms routed to its topic, the account CloudWatch role; DEV reserves no concurrency', () => {
    const service = new ServerlessService(newStack(), 'Orders', { serviceName: 'orders' });
    const items = ['items/POST', 'items/GET', 'items/{id}/GET', 'items/{id}/PUT', 'items/{id}/DELETE'];
    expect(acknowledgedRuleIdsByPath(service)).toEqual(sortedValues({
      ...FUNCTION_PARTS('SecretRotation/Handler'),
      ...FUNCTION_PARTS('Handler'),
      // DEV empties its buckets with the library's helper function, acknowledged like every helper function.
      ...FUNCTION_PARTS('Artifacts/EmptyOnDelete/Handler'),
      // Emptying deletes every object version: the statement is scoped to the two buckets' objects.
      'Artifacts/EmptyOnDelete/Handler/Role/Policy': ['<OrdersArtifactsAccessLogs7E5C0082.Arn>/*', '<OrdersArtifactsBucketF34EFDD9.Arn>/*']
        .map((resource) => `AwsSolutions-IAM5[Resource::${resource}]`),
      'Artifacts/Bucket': [...NO_REPLICATION, ...NO_OBJECT_LOCK],
      'Artifacts/AccessLogs': ACCESS_LOG_BUCKET,
      // The service sets the region's API Gateway CloudWatch role by default: its policy covers every API's log groups.
      'Api/AccountCloudWatchRole/Policy': ['AwsSolutions-IAM5[Resource::*]'],
      'Api/Api/DeploymentStage.dev': STAGE_WITHOUT_CACHE_OR_CLIENT_CERTIFICATE,
      'Api/Api/Default/health/GET': OPEN_HEALTH_ROUTE,
      ...Object.fromEntries(items.map((method) => [`Api/Api/Default/${method}`, IAM_AUTHORIZED_METHOD])),
    }));
  });
});

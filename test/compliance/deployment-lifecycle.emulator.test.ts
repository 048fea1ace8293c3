import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { ArtifactBucket, DeploymentStage, DeploymentStageProps, SecureTable, SecureTableProps, ServerlessService, ServerlessServiceProps, ValidatedRestApi, ValidatedRestApiProps } from '../../src';
import { CfnTemplate, replacedOrRemoved } from '../harness/resource-schemas';

// What holds data: a replacement would create an empty resource and delete (or orphan) the old one.
const STATEFUL_TYPES = new Set([
  'AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::SecretsManager::Secret',
  'AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::Backup::BackupVault',
]);
// DeletionPolicy values that keep the resource when CloudFormation removes it from the stack
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
const KEEPING_POLICIES = new Set(['Retain', 'RetainExceptOnCreate']);
const ENV = { account: '111111111111', region: 'us-east-1' };

function synthesized(build: (stack: Stack) => void): CfnTemplate {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  build(stack);
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

/** The stateful resources the change replaces, and those it removes while their policy deletes them. */
function dataLost(before: CfnTemplate, after: CfnTemplate): string[] {
  return replacedOrRemoved(before, after)
    .filter((c) => STATEFUL_TYPES.has(c.type))
    .filter((c) => c.change === 'replaced' || !KEEPING_POLICIES.has(c.deletionPolicy))
    .map((c) => `${c.change} ${c.type} ${c.logicalId} ${c.properties.join(',')}`);
}

const service = (props: Partial<ServerlessServiceProps>) => (stack: Stack) => {
  new ServerlessService(stack, 'Orders', { serviceName: 'orders', ...props });
};
const table = (props: Partial<SecureTableProps>) => (stack: Stack) => {
  new SecureTable(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, ...props });
};
const api = (props: ValidatedRestApiProps) => (stack: Stack) => {
  new ValidatedRestApi(stack, 'Api', props);
};
const staging = (changes: Omit<DeploymentStageProps, 'name'>) =>
  DeploymentStage.custom({ name: 'staging', basedOn: DeploymentStage.STAGING, ...changes });
const REPLICA_KEY = 'arn:aws:kms:us-west-2:111111111111:key/11111111-2222-3333-4444-555555555555';

describe('the changes a user makes replace no stateful resource (createOnlyProperties of cfn-lint\'s provider schemas)', () => {
  test('DEV -> STAGING replaces only the execution log group, which API Gateway names after the stage, and drops DEV\'s bucket emptying', () => {
    // API Gateway writes execution logs to "API-Gateway-Execution-Logs_{rest-api-id}/{stage-name}"
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html): the stage is renamed dev ->
    // staging, so the group is too; the old one holds only DEV logs, which DEV's DESTROY policy declares disposable.
    // STAGING keeps its buckets, so DEV's bucket-emptying function goes, with its log group and dead-letter queue: they
    // hold only what that function logged, and it runs only when the buckets are deleted.
    const lost = dataLost(synthesized(service({ stage: DeploymentStage.DEV })), synthesized(service({ stage: DeploymentStage.STAGING })));
    expect(lost).toEqual([
      expect.stringMatching(/^removed AWS::SQS::Queue OrdersArtifactsEmptyOnDeleteHandlerDeadLetterQueue\w+ $/),
      expect.stringMatching(/^removed AWS::Logs::LogGroup OrdersArtifactsEmptyOnDeleteHandlerLogGroup\w+ $/),
      expect.stringMatching(/^replaced AWS::Logs::LogGroup OrdersApiExecutionLogs\w+ \/properties\/LogGroupName$/),
    ]);
  });

  test.each<[string, (stack: Stack) => void, (stack: Stack) => void]>([
    ['changing the handler memory', service({ stage: DeploymentStage.STAGING }),
      service({ stage: staging({ handlerFunction: { ...DeploymentStage.STAGING.handlerFunction, memorySize: 2048 } }) })],
    ['changing the API throttling', service({ stage: DeploymentStage.STAGING }),
      service({ stage: staging({ api: { ...DeploymentStage.STAGING.api, throttling: { rateLimit: 300, burstLimit: 600 } } }) })],
    ['turning stack protection off', service({ stage: DeploymentStage.STAGING }), service({ stage: DeploymentStage.STAGING, protection: false })],
    ['adding a replica', table({}), table({ replicaRegions: ['us-west-2'], replicaKeyArns: { 'us-west-2': REPLICA_KEY } })],
    ['adding a GSI', table({}), table({ globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } }] })],
    ['removing the cache', api({ cache: { ttl: Duration.minutes(1) } }), api({})],
  ])('%s', (_change, before, after) => {
    expect(dataLost(synthesized(before), synthesized(after))).toEqual([]);
  });

  test('the oracle sees a replacement: a new bucket name replaces the bucket (BucketName is create-only)', () => {
    const changes = replacedOrRemoved(
      synthesized((stack) => new ArtifactBucket(stack, 'Artifacts', { bucketName: 'orders-artifacts-a' })),
      synthesized((stack) => new ArtifactBucket(stack, 'Artifacts', { bucketName: 'orders-artifacts-b' })),
    );
    expect(changes.map((c) => [c.type, c.change, c.properties])).toContainEqual(['AWS::S3::Bucket', 'replaced', ['/properties/BucketName']]);
  });
});

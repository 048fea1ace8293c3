import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ArtifactBucket, SecureTable, TableCapacity } from '../../src';
import { untoleratedCfnLintFindings } from '../harness/cfn-lint';
import { findingsUnder, runNagPacks } from '../harness/nag';

function newStack(): { app: App; stack: Stack } {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, 'Storage', { env: { account: '123456789012', region: 'us-east-1' } });
  return { app, stack };
}

const partitionKey = { name: 'id', type: dynamodb.AttributeType.STRING };

describe('SecureTable compliance', () => {
  test('default props: no nag finding under the construct, cfn-lint clean', () => {
    const { app, stack } = newStack();
    new SecureTable(stack, 'Table', { partitionKey });
    expect(findingsUnder(runNagPacks(app), 'Storage/Table')).toEqual([]);
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });

  test('provisioned capacity, backup plan, stream, TTL and an index: no nag finding, cfn-lint clean', () => {
    const { app, stack } = newStack();
    new SecureTable(stack, 'Table', {
      partitionKey,
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      capacity: TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5 }),
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: 'expiresAt',
      globalSecondaryIndexes: [{ indexName: 'byOwner', partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } }],
      backup: {},
    });
    expect(findingsUnder(runNagPacks(app), 'Storage/Table')).toEqual([]);
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });

  test('a given service key, alarm actions and a replica, as ServerlessService wires it: no nag finding, cfn-lint clean', () => {
    const { app, stack } = newStack();
    const serviceKey = new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'AlarmTopic', { masterKey: serviceKey, enforceSSL: true });
    new SecureTable(stack, 'Table', {
      partitionKey,
      encryptionKey: serviceKey,
      alarmActions: [new cloudwatchActions.SnsAction(topic)],
      replicaRegions: ['us-west-2'],
      replicaKeyArns: { 'us-west-2': 'arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555' },
    });
    expect(findingsUnder(runNagPacks(app), 'Storage/Table')).toEqual([]);
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON(), ['us-east-1', 'us-west-2'])).toEqual([]);
  });
});

describe('ArtifactBucket compliance', () => {
  test('default props: no nag finding under the construct, cfn-lint clean', () => {
    const { app, stack } = newStack();
    new ArtifactBucket(stack, 'Artifacts');
    expect(findingsUnder(runNagPacks(app), 'Storage/Artifacts')).toEqual([]);
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });

  test('a given key and object lock: no nag finding, cfn-lint clean', () => {
    const { app, stack } = newStack();
    new ArtifactBucket(stack, 'Artifacts', {
      encryptionKey: new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true }),
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(30)),
    });
    expect(findingsUnder(runNagPacks(app), 'Storage/Artifacts')).toEqual([]);
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });
});

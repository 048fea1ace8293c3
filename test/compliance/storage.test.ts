import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
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
});

describe('ArtifactBucket compliance', () => {
  test('default props: no nag finding under the construct, cfn-lint clean', () => {
    const { app, stack } = newStack();
    new ArtifactBucket(stack, 'Artifacts');
    expect(findingsUnder(runNagPacks(app), 'Storage/Artifacts')).toEqual([]);
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });
});

import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SecureTable } from '../../src';
import { cfnLintRegions } from '../harness/resource-schemas';

const ENV = { account: '111111111111', region: 'us-east-1' };
const keyIn = (region: string) => `arn:aws:kms:${region}:111111111111:key/11111111-2222-3333-4444-555555555555`;

test('every region cfn-lint knows is accepted as a replica region', () => {
  const regions = cfnLintRegions().filter((region) => region !== ENV.region);
  expect(regions.length).toBeGreaterThan(25);
  expect(regions).toEqual(expect.arrayContaining(['us-gov-west-1', 'eusc-de-east-1']));
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  new SecureTable(stack, 'Table', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    replicaRegions: regions,
    replicaKeyArns: Object.fromEntries(regions.map((region) => [region, keyIn(region)])),
  });
  expect(() => Template.fromStack(stack)).not.toThrow();
});

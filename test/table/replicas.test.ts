import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServerlessService } from '../../src';

const ENV = { account: '111111111111', region: 'us-east-1' };
const keyIn = (region: string) => `arn:aws:kms:${region}:111111111111:key/11111111-2222-3333-4444-555555555555`;

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

describe('ServerlessService replicaRegions', () => {
  test('replicates the items table with the key given for each replica region', () => {
    const stack = newStack();
    new ServerlessService(stack, 'Orders', {
      serviceName: 'orders',
      replicaRegions: ['us-west-2', 'eu-west-1'],
      replicaKeyArns: { 'us-west-2': keyIn('us-west-2'), 'eu-west-1': keyIn('eu-west-1') },
    });
    const table = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))[0] as any;
    const replicas = Object.fromEntries(table.Properties.Replicas.map((r: any) => [r.Region, r.SSESpecification?.KMSMasterKeyId]));
    expect(replicas['us-west-2']).toBe(keyIn('us-west-2'));
    expect(replicas['eu-west-1']).toBe(keyIn('eu-west-1'));
    expect(Object.keys(replicas).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
  });

  test('without a key for a replica region the error names replicaKeyArns and the region', () => {
    expect(() => new ServerlessService(newStack(), 'Orders', { serviceName: 'orders', replicaRegions: ['us-west-2'] }))
      .toThrow(/replicaKeyArns has no key for replica region us-west-2; .* so give the ARN of a key in us-west-2 \(replicaKeyArns: \{ 'us-west-2': 'arn:aws:kms:us-west-2:\.\.\.' \}\)/);
  });

  test('a mistyped region is named with the prop and the valid form', () => {
    expect(() => new ServerlessService(newStack(), 'Orders', {
      serviceName: 'orders', replicaRegions: ['us-east1'], replicaKeyArns: { 'us-east1': keyIn('us-east-1') },
    })).toThrow('replicaRegions entry "us-east1" is not an AWS Region name; write it as area-direction-number, e.g. us-east-1');
  });

  test('a duplicate region is named with the prop', () => {
    expect(() => new ServerlessService(newStack(), 'Orders', {
      serviceName: 'orders', replicaRegions: ['us-west-2', 'us-west-2'], replicaKeyArns: { 'us-west-2': keyIn('us-west-2') },
    })).toThrow('replicaRegions lists us-west-2 twice');
  });

  test('a replica key from another region is named with the prop and both regions', () => {
    // DynamoDB encrypts each replica with a KMS key in the replica's own region (KMS keys are regional).
    expect(() => new ServerlessService(newStack(), 'Orders', {
      serviceName: 'orders', replicaRegions: ['us-west-2'], replicaKeyArns: { 'us-west-2': keyIn('eu-west-1') },
    })).toThrow("replicaKeyArns['us-west-2'] is a key in eu-west-1; a replica is encrypted only with a key of its own region");
  });
});

import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** A customer-managed KMS key with yearly automatic rotation, as every construct of this library creates by default. */
export function createRotatedKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy,
  });
}

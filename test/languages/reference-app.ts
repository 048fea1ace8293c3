import { App, Environment, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SecureTable } from '../../src';

/**
 * The TypeScript original of the consumer apps in python/, java/: the same stacks with the same props.
 * Each consumer's templates must equal these (after normalizing asset hashes).
 */
export function synthesizeReferenceApp(outdir: string): void {
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const env: Environment = { account: '123456789012', region: 'us-east-1' };

  const tableStack = new Stack(app, 'SecureTableStack', { env });
  new SecureTable(tableStack, 'Orders', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  });

  app.synth();
}

/** The stacks every consumer app synthesizes. */
export const REFERENCE_STACKS = ['SecureTableStack'];

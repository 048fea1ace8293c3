import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Read, readAuthorizations, readService, readStages, readTable } from './public-reads';
import { buildExampleApp } from '../../examples/service-app';
import { SecureTable, ServerlessService } from '../../src';

/** Where every consumer app deploys (fixed, so synthesis needs no AWS lookup). */
const ENV = { account: '123456789012', region: 'us-east-1' };

/**
 * The TypeScript originals of the consumer apps in python/, java/ and go/: the prod stack of the example app
 * (examples/service-app.ts) and a standalone SecureTable. Each consumer's templates must equal these, and so must
 * what it reads through the public API after synthesis (public-reads.ts), returned here.
 */
export function synthesizeReferenceApp(outdir: string): Record<string, Read> {
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const { prod } = buildExampleApp(app, { env: ENV });

  const tableStack = new Stack(app, 'SecureTableStack', { env: ENV });
  const table = new SecureTable(tableStack, 'Orders', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  });

  app.synth();
  return {
    stages: readStages(app, prod),
    authorizations: readAuthorizations(prod),
    ...readService(prod.node.findChild('Orders') as ServerlessService),
    secureTable: readTable(table),
  };
}

/** The stacks every consumer app synthesizes. */
export const REFERENCE_STACKS = ['orders-prod', 'SecureTableStack'];

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { buildExampleApp } from '../../examples/service-app';
import { ArtifactBucket, EncryptedFunction, SecureTable, ServerlessService, StackProtection, ValidatedRestApi } from '../../src';
import { bundledHandlerCode } from '../../src/core/bundled-code';

/** The account and region every scanned stack synthesizes for. */
export const SCANNED_ENV = { account: '111111111111', region: 'eu-west-1' };

/**
 * The stacks a platform team's review scans: the example app's dev, staging and prod stacks, and one stack per public
 * construct with default props (the few required ones aside).
 */
export function buildScannedApp(): App {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  buildExampleApp(app, { env: SCANNED_ENV });
  const stack = (name: string) => new Stack(app, name, { env: SCANNED_ENV });
  new SecureTable(stack('default-secure-table'), 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  new ArtifactBucket(stack('default-artifact-bucket'), 'Artifacts');
  new EncryptedFunction(stack('default-encrypted-function'), 'Function', { code: bundledHandlerCode('items'), handler: 'index.handler' });
  new ValidatedRestApi(stack('default-validated-rest-api'), 'Api');
  new StackProtection(stack('default-stack-protection'), 'Protection');
  new ServerlessService(stack('default-serverless-service'), 'Service', { serviceName: 'items' });
  return app;
}

/** A scanned stack: its name and which construct each logical id of its template belongs to. */
export interface ScannedStack {
  readonly stackName: string;
  /**
   * The resource's construct path below the stack's one top-level construct, without `/Resource`
   * (`Handler/Function` for `orders-prod/Orders/Handler/Function/Resource`), so that it names the same resource in
   * every stack; API Gateway's per-route permission ids, which embed the stack name, end in `ApiPermission`.
   */
  readonly resourceOf: Map<string, string>;
}

/** Writes each stack's template to `<dir>/<stack name>.template.json`. */
export function writeTemplates(app: App, dir: string): ScannedStack[] {
  mkdirSync(dir, { recursive: true });
  const assembly = app.synth();
  for (const artifact of assembly.stacks) {
    writeFileSync(join(dir, `${artifact.stackName}.template.json`), JSON.stringify(artifact.template, undefined, 1));
  }
  return app.node.children.filter(Stack.isStack).map((stack) => {
    const resourceOf = new Map<string, string>();
    for (const construct of stack.node.findAll().filter(CfnResource.isCfnResource)) {
      const path = construct.node.path.split('/').slice(2).join('/')
        .replace(/\/Resource$/, '')
        .replace(/\/ApiPermission\..*$/, '/ApiPermission');
      resourceOf.set(stack.getLogicalId(construct), path);
    }
    return { stackName: stack.stackName, resourceOf };
  });
}

import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EncryptedFunction, ValidatedRestApi } from '../../src';

// The deployment and version ids are pinned when the tree is final; with validation skipped nothing is pinned, so
// aws-cdk-lib's own hash gives the oracle for each id.
const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');

interface Service {
  readonly app: App;
  readonly stack: Stack;
  readonly api: ValidatedRestApi;
  readonly fn: EncryptedFunction;
}

function service(routes: string[]): Service {
  const app = new App();
  const stack = new Stack(app, 'Service', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = new EncryptedFunction(stack, 'Fn', { code, handler: 'index.handler' });
  const api = new ValidatedRestApi(stack, 'Api');
  for (const path of routes) api.addRoute(path, 'GET', fn.alias);
  return { app, stack, api, fn };
}

function templateIds(app: App, stack: Stack, type: string, skipValidation: boolean): string[] {
  const template = app.synth({ skipValidation }).getStackByName(stack.stackName).template;
  return Object.entries<{ Type: string }>(template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
}

function deploymentElement(api: ValidatedRestApi): CfnElement {
  return api.restApi.latestDeployment!.node.defaultChild as CfnElement;
}

describe('hash-derived logical ids', () => {
  test.each([
    ['AWS::ApiGateway::Deployment'],
    ['AWS::Lambda::Version'],
  ])('%s keeps the id aws-cdk-lib computes', (type) => {
    const pinned = service(['/items', '/items/{id}']);
    const computed = service(['/items', '/items/{id}']);
    const ids = templateIds(pinned.app, pinned.stack, type, false);
    expect(ids).toHaveLength(1);
    expect(ids).toEqual(templateIds(computed.app, computed.stack, type, true));
  });

  test('the deployment id still follows the API: another route gives another id', () => {
    const one = service(['/items']);
    const two = service(['/items', '/items/{id}']);
    expect(templateIds(one.app, one.stack, 'AWS::ApiGateway::Deployment', false))
      .not.toEqual(templateIds(two.app, two.stack, 'AWS::ApiGateway::Deployment', false));
  });

  test('after synthesis the ids are literals: a later hash input no longer changes them', () => {
    const { app, stack, api, fn } = service(['/items']);
    const deployment = deploymentElement(api);
    const version = fn.lambdaFunction.currentVersion.node.defaultChild as CfnElement;
    app.synth();
    const before = [stack.resolve(deployment.logicalId), stack.resolve(version.logicalId)];
    api.restApi.latestDeployment!.addToLogicalId({ changedAfterSynthesis: true });
    fn.lambdaFunction.addEnvironment('CHANGED_AFTER_SYNTHESIS', 'yes');
    expect([stack.resolve(deployment.logicalId), stack.resolve(version.logicalId)]).toEqual(before);
  });

  test('a version exported to another stack keeps its computed id', () => {
    const build = () => {
      const { app, stack, fn } = service(['/items']);
      const consumer = new Stack(app, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
      new apigw.RestApi(consumer, 'Other').root.addMethod('GET', new apigw.LambdaIntegration(fn.lambdaFunction.currentVersion));
      return { app, stack };
    };
    const exported = build();
    const computed = build();
    expect(templateIds(exported.app, exported.stack, 'AWS::Lambda::Version', false))
      .toEqual(templateIds(computed.app, computed.stack, 'AWS::Lambda::Version', true));
  });
});

import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiAuthorization, ValidatedRestApi } from '../../src';
import { untoleratedCfnLintFindings } from '../harness/cfn-lint';
import { findingsUnder, runNagPacks } from '../harness/nag';

function apiStack(configure: (stack: Stack) => ValidatedRestApi) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, 'ApiCompliance', { env: { account: '123456789012', region: 'us-east-1' } });
  const api = configure(stack);
  return { app, stack, api };
}

function handler(stack: Stack): lambda.IFunction {
  const fn = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
  return new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
}

describe('ValidatedRestApi compliance', () => {
  test('a default API with one Lambda route has no unacknowledged nag finding', () => {
    const { app, api } = apiStack((stack) => {
      const restApi = new ValidatedRestApi(stack, 'Api');
      restApi.addRoute('/items', 'POST', handler(stack), { requestSchema: { type: 'object' as any } });
      return restApi;
    });
    expect(findingsUnder(runNagPacks(app), api.node.path)).toEqual([]);
  });

  test('an API with CORS and Cognito authorization has no unacknowledged nag finding', () => {
    const { app, api } = apiStack((stack) => {
      const cognito = require('aws-cdk-lib/aws-cognito');
      const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abc');
      const restApi = new ValidatedRestApi(stack, 'Api', {
        authorization: ApiAuthorization.cognito(pool),
        cors: { allowOrigins: ['https://app.example.com'] },
      });
      restApi.addRoute('/items/{id}', 'GET', handler(stack));
      return restApi;
    });
    expect(findingsUnder(runNagPacks(app), api.node.path)).toEqual([]);
  });

  test('the default API template is cfn-lint clean', () => {
    const { stack } = apiStack((s) => {
      const restApi = new ValidatedRestApi(s, 'Api', { cors: { allowOrigins: ['https://app.example.com'] } });
      restApi.addRoute('/items', 'POST', handler(s));
      return restApi;
    });
    const { Template } = require('aws-cdk-lib/assertions');
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });
});

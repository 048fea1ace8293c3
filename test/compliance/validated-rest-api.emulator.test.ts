import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiAuthorization, ValidatedRestApi, ValidatedRestApiProps } from '../../src';
import { acknowledgedRules } from '../harness/acknowledged';
import { untoleratedCfnLintFindings } from '../harness/cfn-lint';
import { findingsUnder, runNagPacks } from '../harness/nag';

const ITEM_SCHEMA: apigw.JsonSchema = {
  type: apigw.JsonSchemaType.OBJECT,
  required: ['name'],
  properties: { name: { type: apigw.JsonSchemaType.STRING } },
};

/** A stack holding one API with one Lambda route (the function itself is outside the API's construct path). */
function apiStack(props: (stack: Stack) => ValidatedRestApiProps = () => ({})) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, 'ApiCompliance', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
  const api = new ValidatedRestApi(stack, 'Api', props(stack));
  api.addRoute('/items', 'POST', alias, { requestSchema: ITEM_SCHEMA });
  api.addRoute('/items/{id}', 'GET', alias);
  return { app, stack, api };
}

function fullyFeatured(stack: Stack): ValidatedRestApiProps {
  return {
    authorization: ApiAuthorization.cognito(new cognito.UserPool(stack, 'Pool')),
    cors: { allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowCredentials: true },
    cache: { ttl: Duration.minutes(1) },
    customDomain: {
      domainName: 'api.example.com',
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' }),
      basePath: 'v1',
    },
  };
}

/** `<path below the stack> <rule id>` of every acknowledgement recorded in the API's construct subtree, sorted. */
function acknowledgedRulesUnder(api: ValidatedRestApi): string[] {
  const stackPath = `${Stack.of(api).node.path}/`;
  return api.node.findAll().flatMap((construct) =>
    Object.entries(acknowledgedRules(construct)).map(([id, reason]) => {
      expect(reason.length).toBeGreaterThan(40);
      return `${construct.node.path.slice(stackPath.length)} ${id}`;
    }),
  ).sort();
}

describe('ValidatedRestApi compliance', () => {
  test('a default API with Lambda routes has no unacknowledged finding in the six nag packs', () => {
    const { app, api } = apiStack();
    expect(findingsUnder(runNagPacks(app), api.node.path)).toEqual([]);
  });

  test('an API with Cognito, CORS, cache and custom domain has no unacknowledged finding in the six nag packs', () => {
    const { app, api } = apiStack(fullyFeatured);
    expect(findingsUnder(runNagPacks(app), api.node.path)).toEqual([]);
  });

  test('the default API acknowledges exactly the documented findings', () => {
    const { api } = apiStack();
    expect(acknowledgedRulesUnder(api)).toEqual([
      'Api/Api/Default/health/GET AwsSolutions-APIG4',
      'Api/Api/Default/health/GET AwsSolutions-COG4',
      'Api/Api/Default/items/POST AwsSolutions-COG4',
      'Api/Api/Default/items/{id}/GET AwsSolutions-COG4',
      'Api/Api/DeploymentStage.prod HIPAA.Security-APIGWCacheEnabledAndEncrypted',
      'Api/Api/DeploymentStage.prod HIPAA.Security-APIGWSSLEnabled',
      'Api/Api/DeploymentStage.prod NIST.800.53.R4-APIGWCacheEnabledAndEncrypted',
      'Api/Api/DeploymentStage.prod NIST.800.53.R5-APIGWCacheEnabledAndEncrypted',
      'Api/Api/DeploymentStage.prod NIST.800.53.R5-APIGWSSLEnabled',
      'Api/Api/DeploymentStage.prod PCI.DSS.321-APIGWCacheEnabledAndEncrypted',
      'Api/Api/DeploymentStage.prod PCI.DSS.321-APIGWSSLEnabled',
    ]);
  });

  test('the props that remove stage findings leave nothing to acknowledge on the stage', () => {
    const { app, api } = apiStack(() => ({ cache: {}, clientCertificateId: 'abc123' }));
    expect(acknowledgedRulesUnder(api).filter((rule) => rule.includes('DeploymentStage'))).toEqual([]);
    expect(findingsUnder(runNagPacks(app), api.node.path)).toEqual([]);
  });

  test('the account CloudWatch role has no unacknowledged finding and is cfn-lint clean', () => {
    const { app, api, stack } = apiStack(() => ({ accountCloudWatchRole: true }));
    expect(findingsUnder(runNagPacks(app), api.node.path)).toEqual([]);
    expect(acknowledgedRulesUnder(api)).toContain(
      'Api/AccountCloudWatchRole/Policy AwsSolutions-IAM5[Resource::*]',
    );
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });

  test('opting out of the web ACL is reported, not hidden', () => {
    const { app, api } = apiStack(() => ({ createWebAcl: false }));
    const findings = findingsUnder(runNagPacks(app), api.node.path).join('\n');
    expect(findings).toMatch(/AwsSolutions-APIG3/);
    expect(findings).toMatch(/APIGWAssociatedWithWAF/);
  });

  test('the default API template is cfn-lint clean', () => {
    const { stack } = apiStack();
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });

  test('the fully featured API template is cfn-lint clean', () => {
    const { stack } = apiStack(fullyFeatured);
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });
});

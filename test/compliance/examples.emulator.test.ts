import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { buildExampleApp } from '../../examples/service-app';
import { untoleratedCfnLintFindings } from '../harness/cfn-lint';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function exampleApp() {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  return { app, stacks: buildExampleApp(app, { env: ENV }) };
}

describe('example app', () => {
  test('synthesizes dev, staging and prod stacks; prod has the custom domain and its A record', () => {
    const { stacks } = exampleApp();
    expect([stacks.dev, stacks.staging, stacks.prod].map((s) => s.stackName)).toEqual(['orders-dev', 'orders-staging', 'orders-prod']);
    const prod = Template.fromStack(stacks.prod);
    prod.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.example.com', SecurityPolicy: 'TLS_1_2' });
    prod.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'api.example.com', ValidationMethod: 'DNS' });
    prod.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A', HostedZoneId: 'Z0123456789EXAMPLE' });
    // No AAAA: the domain name is not dual-stack (no EndpointConfiguration.IpAddressType "dualstack").
    prod.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Type: 'AAAA' }, 0);
    Template.fromStack(stacks.dev).resourceCountIs('AWS::ApiGateway::DomainName', 0);
  });

  test('prod: AwsSolutions and Serverless packs report no error and no warning on the whole stack', () => {
    const { app } = exampleApp();
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const violations = pack.validateScope(app.node.findChild('orders-prod')).violations;
      expect(violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });

  test.each(['orders-dev', 'orders-staging', 'orders-prod'])('cfn-lint reports nothing but W3005 on %s', (stackName) => {
    const { stacks } = exampleApp();
    const stack = [stacks.dev, stacks.staging, stacks.prod].find((s) => s.stackName === stackName)!;
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON(), [ENV.region])).toEqual([]);
  });
});

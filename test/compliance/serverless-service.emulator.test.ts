import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ApiAuthorization, DeploymentStage, ServerlessService, ServerlessServiceProps } from '../../src';
import { untoleratedCfnLintFindings } from '../harness/cfn-lint';
import { findingsUnder, runNagPacks } from '../harness/nag';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function service(stage: DeploymentStage, extra: (stack: Stack) => Partial<ServerlessServiceProps> = () => ({})) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, `Orders-${stage.name}`, { env: ENV });
  new ServerlessService(stack, 'Orders', { serviceName: 'orders', stage, ...extra(stack) });
  return { app, stack, path: `${stack.node.path}/Orders` };
}

describe('ServerlessService compliance', () => {
  test('prod with default props: no finding in any of the six cdk-nag packs', () => {
    const { app, path } = service(DeploymentStage.PROD);
    expect(findingsUnder(runNagPacks(app), path)).toEqual([]);
  });

  // The README's ServerlessService example as written (PROD with alarmEmail).
  test('prod with alarmEmail (the README example): no finding in any of the six cdk-nag packs', () => {
    const { app, path } = service(DeploymentStage.PROD, () => ({
      cors: { allowOrigins: ['https://app.example.com'] },
      alarmEmail: 'oncall@example.com',
      tags: { 'cost-center': 'orders' },
    }));
    expect(findingsUnder(runNagPacks(app), path)).toEqual([]);
  });

  test('prod inside a VPC with Cognito authorization: no finding in any pack', () => {
    const { app, path } = service(DeploymentStage.PROD, (stack) => ({
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      authorization: ApiAuthorization.cognito(new cognito.UserPool(stack, 'Users')),
    }));
    expect(findingsUnder(runNagPacks(app), path)).toEqual([]);
  });

  test('dev: only the findings the stage documents (no WAF in development)', () => {
    const { app, path } = service(DeploymentStage.DEV);
    const findings = findingsUnder(runNagPacks(app), path).map((f) => f.replace(/ at .*/, ''));
    expect(findings.sort()).toEqual([
      'error NIST.800.53.R5-APIGWAssociatedWithWAF',
      'error PCI.DSS.321-APIGWAssociatedWithWAF',
      'warning AwsSolutions-APIG3',
    ]);
  });

  test.each([DeploymentStage.DEV, DeploymentStage.STAGING, DeploymentStage.PROD].map((s) => [s.name, s] as const))('cfn-lint reports nothing but W3005 on %s', (_name, stage) => {
    const { stack } = service(stage);
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON(), [ENV.region])).toEqual([]);
  });
});

import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { EncryptedFunction, EncryptedFunctionProps } from '../../src';
import { bundledHandlerCode } from '../../src/private/bundled-code';
import { untoleratedCfnLintFindings } from '../harness/cfn-lint';
import { findingsUnder, runNagPacks } from '../harness/nag';

function synth(props: (stack: Stack) => Partial<EncryptedFunctionProps>) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, 'Compliance');
  const fn = new EncryptedFunction(stack, 'Fn', {
    code: bundledHandlerCode('items'),
    handler: 'index.handler',
    ...props(stack),
  });
  return { app, stack, fn };
}

const cases: Array<[string, (stack: Stack) => Partial<EncryptedFunctionProps>]> = [
  ['default props', () => ({})],
  ['a VPC', (stack) => ({ vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) })],
  ['provisioned concurrency, reserved concurrency and a canary rollout', () => ({
    reservedConcurrentExecutions: 20,
    provisionedConcurrency: { minCapacity: 1, maxCapacity: 10 },
    deployment: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  })],
];

describe.each(cases)('EncryptedFunction with %s', (_name, props) => {
  test('has no unacknowledged cdk-nag finding under its path', () => {
    const { app, fn } = synth(props);
    expect(findingsUnder(runNagPacks(app), fn.node.path)).toEqual([]);
  });

  test('passes cfn-lint', () => {
    const { app, stack } = synth(props);
    expect(untoleratedCfnLintFindings(app.synth().getStackByName(stack.stackName).template)).toEqual([]);
  });
});

import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EncryptedFunction, EncryptedFunctionProps } from '../../src';
import { bundledHandlerCode } from '../../src/core/bundled-code';
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
  ['a given key, a secret and alarm actions', (stack) => {
    const key = new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true });
    return {
      encryptionKey: key,
      secrets: { SECRET_ARN: new secretsmanager.Secret(stack, 'Secret', { encryptionKey: key }) },
      alarmActions: [new cloudwatch_actions.SnsAction(new sns.Topic(stack, 'Alarms', { masterKey: key, enforceSSL: true }))],
    };
  }],
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

test('acknowledgements are narrow: wildcards the caller adds are still reported', () => {
  const { app, fn } = synth(() => ({}));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:Get*'], resources: ['*'] }));
  expect(findingsUnder(runNagPacks(app), fn.node.path)).toEqual([
    expect.stringMatching(/^error AwsSolutions-IAM5\[Action::s3:Get\*\] at Compliance\/Fn\/Role\/Policy\/Resource/),
    expect.stringMatching(/^error AwsSolutions-IAM5\[Resource::\*\] at Compliance\/Fn\/Role\/Policy\/Resource/),
  ]);
});

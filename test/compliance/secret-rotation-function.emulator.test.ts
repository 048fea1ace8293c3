import { Template } from 'aws-cdk-lib/assertions';
import { rotatedSecretStack } from '../fixtures/rotated-secret';
import { untoleratedCfnLintFindings } from '../harness/cfn-lint';
import { findingsUnder, runNagPacks } from '../harness/nag';

test('the six cdk-nag packs report nothing on the rotation function, and cfn-lint is clean', () => {
  const { app, stack } = rotatedSecretStack();
  expect(findingsUnder(runNagPacks(app), 'Rotated/SecretRotation')).toEqual([]);
  expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
});

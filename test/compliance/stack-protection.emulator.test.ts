import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { StackProtection } from '../../src';
import { protectedStack, newApp } from '../fixtures/protected-stack';
import { acknowledgedRuleIds, acknowledgedRules } from '../harness/acknowledged';
import { untoleratedCfnLintFindings } from '../harness/cfn-lint';
import { findingsUnder, runNagPacks } from '../harness/nag';

describe('StackProtection compliance', () => {
  test('the six cdk-nag packs report nothing on the construct, and cfn-lint is clean', () => {
    const { app, stack, protection } = protectedStack();
    const findings = runNagPacks(app);
    expect(findingsUnder(findings, 'Protected/Protection')).toEqual([]);
    // Outside a VPC the LambdaInsideVPC rules are acknowledged, with a reason, on the function only.
    expect(acknowledgedRules(protection.stackPolicyFunction!)['HIPAA.Security-LambdaInsideVPC']).toMatch(/pass `vpc`/);
    expect(untoleratedCfnLintFindings(Template.fromStack(stack).toJSON())).toEqual([]);
  });

  test('in a VPC, the HIPAA, NIST and PCI LambdaInsideVPC rules pass without acknowledgement', () => {
    const app = newApp();
    const stack = new Stack(app, 'InVpc');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const protection = StackProtection.protect(stack, { vpc });
    const findings = findingsUnder(runNagPacks(app), 'InVpc/StackProtection');
    expect(findings).toEqual([]);
    expect(acknowledgedRuleIds(protection.stackPolicyFunction!).filter((id) => id.includes('LambdaInsideVPC'))).toEqual([]);
  });
});

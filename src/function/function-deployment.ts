import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LIVE_ALIAS_NAME } from './function-alias';
import { ManagedPolicyRole } from '../core';

/** The `EncryptedFunction`: its function, its `live` alias and the alarms that roll a deployment back. */
export interface RolledOutFunction extends Construct {
  readonly lambdaFunction: lambda.Function;
  readonly alias: lambda.Alias;
  readonly alarms: cloudwatch.Alarm[];
}

/**
 * A deployment group with its own role holding exact, scoped statements instead of the AWS-managed
 * `AWSCodeDeployRoleForLambdaLimited` (resource `*`), which CDK attaches to any mutable role it is given; both
 * belong to the function construct.
 */
export function createDeploymentGroup(
  target: RolledOutFunction, deploymentConfig: codedeploy.ILambdaDeploymentConfig,
): codedeploy.LambdaDeploymentGroup {
  const role = new ManagedPolicyRole(target, 'DeploymentRole', {
    assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
    description: `CodeDeploy role shifting the live alias of ${target.node.path}`,
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
    // The alias ARN spelled out: referencing the alias resource would loop through its CodeDeploy update policy.
    resources: [target.lambdaFunction.functionArn, `${target.lambdaFunction.functionArn}:${LIVE_ALIAS_NAME}`],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['cloudwatch:DescribeAlarms'],
    resources: target.alarms.map((alarm) => alarm.alarmArn),
  }));
  const group = new codedeploy.LambdaDeploymentGroup(target, 'DeploymentGroup', {
    alias: target.alias,
    deploymentConfig,
    alarms: target.alarms,
    role: role.withoutPolicyUpdates(),
    autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
  });
  // The policies only: the group's reference to the role's ARN already orders the role itself.
  group.node.addDependency(role.permissions);
  return group;
}

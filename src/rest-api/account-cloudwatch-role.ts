import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeFindings, FINDING_FAMILIES } from '../core';

/** The CloudWatch Logs actions API Gateway needs to write execution and access logs (no AWS-managed policy). */
export const API_GATEWAY_LOGGING_ACTIONS = [
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:DescribeLogGroups',
  'logs:DescribeLogStreams',
  'logs:PutLogEvents',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
];

/**
 * Sets the region's API Gateway account CloudWatch role (`AWS::ApiGateway::Account`) to a role with a
 * customer-managed policy, instead of CDK's `cloudWatchRole: true`, which attaches the AWS-managed
 * AmazonAPIGatewayPushToCloudWatchLogs policy.
 *
 * The role, its policy and the setting are kept (RETAIN, as CDK's own `cloudWatchRoleRemovalPolicy` defaults to) when
 * the stack is deleted or its create rolls back: the setting is account-wide, and deleting the role would leave every
 * API of the region pointing at a role that no longer exists (aws-cdk#22954). Their names are generated, so a retry
 * never collides with what a rollback kept.
 */
export class AccountCloudWatchRole extends Construct {
  /** The role API Gateway assumes to write logs. */
  public readonly role: iam.Role;
  /** The account setting. */
  public readonly account: apigw.CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Lets API Gateway write execution and access logs of this account and region',
      statements: [new iam.PolicyStatement({
        actions: API_GATEWAY_LOGGING_ACTIONS,
        // Log group names of every API in the account are unknown here; the region condition keeps it in this region.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': Stack.of(this).region } },
      })],
    });
    acknowledgeFindings(policy, FINDING_FAMILIES.accountCloudWatchRoleWildcard);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway account role for CloudWatch logging',
      managedPolicies: [policy],
    });
    this.account = new apigw.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    for (const kept of [policy, this.role, this.account]) kept.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}

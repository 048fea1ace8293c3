import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AccountCloudWatchRole } from './account-cloudwatch-role';
import type { ResolvedRestApiProps } from './rest-api-defaults';
import { createEncryptedLogGroup, allowCloudWatchLogs, createRotatedKey } from '../core';

/** How the API's log groups (access, execution, WAF) are encrypted, kept and removed. */
export interface ApiLogSettings {
  readonly encryptionKey: kms.IKey;
  readonly retention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** The log settings of the props; without `logEncryptionKey`, a new rotated key. Either key is opened to CloudWatch Logs. */
export function apiLogSettings(scope: Construct, props: ResolvedRestApiProps): ApiLogSettings {
  const retention = props.logRetention;
  const removalPolicy = props.logRemovalPolicy;
  const encryptionKey = props.logEncryptionKey
    ?? createRotatedKey(scope, 'LogKey', `Encrypts the log groups of ${scope.node.path}`, removalPolicy);
  allowCloudWatchLogs(encryptionKey);
  return { encryptionKey, retention, removalPolicy };
}

/** The execution log group of a stage and, when asked, the account's CloudWatch role, both deployed before the stage. */
export interface ExecutionLogging {
  readonly logGroup: logs.LogGroup;
  readonly accountCloudWatchRole?: iam.Role;
}

/**
 * Creates the group API Gateway writes the execution logs of the stage `stageName` (the literal name, not the stage's
 * token) to, and the account's CloudWatch role when asked.
 */
export function addExecutionLogging(
  scope: Construct, restApi: apigw.RestApi, stageName: string, settings: ApiLogSettings, accountCloudWatchRole: boolean,
): ExecutionLogging {
  const stage = restApi.deploymentStage;
  const logGroup = createEncryptedLogGroup(scope, 'ExecutionLogs', {
    // API Gateway writes to this fixed name; creating it first gives it encryption and retention.
    logGroupName: `API-Gateway-Execution-Logs_${restApi.restApiId}/${stageName}`,
    ...settings,
  });
  stage.node.addDependency(logGroup);
  if (!accountCloudWatchRole) return { logGroup };
  const accountRole = new AccountCloudWatchRole(scope, 'AccountCloudWatchRole');
  stage.node.addDependency(accountRole.account);
  return { logGroup, accountCloudWatchRole: accountRole.role };
}

import type * as Acm from '@aws-sdk/client-acm';
import type * as ApiGateway from '@aws-sdk/client-api-gateway';
import type * as Backup from '@aws-sdk/client-backup';
import type * as CloudFormation from '@aws-sdk/client-cloudformation';
import type * as CloudWatchLogs from '@aws-sdk/client-cloudwatch-logs';
import type * as DynamoDB from '@aws-sdk/client-dynamodb';
import type * as Lambda from '@aws-sdk/client-lambda';
import type * as Route53 from '@aws-sdk/client-route-53';
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import type * as Ssm from '@aws-sdk/client-ssm';
import { preflightSdk } from './preflight-sdk';
import { CfnTemplate, resourcesOfType } from './template';

// Not shipped with the package: loaded from beside it or from the runtime SDK cache (preflight-sdk.ts).
const { ACMClient, DescribeCertificateCommand } = preflightSdk<typeof Acm>('@aws-sdk/client-acm');
const { APIGatewayClient, GetAccountCommand } = preflightSdk<typeof ApiGateway>('@aws-sdk/client-api-gateway');
const { BackupClient, DescribeBackupVaultCommand } = preflightSdk<typeof Backup>('@aws-sdk/client-backup');
const { CloudFormationClient, DescribeStackResourceCommand } = preflightSdk<typeof CloudFormation>('@aws-sdk/client-cloudformation');
const { CloudWatchLogsClient, DescribeLogGroupsCommand } = preflightSdk<typeof CloudWatchLogs>('@aws-sdk/client-cloudwatch-logs');
const { DescribeTableCommand, DynamoDBClient } = preflightSdk<typeof DynamoDB>('@aws-sdk/client-dynamodb');
const { GetAccountSettingsCommand, LambdaClient } = preflightSdk<typeof Lambda>('@aws-sdk/client-lambda');
const { GetHostedZoneCommand, Route53Client } = preflightSdk<typeof Route53>('@aws-sdk/client-route-53');
const { DescribeSecretCommand, SecretsManagerClient } = preflightSdk<typeof SecretsManager>('@aws-sdk/client-secrets-manager');
const { GetParameterCommand, SSMClient } = preflightSdk<typeof Ssm>('@aws-sdk/client-ssm');

/**
 * The checks of `cdk-secure-serverless preflight`: what a first deployment of a stack needs from the account and
 * region, read with read-only AWS calls only.
 */

/** A reason the deployment would fail (blocking) or might (not blocking), with what to do. */
export interface PreflightProblem {
  readonly check: string;
  readonly message: string;
  readonly fix: string;
  readonly blocking: boolean;
}

/** What a check found: the problems, and what it looked at when there are none. */
export interface CheckResult {
  readonly check: string;
  readonly problems: PreflightProblem[];
  readonly checked: string;
}

/** What one check returns, before the runner names it. */
interface CheckOutcome {
  readonly problems: Array<Omit<PreflightProblem, 'check'>>;
  readonly checked: string;
}

/** The stack under check. */
export interface PreflightStack {
  readonly stackName: string;
  readonly template: CfnTemplate;
  readonly account: string;
  readonly region: string;
  /** The bootstrap version the assembly requires, and the SSM parameter holding the deployed one. */
  readonly bootstrap?: { readonly requiredVersion: number; readonly parameterName: string };
}

/** SDK client settings: region, profile, and per-service endpoints (tests point them at moto or a local fake). */
export interface AwsClientSettings {
  readonly region: string;
  readonly profile?: string;
  readonly endpoints?: Partial<Record<'acm' | 'apigateway' | 'backup' | 'cloudformation' | 'logs' | 'dynamodb' | 'lambda' | 'route53' | 'secretsmanager' | 'ssm', string>>;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Lambda refuses a reservation that leaves less unreserved concurrency than this (Lambda quotas documentation). */
export const MINIMUM_UNRESERVED_CONCURRENCY = 100;

type Service = keyof NonNullable<AwsClientSettings['endpoints']>;

function clientConfig(settings: AwsClientSettings, service: Service) {
  return {
    region: settings.region,
    ...(settings.profile && { profile: settings.profile }),
    ...(settings.credentials && { credentials: settings.credentials }),
    ...(settings.endpoints?.[service] && { endpoint: settings.endpoints[service] }),
  };
}

/** Runs every check; each check's own AWS error becomes a non-blocking problem, so one denied call hides nothing else. */
export async function runPreflightChecks(stack: PreflightStack, settings: AwsClientSettings): Promise<CheckResult[]> {
  const checks: Array<[string, () => Promise<CheckOutcome>]> = [
    ['API Gateway CloudWatch Logs role', () => apiGatewayLoggingRole(stack, settings)],
    ['Lambda unreserved concurrency', () => lambdaConcurrency(stack, settings)],
    ['resources left by an earlier create', () => leftovers(stack, settings)],
    ['CDK bootstrap', () => bootstrapVersion(stack, settings)],
    ['custom domain', () => customDomain(stack, settings)],
    ['global table replicas', () => globalTableReplicas(stack, settings)],
  ];
  const results: CheckResult[] = [];
  for (const [check, run] of checks) {
    try {
      const { problems, checked } = await run();
      results.push({ check, checked, problems: problems.map((p) => ({ ...p, check })) });
    } catch (error) {
      results.push({
        check,
        checked: 'not checked',
        problems: [{
          check,
          message: `the check could not run: ${errorName(error)}: ${error instanceof Error ? error.message : String(error)}`,
          fix: 'give the credentials read access (or run with another --profile) and run preflight again',
          blocking: false,
        }],
      });
    }
  }
  return results;
}

/** Stages that log to CloudWatch need the region's API Gateway account role, unless the stack sets it itself. */
async function apiGatewayLoggingRole(stack: PreflightStack, settings: AwsClientSettings): Promise<CheckOutcome> {
  const logging = resourcesOfType(stack.template, 'AWS::ApiGateway::Stage').filter(([, stage]) => {
    const props = stage.Properties ?? {};
    return props.AccessLogSetting !== undefined
      || (props.MethodSettings ?? []).some((m: { LoggingLevel?: string }) => m.LoggingLevel === 'INFO' || m.LoggingLevel === 'ERROR');
  });
  if (logging.length === 0) return { problems: [], checked: 'no stage logs to CloudWatch' };
  if (resourcesOfType(stack.template, 'AWS::ApiGateway::Account').length > 0) return { problems: [], checked: 'the stack sets the account role itself' };
  const account = await new APIGatewayClient(clientConfig(settings, 'apigateway')).send(new GetAccountCommand({}));
  if (account.cloudwatchRoleArn) return { problems: [], checked: `role ${account.cloudwatchRoleArn}` };
  return {
    checked: 'no role',
    problems: [{
      message: `API Gateway has no CloudWatch Logs role in ${settings.region}, and the stage logging of ${logging.map(([id]) => id).join(', ')} needs one: `
        + 'the stage fails with "CloudWatch Logs role ARN must be set in account settings to enable logging".',
      fix: 'set accountCloudWatchRole: true on one ValidatedRestApi (or ServerlessService) of this region, or '
        + '`aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=<role ARN>`',
      blocking: true,
    }],
  };
}

/** The stack's reserved concurrency must leave the account's unreserved concurrency at 100 or more. */
async function lambdaConcurrency(stack: PreflightStack, settings: AwsClientSettings): Promise<CheckOutcome> {
  const reserved = resourcesOfType(stack.template, 'AWS::Lambda::Function')
    .map(([, fn]) => fn.Properties?.ReservedConcurrentExecutions)
    .filter((n): n is number => typeof n === 'number')
    .reduce((sum, n) => sum + n, 0);
  if (reserved === 0) return { problems: [], checked: 'the stack reserves no concurrency' };
  const { AccountLimit: limit } = await new LambdaClient(clientConfig(settings, 'lambda')).send(new GetAccountSettingsCommand({}));
  const unreserved = limit?.UnreservedConcurrentExecutions ?? 0;
  if (unreserved - reserved >= MINIMUM_UNRESERVED_CONCURRENCY) {
    return { problems: [], checked: `reserves ${reserved} of ${unreserved} unreserved` };
  }
  return {
    checked: `reserves ${reserved} of ${unreserved} unreserved`,
    problems: [{
      message: `the stack reserves ${reserved} concurrent executions, which would leave ${unreserved - reserved} of the account's `
        + `${unreserved} unreserved; Lambda keeps at least ${MINIMUM_UNRESERVED_CONCURRENCY} unreserved and refuses the reservation.`,
      fix: 'lower or remove reservedConcurrentExecutions (the stage\'s handler settings), or ask AWS Support (Service Quotas) for a higher "Concurrent executions" quota',
      blocking: true,
    }],
  };
}

/** Resources with a fixed physical name that already exist: a failed earlier create retained them, and the create fails. */
async function leftovers(stack: PreflightStack, settings: AwsClientSettings): Promise<CheckOutcome> {
  const named = (type: string, property: string) => resourcesOfType(stack.template, type)
    .map(([id, r]) => [id, r.Properties?.[property]] as const)
    .filter((pair): pair is readonly [string, string] => typeof pair[1] === 'string');
  const found: string[] = [];
  const logs = new CloudWatchLogsClient(clientConfig(settings, 'logs'));
  for (const [id, name] of named('AWS::Logs::LogGroup', 'LogGroupName')) {
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    if (logGroups?.some((g) => g.logGroupName === name)) found.push(`log group ${name} (${id})`);
  }
  const dynamodb = new DynamoDBClient(clientConfig(settings, 'dynamodb'));
  for (const [id, name] of [...named('AWS::DynamoDB::Table', 'TableName'), ...named('AWS::DynamoDB::GlobalTable', 'TableName')]) {
    if (await exists(() => dynamodb.send(new DescribeTableCommand({ TableName: name })))) found.push(`DynamoDB table ${name} (${id})`);
  }
  const secrets = new SecretsManagerClient(clientConfig(settings, 'secretsmanager'));
  for (const [id, name] of named('AWS::SecretsManager::Secret', 'Name')) {
    if (await exists(() => secrets.send(new DescribeSecretCommand({ SecretId: name })))) found.push(`secret ${name} (${id})`);
  }
  const backup = new BackupClient(clientConfig(settings, 'backup'));
  for (const [id, name] of named('AWS::Backup::BackupVault', 'BackupVaultName')) {
    if (await exists(() => backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name })))) found.push(`backup vault ${name} (${id})`);
  }
  const checked = `${named('AWS::Logs::LogGroup', 'LogGroupName').length + named('AWS::DynamoDB::Table', 'TableName').length
    + named('AWS::DynamoDB::GlobalTable', 'TableName').length + named('AWS::SecretsManager::Secret', 'Name').length
    + named('AWS::Backup::BackupVault', 'BackupVaultName').length} fixed names`;
  return {
    checked,
    problems: found.map((what) => ({
      message: `${what} already exists; unless ${stack.stackName} already owns it (an update), creating the stack fails with "already exists".`,
      fix: 'delete it (after keeping what it holds) or import it into the stack (`cdk import`); a failed create retains what has a fixed name',
      blocking: true,
    })),
  };
}

/** The bootstrap stack must be at least the version the assembly requires. */
async function bootstrapVersion(stack: PreflightStack, settings: AwsClientSettings): Promise<CheckOutcome> {
  if (!stack.bootstrap) return { problems: [], checked: 'the assembly requires no bootstrap version' };
  const { requiredVersion, parameterName } = stack.bootstrap;
  const fix = `run \`cdk bootstrap aws://${stack.account}/${settings.region}\` (with the same qualifier as the app)`;
  let deployed: number | undefined;
  try {
    const { Parameter: parameter } = await new SSMClient(clientConfig(settings, 'ssm')).send(new GetParameterCommand({ Name: parameterName }));
    deployed = Number(parameter?.Value);
  } catch (error) {
    if (errorName(error) !== 'ParameterNotFound') throw error;
  }
  if (deployed === undefined) {
    return { checked: 'not bootstrapped', problems: [{ message: `the environment is not bootstrapped (no SSM parameter ${parameterName}).`, fix, blocking: true }] };
  }
  if (deployed >= requiredVersion) return { problems: [], checked: `version ${deployed} (needs ${requiredVersion})` };
  return {
    checked: `version ${deployed} (needs ${requiredVersion})`,
    problems: [{ message: `the bootstrap stack is version ${deployed}; this app needs ${requiredVersion} or later.`, fix, blocking: true }],
  };
}

/** A custom domain's given hosted zone must exist, and a given certificate must be issued. */
async function customDomain(stack: PreflightStack, settings: AwsClientSettings): Promise<CheckOutcome> {
  const zoneIds = new Set(resourcesOfType(stack.template, 'AWS::Route53::RecordSet')
    .map(([, r]) => r.Properties?.HostedZoneId).filter((id): id is string => typeof id === 'string'));
  const certificateArns = new Set(resourcesOfType(stack.template, 'AWS::ApiGateway::DomainName')
    .flatMap(([, r]) => [r.Properties?.RegionalCertificateArn, r.Properties?.CertificateArn]).filter((arn): arn is string => typeof arn === 'string'));
  if (zoneIds.size === 0 && certificateArns.size === 0) return { problems: [], checked: 'no given hosted zone or certificate' };
  const problems: Array<Omit<PreflightProblem, 'check'>> = [];
  const route53 = new Route53Client({ ...clientConfig(settings, 'route53') });
  for (const id of zoneIds) {
    if (!await exists(() => route53.send(new GetHostedZoneCommand({ Id: id })))) {
      problems.push({ message: `hosted zone ${id} does not exist in this account.`, fix: 'give the id of a zone this account owns (customDomain.hostedZone)', blocking: true });
    }
  }
  const acm = new ACMClient(clientConfig(settings, 'acm'));
  for (const arn of certificateArns) {
    let status: string | undefined;
    try {
      status = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.Status;
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
    }
    if (status !== 'ISSUED') {
      problems.push({
        message: `certificate ${arn} is ${status ?? 'not found'} in ${settings.region}; API Gateway needs an issued certificate in the API's region.`,
        fix: 'validate the certificate (its DNS records), or leave customDomain.certificate out so the stack creates a DNS-validated one',
        blocking: true,
      });
    }
  }
  return { problems, checked: `${zoneIds.size} hosted zone(s), ${certificateArns.size} certificate(s)` };
}

/**
 * Replica changes CloudFormation refuses in one update of an `AWS::DynamoDB::GlobalTable`, read against the deployed
 * table. "You can add or remove replicas after table creation, but you can only add or remove a single replica in each
 * update" (`Replicas`, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html#cfn-dynamodb-globaltable-replicas);
 * a table whose deletion protection is on "cannot be deleted by any user or process", replicas included, until it is
 * turned off (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection).
 */
async function globalTableReplicas(stack: PreflightStack, settings: AwsClientSettings): Promise<CheckOutcome> {
  const tables = resourcesOfType(stack.template, 'AWS::DynamoDB::GlobalTable');
  if (tables.length === 0) return { problems: [], checked: 'no global table' };
  const cloudformation = new CloudFormationClient(clientConfig(settings, 'cloudformation'));
  const dynamodbIn = (region: string) => new DynamoDBClient({ ...clientConfig(settings, 'dynamodb'), region });
  const problems: Array<Omit<PreflightProblem, 'check'>> = [];
  const checked: string[] = [];
  for (const [id, table] of tables) {
    const tableName = await deployedPhysicalId(cloudformation, stack.stackName, id);
    if (tableName === undefined) {
      checked.push(`${id} not deployed yet (a first create)`);
      continue;
    }
    const wanted = templateReplicaRegions(table.Properties?.Replicas, settings.region);
    const { Table: deployedTable } = await dynamodbIn(settings.region).send(new DescribeTableCommand({ TableName: tableName }));
    // The table's own region is a replica too, whether or not Table.Replicas lists it.
    const deployed = new Set([settings.region, ...(deployedTable?.Replicas ?? []).flatMap((r) => r.RegionName ?? [])]);
    const added = [...wanted].filter((region) => !deployed.has(region));
    const removed = [...deployed].filter((region) => !wanted.has(region));
    checked.push(`${id} (${tableName}) in ${[...deployed].sort().join(', ')}`);
    if (added.length + removed.length > 1) {
      problems.push({
        message: `${id} (${tableName}): this update adds ${added.length} replica(s)${added.length ? ` (${added.join(', ')})` : ''} and removes `
          + `${removed.length}${removed.length ? ` (${removed.join(', ')})` : ''}; CloudFormation adds or removes a single replica in each update.`,
        fix: 'add or remove one replica per deployment',
        blocking: true,
      });
    }
    for (const region of removed) {
      const { Table: replica } = await dynamodbIn(region).send(new DescribeTableCommand({ TableName: tableName }));
      if (!replica?.DeletionProtectionEnabled) continue;
      problems.push({
        message: `${id} (${tableName}): the replica in ${region} is removed while its deletion protection is on; DynamoDB refuses to delete it.`,
        fix: `turn it off first: \`aws dynamodb update-table --region ${region} --table-name ${tableName} --no-deletion-protection-enabled\`, `
          + 'or deploy with the replica\'s deletion protection off first',
        blocking: true,
      });
    }
  }
  return { problems, checked: checked.join('; ') };
}

/** The physical id of a stack's resource, or undefined when the stack or the resource does not exist yet. */
async function deployedPhysicalId(
  cloudformation: InstanceType<typeof CloudFormationClient>, stackName: string, logicalId: string,
): Promise<string | undefined> {
  try {
    const request = new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: logicalId });
    return (await cloudformation.send(request)).StackResourceDetail?.PhysicalResourceId;
  } catch (error) {
    // "Stack with id <name> does not exist" and "Resource <id> does not exist for stack <name>" are both ValidationError.
    if (errorName(error) === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/** The regions of a template's `Replicas`: literal names, or `Ref: AWS::Region` for the stack's own. */
function templateReplicaRegions(replicas: unknown, stackRegion: string): Set<string> {
  return new Set((Array.isArray(replicas) ? replicas : []).map(({ Region: region }: { Region?: unknown }) => {
    if (typeof region === 'string') return region;
    if (JSON.stringify(region) === JSON.stringify({ Ref: 'AWS::Region' })) return stackRegion;
    throw new Error(`a replica region the template does not give literally: ${JSON.stringify(region)}`);
  }));
}

/** Whether a describe call finds the resource (a not-found error says it does not exist). */
async function exists(describe: () => Promise<unknown>): Promise<boolean> {
  try {
    await describe();
    return true;
  } catch (error) {
    if (/NotFound|NoSuch/.test(errorName(error))) return false;
    throw error;
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

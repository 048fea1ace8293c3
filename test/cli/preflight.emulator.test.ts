import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACMClient, ImportCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { APIGatewayClient, UpdateAccountCommand } from '@aws-sdk/client-api-gateway';
import { BackupClient, CreateBackupVaultCommand } from '@aws-sdk/client-backup';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateSecretCommand, DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { App } from 'aws-cdk-lib';
import { main } from '../../cli/main';
import { choosePreflightStack, readPreflightStacks } from '../../cli/preflight';
import { AwsClientSettings, PreflightStack, runPreflightChecks } from '../../cli/preflight-checks';
import { buildExampleApp } from '../../examples/service-app';
import { motoEndpoint } from '../harness/moto';

/**
 * preflight against moto for the calls moto implements (API Gateway GetAccount, CloudWatch Logs, DynamoDB, Secrets
 * Manager, Backup, SSM, Route 53, ACM) and a local fake of Lambda's GetAccountSettings, which moto lacks.
 */

// A region no other suite uses, so moto's state here is this suite's alone.
const REGION = 'ap-northeast-3';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const aws = { region: REGION, endpoint: '', credentials };

let lambdaFake: Server;
let unreservedConcurrency = 1000;
let settings: AwsClientSettings;
let assemblyDir: string;

/** Lambda's GetAccountSettings (GET /2016-08-19/account-settings/), answering the configured unreserved concurrency. */
function startLambdaFake(): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url?.startsWith('/2016-08-19/account-settings')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({
        AccountLimit: {
          ConcurrentExecutions: 1000,
          UnreservedConcurrentExecutions: unreservedConcurrency,
          CodeSizeUnzipped: 262144000,
          CodeSizeZipped: 52428800,
          TotalCodeSize: 80530636800,
        },
        AccountUsage: { FunctionCount: 0, TotalCodeSize: 0 },
      }));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: `no fake for ${request.method} ${request.url}` }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  lambdaFake = await startLambdaFake();
  const moto = motoEndpoint();
  aws.endpoint = moto;
  settings = {
    region: REGION,
    credentials,
    endpoints: {
      acm: moto,
      apigateway: moto,
      backup: moto,
      cloudformation: moto,
      logs: moto,
      dynamodb: moto,
      route53: moto,
      secretsmanager: moto,
      ssm: moto,
      lambda: `http://127.0.0.1:${(lambdaFake.address() as AddressInfo).port}`,
    },
  };
  assemblyDir = mkdtempSync(join(tmpdir(), 'preflight-assembly-'));
  const app = new App({ outdir: assemblyDir });
  buildExampleApp(app, { env: { account: '123456789012', region: REGION } });
  app.synth();
});

afterAll(() => new Promise<void>((resolve) => lambdaFake.close(() => resolve())));

function exampleStack(name: string): PreflightStack {
  return choosePreflightStack(readPreflightStacks(assemblyDir), name);
}

/** The stack with each stage's access logs removed and its execution logging at `level`. */
function withExecutionLoggingOnly(stack: PreflightStack, level: string): PreflightStack {
  const resources = Object.fromEntries(Object.entries(stack.template.Resources as Record<string, { Type: string; Properties?: object }>)
    .map(([id, resource]) => [id, resource.Type !== 'AWS::ApiGateway::Stage' ? resource : {
      ...resource,
      Properties: { ...resource.Properties, AccessLogSetting: undefined, MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: level }] },
    }]));
  return { ...stack, template: { ...stack.template, Resources: resources } };
}

async function problemsOf(stack: PreflightStack, check: string): Promise<string[]> {
  const results = await runPreflightChecks(stack, settings);
  const result = results.find((r) => r.check === check)!;
  return result.problems.map((p) => `${p.blocking ? 'blocking' : 'warning'}: ${p.message} | ${p.fix}`);
}

test('API Gateway: stage logging without the region\'s CloudWatch role blocks, with the fix; with the role, or a stack that sets it, it passes', async () => {
  // The example's services set the account role themselves (ServerlessService's accountCloudWatchRole default).
  const example = exampleStack('orders-prod');
  expect(await problemsOf(example, 'API Gateway CloudWatch Logs role')).toEqual([]);
  // The same stages in a stack that leaves the account setting to the region.
  const resources = Object.fromEntries(Object.entries(example.template.Resources as Record<string, { Type: string }>)
    .filter(([, resource]) => resource.Type !== 'AWS::ApiGateway::Account'));
  const stack: PreflightStack = { ...example, template: { ...example.template, Resources: resources } };
  const blocked = [expect.stringMatching(/^blocking: API Gateway has no CloudWatch Logs role in ap-northeast-3.*accountCloudWatchRole: true/)];
  expect(await problemsOf(stack, 'API Gateway CloudWatch Logs role')).toEqual(blocked);
  // Execution logging at either level needs the role as access logging does; a stage that logs neither does not
  // (API Gateway developer guide, "Set up CloudWatch logging for REST APIs in API Gateway").
  for (const level of ['ERROR', 'INFO', 'OFF']) {
    expect(await problemsOf(withExecutionLoggingOnly(stack, level), 'API Gateway CloudWatch Logs role')).toEqual(level === 'OFF' ? [] : blocked);
  }
  await new APIGatewayClient(aws).send(new UpdateAccountCommand({
    patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: 'arn:aws:iam::123456789012:role/apigw-logs' }],
  }));
  expect(await problemsOf(stack, 'API Gateway CloudWatch Logs role')).toEqual([]);
});

test('Lambda: reservations that leave fewer than 100 unreserved executions block; enough headroom passes', async () => {
  const stack: PreflightStack = {
    stackName: 'reserving',
    account: '123456789012',
    region: REGION,
    template: { Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 10 } } } },
  };
  unreservedConcurrency = 50;
  // A new account's quota can be 50 or 10: 50 - 10 = 40 left, under the 100 Lambda keeps unreserved.
  expect(await problemsOf(stack, 'Lambda unreserved concurrency')).toEqual([expect.stringMatching(/^blocking: the stack reserves 10 .* leave 40 of the account's 50 unreserved/)]);
  unreservedConcurrency = 110;
  expect(await problemsOf(stack, 'Lambda unreserved concurrency')).toEqual([]);
});

test('leftovers: a log group with the stack\'s fixed name blocks the first create', async () => {
  const stack: PreflightStack = {
    stackName: 'fixed-names',
    account: '123456789012',
    region: REGION,
    template: { Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'aws-waf-logs-orders-prod' } } } },
  };
  expect(await problemsOf(stack, 'resources left by an earlier create')).toEqual([]);
  await new CloudWatchLogsClient(aws).send(new CreateLogGroupCommand({ logGroupName: 'aws-waf-logs-orders-prod' }));
  expect(await problemsOf(stack, 'resources left by an earlier create')).toEqual([
    expect.stringMatching(/^blocking: log group aws-waf-logs-orders-prod \(Logs\) already exists/),
  ]);
});

test('bootstrap: missing or older than the assembly requires blocks; current passes', async () => {
  const stack = exampleStack('orders-dev');
  expect(stack.bootstrap).toEqual({ requiredVersion: expect.any(Number), parameterName: '/cdk-bootstrap/hnb659fds/version' });
  expect(await problemsOf(stack, 'CDK bootstrap')).toEqual([expect.stringMatching(/^blocking: the environment is not bootstrapped.*cdk bootstrap aws:\/\/123456789012\/ap-northeast-3/)]);
  const ssm = new SSMClient(aws);
  await ssm.send(new PutParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version', Value: String(stack.bootstrap!.requiredVersion - 1), Type: 'String' }));
  expect(await problemsOf(stack, 'CDK bootstrap')).toEqual([expect.stringMatching(/^blocking: the bootstrap stack is version/)]);
  await ssm.send(new PutParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version', Value: String(stack.bootstrap!.requiredVersion), Type: 'String', Overwrite: true }));
  expect(await problemsOf(stack, 'CDK bootstrap')).toEqual([]);
});

test('custom domain: a hosted zone the account does not have blocks; its own zone passes', async () => {
  expect(await problemsOf(exampleStack('orders-prod'), 'custom domain')).toEqual([
    expect.stringMatching(/^blocking: hosted zone Z0123456789EXAMPLE does not exist/),
  ]);
  const zone = await new Route53Client(aws).send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'preflight-test' }));
  const zoneId = zone.HostedZone!.Id!.replace('/hostedzone/', '');
  const stack: PreflightStack = {
    stackName: 'domain',
    account: '123456789012',
    region: REGION,
    template: { Resources: { Record: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: zoneId } } } },
  };
  expect(await problemsOf(stack, 'custom domain')).toEqual([]);
});

test('the command prints every check and exits 1 when a problem blocks', async () => {
  const env = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_ENDPOINT_URL_LAMBDA: settings.endpoints!.lambda,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  });
  const out: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
  try {
    expect(await main(['preflight', '--app', assemblyDir, '--stack', 'orders-prod'])).toBe(1);
  } finally {
    write.mockRestore();
    process.env = env;
  }
  const report = out.join('');
  expect(report).toMatch(/^Preflight of orders-prod in ap-northeast-3:/);
  for (const check of ['API Gateway CloudWatch Logs role', 'Lambda unreserved concurrency', 'resources left by an earlier create', 'CDK bootstrap', 'custom domain', 'global table replicas']) {
    expect(report).toContain(check);
  }
  expect(report).toMatch(/PROBLEM custom domain[\s\S]*fix: give the id of a zone this account owns/);
  expect(report).toMatch(/\d+ problem\(s\) block the deployment\.\n$/);
});

/** A stack whose template names resources the way `leftovers` reads them. */
function namedResources(stackName: string, resources: Record<string, { Type: string; Properties: Record<string, unknown> }>): PreflightStack {
  return { stackName, account: '123456789012', region: REGION, template: { Resources: resources } };
}

test('leftovers: a DynamoDB table (Table or GlobalTable) with the stack\'s fixed name blocks the first create', async () => {
  // CreateTable of an existing name fails with ResourceInUseException, "you attempted to recreate an existing table"
  // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html#API_CreateTable_Errors).
  const stack = namedResources('fixed-table-names', {
    Items: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { TableName: 'orders-items-kept' } },
    Legacy: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders-legacy-kept' } },
  });
  expect(await problemsOf(stack, 'resources left by an earlier create')).toEqual([]);
  const dynamodb = new DynamoDBClient(aws);
  for (const name of ['orders-items-kept', 'orders-legacy-kept']) {
    await dynamodb.send(new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
  }
  expect(await problemsOf(stack, 'resources left by an earlier create')).toEqual([
    expect.stringMatching(/^blocking: DynamoDB table orders-legacy-kept \(Legacy\) already exists.*\| delete it/),
    expect.stringMatching(/^blocking: DynamoDB table orders-items-kept \(Items\) already exists/),
  ]);
});

test('leftovers: a secret with the stack\'s fixed name blocks, even while it is scheduled for deletion', async () => {
  // CreateSecret of an existing name fails with ResourceExistsException, and of a secret scheduled for deletion with
  // InvalidRequestException (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#API_CreateSecret_Errors):
  // a deleted secret stays, with a DeletionDate, until its recovery window ends
  // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html).
  const stack = namedResources('fixed-secret-names', {
    Kept: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'orders/prod/kept' } },
    Deleted: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'orders/prod/pending-deletion' } },
  });
  expect(await problemsOf(stack, 'resources left by an earlier create')).toEqual([]);
  const secrets = new SecretsManagerClient(aws);
  await secrets.send(new CreateSecretCommand({ Name: 'orders/prod/kept', SecretString: '{}' }));
  await secrets.send(new CreateSecretCommand({ Name: 'orders/prod/pending-deletion', SecretString: '{}' }));
  await secrets.send(new DeleteSecretCommand({ SecretId: 'orders/prod/pending-deletion', RecoveryWindowInDays: 7 }));
  expect(await problemsOf(stack, 'resources left by an earlier create')).toEqual([
    expect.stringMatching(/^blocking: secret orders\/prod\/kept \(Kept\) already exists/),
    expect.stringMatching(/^blocking: secret orders\/prod\/pending-deletion \(Deleted\) already exists/),
  ]);
});

test('leftovers: a backup vault with the stack\'s fixed name blocks the first create', async () => {
  // CreateBackupVault of an existing name fails with AlreadyExistsException
  // (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html#API_CreateBackupVault_Errors).
  const stack = namedResources('fixed-vault-names', {
    Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'orders-prod-vault-kept' } },
  });
  expect(await problemsOf(stack, 'resources left by an earlier create')).toEqual([]);
  await new BackupClient(aws).send(new CreateBackupVaultCommand({ BackupVaultName: 'orders-prod-vault-kept' }));
  expect(await problemsOf(stack, 'resources left by an earlier create')).toEqual([
    expect.stringMatching(/^blocking: backup vault orders-prod-vault-kept \(Vault\) already exists/),
  ]);
});

test('custom domain: a given certificate that is missing or not yet issued blocks; an issued one passes', async () => {
  // A regional custom domain needs an ACM certificate in the API's region, and ACM can use it only once it is issued
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains-prerequisites.html;
  // https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html: the status stays PENDING_VALIDATION until the
  // DNS record is found).
  const acm = new ACMClient(aws);
  const domainWith = (certificateArn: string) => namedResources('domain-certificate', {
    Domain: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'api.example.com', RegionalCertificateArn: certificateArn } },
  });
  const missing = `arn:aws:acm:${REGION}:123456789012:certificate/00000000-0000-0000-0000-000000000000`;
  expect(await problemsOf(domainWith(missing), 'custom domain')).toEqual([
    expect.stringMatching(/^blocking: certificate arn:aws:acm:\S+ is not found in ap-northeast-3/),
  ]);
  const requested = await acm.send(new RequestCertificateCommand({ DomainName: 'api.example.com', ValidationMethod: 'DNS' }));
  expect(await problemsOf(domainWith(requested.CertificateArn!), 'custom domain')).toEqual([
    expect.stringMatching(/^blocking: certificate \S+ is PENDING_VALIDATION in ap-northeast-3.*\| validate the certificate/),
  ]);
  const imported = await acm.send(new ImportCertificateCommand(selfSignedCertificate('api.example.com')));
  expect(await problemsOf(domainWith(imported.CertificateArn!), 'custom domain')).toEqual([]);
});

/** A self-signed certificate and its key for ImportCertificate (an imported certificate is ISSUED). */
function selfSignedCertificate(domain: string): { Certificate: Buffer; PrivateKey: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${domain}`,
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { Certificate: readFileSync(join(dir, 'cert.pem')), PrivateKey: readFileSync(join(dir, 'key.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('global table replicas', () => {
  // CloudFormation: "You can add or remove replicas after table creation, but you can only add or remove a single
  // replica in each update" (AWS::DynamoDB::GlobalTable `Replicas`,
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html#cfn-dynamodb-globaltable-replicas).
  // DynamoDB: a table with deletion protection on cannot be deleted until it is turned off
  // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection).
  // moto's CloudFormation answers DescribeStackResource, but cannot create an AWS::DynamoDB::GlobalTable, so the
  // deployed stack holds an AWS::DynamoDB::Table under the same logical id and name (its physical id is the table name,
  // as a GlobalTable's is); moto's DescribeTable returns no Replicas (UpdateTable's ReplicaUpdates are ignored), so
  // DynamoDB is a local fake that answers DescribeTable per region.
  const TABLE = 'orders-items-global';
  const CHECK = 'global table replicas';
  /** Per region: whether the table exists there and its deletion protection; every region's table lists the others. */
  const deployedReplicas = new Map<string, { deletionProtection: boolean }>();
  let dynamodbFake: Server;

  /** DynamoDB DescribeTable (JSON 1.0), in the region of the request's signature. */
  function startDynamoDbFake(): Promise<Server> {
    const server = createServer((request, response) => {
      const region = /Credential=[^/]+\/\d+\/([^/]+)\/dynamodb\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
      let body = '';
      request.on('data', (chunk) => { body += chunk; });
      request.on('end', () => {
        const replica = deployedReplicas.get(region);
        response.setHeader('content-type', 'application/x-amz-json-1.0');
        if (request.headers['x-amz-target'] !== 'DynamoDB_20120810.DescribeTable' || JSON.parse(body).TableName !== TABLE || !replica) {
          response.writeHead(400);
          response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: `no table in ${region}` }));
          return;
        }
        response.writeHead(200);
        response.end(JSON.stringify({
          Table: {
            TableName: TABLE,
            TableArn: `arn:aws:dynamodb:${region}:123456789012:table/${TABLE}`,
            TableStatus: 'ACTIVE',
            DeletionProtectionEnabled: replica.deletionProtection,
            Replicas: [...deployedReplicas.keys()].filter((r) => r !== region).map((r) => ({ RegionName: r, ReplicaStatus: 'ACTIVE' })),
          },
        }));
      });
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
  }

  beforeAll(async () => {
    dynamodbFake = await startDynamoDbFake();
    await new CloudFormationClient(aws).send(new CreateStackCommand({
      StackName: 'replicas-deployed',
      TemplateBody: JSON.stringify({
        Resources: {
          Items: {
            Type: 'AWS::DynamoDB::Table',
            Properties: {
              TableName: TABLE,
              AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
              BillingMode: 'PAY_PER_REQUEST',
            },
          },
        },
      }),
    }));
  });
  afterAll(() => new Promise<void>((resolve) => dynamodbFake.close(() => resolve())));
  beforeEach(() => {
    // Deployed: the stack's region and one replica in eu-west-1, both protected (SecureTable's default).
    deployedReplicas.clear();
    deployedReplicas.set(REGION, { deletionProtection: true });
    deployedReplicas.set('eu-west-1', { deletionProtection: true });
  });

  /** A stack whose global table has replicas in the stack's own region (`Ref: AWS::Region`, as TableV2 writes it in an env-agnostic stack) and in `others`. */
  function withReplicas(stackName: string, others: string[]): PreflightStack {
    return namedResources(stackName, {
      Items: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: { TableName: TABLE, Replicas: [{ Ref: 'AWS::Region' }, ...others].map((region) => ({ Region: region })) },
      },
    });
  }
  async function replicaProblems(stack: PreflightStack): Promise<string[]> {
    const dynamodb = `http://127.0.0.1:${(dynamodbFake.address() as AddressInfo).port}`;
    const results = await runPreflightChecks(stack, { ...settings, endpoints: { ...settings.endpoints, dynamodb } });
    return results.find((r) => r.check === CHECK)!.problems.map((p) => `${p.blocking ? 'blocking' : 'warning'}: ${p.message} | ${p.fix}`);
  }

  test('a first create (no stack yet) has nothing to compare and passes, whatever its replicas', async () => {
    expect(await replicaProblems(withReplicas('replicas-first-create', ['eu-west-1', 'us-west-2', 'eu-central-1']))).toEqual([]);
  });

  test('one replica added passes', async () => {
    expect(await replicaProblems(withReplicas('replicas-deployed', ['eu-west-1', 'us-west-2']))).toEqual([]);
  });

  test('two replicas added in one update block, with the way through', async () => {
    expect(await replicaProblems(withReplicas('replicas-deployed', ['eu-west-1', 'us-west-2', 'eu-central-1']))).toEqual([
      expect.stringMatching(/^blocking: Items \(orders-items-global\): this update adds 2 replica\(s\) \(us-west-2, eu-central-1\) and removes 0;.*\| add or remove one replica per deployment$/),
    ]);
  });

  test('a replica removed while its deletion protection is on blocks, with the command that turns it off', async () => {
    expect(await replicaProblems(withReplicas('replicas-deployed', []))).toEqual([
      expect.stringMatching(/^blocking: Items \(orders-items-global\): the replica in eu-west-1 is removed while its deletion protection is on.*\| turn it off first: `aws dynamodb update-table --region eu-west-1 --table-name orders-items-global --no-deletion-protection-enabled`/),
    ]);
  });

  test('a replica removed whose deletion protection is off passes', async () => {
    deployedReplicas.set('eu-west-1', { deletionProtection: false });
    expect(await replicaProblems(withReplicas('replicas-deployed', []))).toEqual([]);
  });
});

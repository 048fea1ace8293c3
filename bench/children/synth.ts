import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './event.ts';

/**
 * One synthesis in a fresh process: load the libraries, construct one stack of the given variant, synthesize it, count
 * its CloudFormation resources. Usage: synth.ts <service | service-dev | services:N | solutions | bare-l2> [profile file].
 * With a profile file, the V8 sampling profiler runs from before the libraries load to after synthesis (see
 * bench/synth-profile.ts).
 * `service` (prod stage), `service-dev` and `services:N` (N prod services, one stack each, in one app) use the compiled
 * library in lib/ (run `npx projen compile` first). With BENCH_CDK_ROOT (a folder whose node_modules hold another
 * aws-cdk-lib, the installed library and the baselines; see bench/newest-cdk.ts), everything loads from there instead.
 */
const variant = process.argv[2];
const serviceCount = variant.startsWith('services:') ? Number(variant.slice('services:'.length)) : 0;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cdkRoot = process.env.BENCH_CDK_ROOT;
const load = createRequire(join(cdkRoot ?? root, 'package.json'));
const assetDir = join(root, 'assets', 'items');
const profileFile = process.argv[3];
const session = profileFile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
}

const loadStart = process.hrtime.bigint();
const cdk = load('aws-cdk-lib');
const apigw = load('aws-cdk-lib/aws-apigateway');
const dynamodb = load('aws-cdk-lib/aws-dynamodb');
const lambda = load('aws-cdk-lib/aws-lambda');
const secretsmanager = load('aws-cdk-lib/aws-secretsmanager');
const libraries = variant.startsWith('service')
  ? { lib: load(cdkRoot ? 'cdk-secure-serverless' : join(root, 'lib', 'index.js')) }
  : variant === 'solutions'
    ? {
      apiGatewayLambda: load('@aws-solutions-constructs/aws-apigateway-lambda'),
      lambdaDynamoDb: load('@aws-solutions-constructs/aws-lambda-dynamodb'),
      lambdaSecrets: load('@aws-solutions-constructs/aws-lambda-secretsmanager'),
    }
    : {};
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
try {
  const constructStart = process.hrtime.bigint();
  const app = new cdk.App({ outdir });
  const env = { account: '123456789012', region: 'us-east-1' };
  const stack = new cdk.Stack(app, 'Bench', { env });
  const functionProps = { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(assetDir) };
  if (serviceCount > 0) {
    new libraries.lib.ServerlessService(stack, 'Service', { serviceName: 'items', stage: libraries.lib.DeploymentStage.PROD });
    for (let i = 1; i < serviceCount; i++) {
      const other = new cdk.Stack(app, `Bench${i}`, { env });
      new libraries.lib.ServerlessService(other, 'Service', { serviceName: `items${i}`, stage: libraries.lib.DeploymentStage.PROD });
    }
  } else if (variant === 'service' || variant === 'service-dev') {
    const stage = variant === 'service' ? libraries.lib.DeploymentStage.PROD : libraries.lib.DeploymentStage.DEV;
    new libraries.lib.ServerlessService(stack, 'Service', { serviceName: 'items', stage });
  } else if (variant === 'solutions') {
    const api = new libraries.apiGatewayLambda.ApiGatewayToLambda(stack, 'Api', { lambdaFunctionProps: functionProps });
    new libraries.lambdaDynamoDb.LambdaToDynamoDB(stack, 'Table', { existingLambdaObj: api.lambdaFunction });
    new libraries.lambdaSecrets.LambdaToSecretsmanager(stack, 'Secret', { existingLambdaObj: api.lambdaFunction });
  } else if (variant === 'bare-l2') {
    const fn = new lambda.Function(stack, 'Handler', functionProps);
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const secret = new secretsmanager.Secret(stack, 'Secret');
    table.grantReadWriteData(fn);
    secret.grantRead(fn);
    fn.addEnvironment('TABLE_NAME', table.tableName);
    fn.addEnvironment('SECRET_ARN', secret.secretArn);
    const api = new apigw.RestApi(stack, 'Api');
    const integration = new apigw.LambdaIntegration(fn);
    const items = api.root.addResource('items');
    items.addMethod('GET', integration);
    items.addMethod('POST', integration);
    const item = items.addResource('{id}');
    for (const method of ['GET', 'PUT', 'DELETE']) item.addMethod(method, integration);
  } else {
    throw new Error(`unknown variant ${variant}`);
  }
  const constructMs = Number(process.hrtime.bigint() - constructStart) / 1e6;

  const synthStart = process.hrtime.bigint();
  const assembly = app.synth();
  const synthMs = Number(process.hrtime.bigint() - synthStart) / 1e6;
  if (session) {
    writeFileSync(profileFile, JSON.stringify((await session.post('Profiler.stop')).profile));
    session.disconnect();
  }

  const resources = assembly.stacks
    .map((s: { templateFile: string }) => JSON.parse(readFileSync(join(outdir, s.templateFile), 'utf8')))
    .reduce((sum: number, template: { Resources?: object }) => sum + Object.keys(template.Resources ?? {}).length, 0);
  report({ loadMs, constructMs, synthMs, resources });
} finally {
  rmSync(outdir, { recursive: true, force: true });
}

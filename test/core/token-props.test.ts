import { App, CfnParameter, Duration, Lazy, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ArtifactBucket, DeploymentStage, EncryptedFunction, SecureTable, ServerlessService, TableCapacity, ValidatedRestApi } from '../../src';

/**
 * Issue 24, item 8: a token (a CfnParameter, a Lazy) where the construct needs the literal at synthesis throws
 * "<prop> must be a literal (not a CloudFormation token) because ...; <fix>" (the message form the issue asks for);
 * where CloudFormation resolves the value, the token is passed through to the template unchecked.
 */

/** Token factories of one kind, each token unique in its stack. */
interface Tokens { str(): string; num(): number; list(): string[] }

let count = 0;
const parameterTokens = (stack: Stack): Tokens => ({
  str: () => new CfnParameter(stack, `S${count++}`, { type: 'String' }).valueAsString,
  num: () => new CfnParameter(stack, `N${count++}`, { type: 'Number' }).valueAsNumber,
  list: () => new CfnParameter(stack, `L${count++}`, { type: 'CommaDelimitedList' }).valueAsList,
});
const lazyTokens = (): Tokens => ({
  str: () => Lazy.string({ produce: () => 'GET' }),
  num: () => Lazy.number({ produce: () => 2 }),
  list: () => Lazy.list({ produce: () => ['https://app.example.com'] }),
});

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
}

const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');
const partitionKey = { name: 'id', type: dynamodb.AttributeType.STRING };
const ORIGIN = 'https://app.example.com';

function liveAlias(stack: Stack): lambda.Alias {
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
  return new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
}

function route(stack: Stack, path: string, method: string, options: object = {}): void {
  new ValidatedRestApi(stack, 'Api').addRoute(path, method, liveAlias(stack), options);
}

function zone(stack: Stack): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' });
}

/** [prop as the message names it, what builds the construct with a token in that prop]. */
const LITERAL_ONLY: [string, (stack: Stack, t: Tokens) => unknown][] = [
  ['path', (s, t) => route(s, `/${t.str()}`, 'GET')],
  ['method of the route at /items', (s, t) => route(s, '/items', t.str())],
  ['options.requiredQueryStrings of GET /items', (s, t) => route(s, '/items', 'GET', { requiredQueryStrings: [t.str()] })],
  ['options.optionalQueryStrings of GET /items', (s, t) => route(s, '/items', 'GET', { optionalQueryStrings: [t.str()] })],
  ['options.requiredHeaders of GET /items', (s, t) => route(s, '/items', 'GET', { requiredHeaders: [t.str()] })],
  ['options.optionalHeaders of GET /items', (s, t) => route(s, '/items', 'GET', { optionalHeaders: [t.str()] })],
  ['options.requiredPathParameters of GET /items/{id}', (s, t) => route(s, '/items/{id}', 'GET', { requiredPathParameters: [t.str()] })],
  ['options.responses statusCode of GET /items', (s, t) => route(s, '/items', 'GET', { responses: [{ statusCode: t.str() }] })],
  ['options.requestSchema of POST /items', (s, t) => route(s, '/items', 'POST', { requestSchema: { type: apigw.JsonSchemaType.STRING, pattern: t.str() } })],
  ['stageName', (s, t) => new ValidatedRestApi(s, 'Api', { stageName: t.str() })],
  ['healthCheckPath', (s, t) => new ValidatedRestApi(s, 'Api', { healthCheckPath: `/${t.str()}` })],
  ['cors.allowOrigins', (s, t) => new ValidatedRestApi(s, 'Api', { cors: { allowOrigins: t.list() } })],
  ['cors.allowMethods', (s, t) => new ValidatedRestApi(s, 'Api', { cors: { allowOrigins: [ORIGIN], allowMethods: [t.str()] } })],
  ['cache.clusterSize', (s, t) => new ValidatedRestApi(s, 'Api', { cache: { clusterSize: t.str() } })],
  ['maxRequestBodySize', (s, t) => new ValidatedRestApi(s, 'Api', { maxRequestBodySize: Size.bytes(t.num()) })],
  ['customDomain.basePath', (s, t) => new ValidatedRestApi(s, 'Api', { customDomain: { domainName: 'api.example.com', hostedZone: zone(s), basePath: t.str() } })],
  ['itemsPath', (s, t) => new ServerlessService(s, 'Orders', { serviceName: 'orders', itemsPath: t.str() })],
  ['itemSchema', (s, t) => new ServerlessService(s, 'Orders', { serviceName: 'orders', itemSchema: { type: apigw.JsonSchemaType.OBJECT, properties: { sku: { type: apigw.JsonSchemaType.STRING, pattern: t.str() } } } })],
  ['timeout', (s, t) => new EncryptedFunction(s, 'Fn', { code, handler: 'index.handler', timeout: Duration.millis(t.num()) })],
  ['alarmThresholds.durationFractionOfTimeout', (s, t) => new EncryptedFunction(s, 'Fn', { code, handler: 'index.handler', alarmThresholds: { durationFractionOfTimeout: t.num() } })],
  ['retryAttempts', (s, t) => new EncryptedFunction(s, 'Fn', { code, handler: 'index.handler', retryAttempts: t.num() })],
  ['maxEventAge', (s, t) => new EncryptedFunction(s, 'Fn', { code, handler: 'index.handler', maxEventAge: Duration.seconds(t.num()) })],
  ['environment key "', (s, t) => new EncryptedFunction(s, 'Fn', { code, handler: 'index.handler', environment: { [t.str()]: 'x' } })],
  ['replicaRegions entry', (s, t) => new SecureTable(s, 'Table', { partitionKey, replicaRegions: [t.str()] })],
  ['pointInTimeRecoveryPeriod', (s, t) => new SecureTable(s, 'Table', { partitionKey, pointInTimeRecoveryPeriod: Duration.days(t.num()) })],
  ['capacity.readCapacity', (_s, t) => TableCapacity.provisioned({ readCapacity: t.num(), writeCapacity: 5 })],
  ['capacity.maxWriteCapacity', (_s, t) => TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5, maxWriteCapacity: t.num() })],
  ['capacity.targetUtilizationPercent', (_s, t) => TableCapacity.provisioned({ readCapacity: 5, writeCapacity: 5, targetUtilizationPercent: t.num() })],
  ['name', (_s, t) => DeploymentStage.custom({ name: t.str() })],
  ['alarms.api5xxRate', (_s, t) => DeploymentStage.custom({ name: 'qa', alarms: { api5xxRate: t.num() } })],
];

const KINDS: [string, (stack: Stack) => Tokens][] = [['a CfnParameter', parameterTokens], ['a Lazy', lazyTokens]];

describe.each(KINDS)('%s where a literal is needed', (_kind, tokensOf) => {
  test.each(LITERAL_ONLY)('%s throws "must be a literal", why, and the fix', (prop, build) => {
    const stack = newStack();
    const escaped = prop.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(() => build(stack, tokensOf(stack))).toThrow(new RegExp(`(^|: )${escaped}.* must be a literal \\(not a CloudFormation token\\) because [^;]+; \\w+`));
  });
});

/** Props CloudFormation resolves: a parameter reaches the template as its Ref, unchecked, with no number made of a token. */
const RESOLVED_BY_CLOUDFORMATION: [string, (stack: Stack, t: Tokens) => unknown][] = [
  ['cors.allowOrigins entry', (s, t) => new ValidatedRestApi(s, 'Api', { cors: { allowOrigins: [t.str()] } })],
  ['cors.maxAge', (s, t) => new ValidatedRestApi(s, 'Api', { cors: { allowOrigins: [ORIGIN], maxAge: Duration.seconds(t.num()) } })],
  ['throttling', (s, t) => new ValidatedRestApi(s, 'Api', { throttling: { rateLimit: t.num(), burstLimit: t.num() } })],
  ['cache.ttl', (s, t) => new ValidatedRestApi(s, 'Api', { cache: { ttl: Duration.seconds(t.num()) } })],
  ['webAclRateLimit', (s, t) => new ValidatedRestApi(s, 'Api', { webAclRateLimit: t.num() })],
  ['customDomain.domainName', (s, t) => new ValidatedRestApi(s, 'Api', { customDomain: { domainName: t.str(), hostedZone: zone(s) } })],
  ['serviceName', (s, t) => new ServerlessService(s, 'Orders', { serviceName: t.str() })],
  ['alarmEmail', (s, t) => new ServerlessService(s, 'Orders', { serviceName: 'orders', alarmEmail: t.str() })],
  ['memorySize, reservedConcurrentExecutions', (s, t) => new EncryptedFunction(s, 'Fn', { code, handler: 'index.handler', memorySize: t.num(), reservedConcurrentExecutions: t.num() })],
  ['provisionedConcurrency', (s, t) => new EncryptedFunction(s, 'Fn', { code, handler: 'index.handler', provisionedConcurrency: { minCapacity: t.num(), maxCapacity: t.num() } })],
  ['alarmThresholds.errors', (s, t) => new EncryptedFunction(s, 'Fn', { code, handler: 'index.handler', alarmThresholds: { errors: t.num(), evaluationPeriods: t.num() } })],
  ['alarmThresholds.throttles', (s, t) => new SecureTable(s, 'Table', { partitionKey, alarmThresholds: { throttles: t.num() } })],
  ['replicaKeyArns value', (s, t) => new SecureTable(s, 'Table', { partitionKey, replicaRegions: ['us-west-2'], replicaKeyArns: { 'us-west-2': t.str() } })],
  ['capacity.maxReadRequestUnits', (s, t) => new SecureTable(s, 'Table', { partitionKey, capacity: TableCapacity.onDemand({ maxReadRequestUnits: t.num() }) })],
  ['noncurrentVersionExpiration', (s, t) => new ArtifactBucket(s, 'Bucket', { noncurrentVersionExpiration: Duration.days(t.num()) })],
];

test.each(RESOLVED_BY_CLOUDFORMATION)('%s: a CfnParameter reaches the template as a Ref, unchecked', (_prop, build) => {
  const stack = newStack();
  build(stack, parameterTokens(stack));
  const template = JSON.stringify(Template.fromStack(stack).toJSON().Resources);
  const parameters = Object.keys(Template.fromStack(stack).toJSON().Parameters).filter((id) => /^[SNL]\d+$/.test(id));
  expect(parameters.length).toBeGreaterThan(0);
  for (const id of parameters) expect(template).toContain(`{"Ref":"${id}"}`);
  // A number token used in arithmetic or String() shows up as its encoding, about -1.9e+289.
  expect(template).not.toMatch(/e\+289|Token\[/);
});

import { App, Duration, Lazy, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiAuthorization, ValidatedRestApi, ValidatedRestApiProps } from '../../src';
import { expectTagged } from '../harness/tags';

const ITEM_SCHEMA: apigw.JsonSchema = {
  type: apigw.JsonSchemaType.OBJECT,
  required: ['name'],
  properties: { name: { type: apigw.JsonSchemaType.STRING, minLength: 1 } },
  additionalProperties: false,
};

function newStack(): Stack {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  return new Stack(app, 'ApiStack', { env: { account: '123456789012', region: 'us-east-1' } });
}

function liveAlias(stack: Stack, id = 'Handler'): lambda.Alias {
  const fn = new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
  return new lambda.Alias(stack, `${id}Live`, { aliasName: 'live', version: fn.currentVersion });
}

/** The hosted zone example.com, imported. */
function zone(stack: Stack): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
}

/** A certificate of the account, imported by its ARN. */
function certificateOf(stack: Stack): acm.ICertificate {
  return acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
}

function synth(props: ValidatedRestApiProps = {}, addRoutes?: (api: ValidatedRestApi, stack: Stack) => void) {
  const stack = newStack();
  const api = new ValidatedRestApi(stack, 'Api', props);
  addRoutes?.(api, stack);
  return { stack, api, template: Template.fromStack(stack) };
}

function methodsOf(template: Template, httpMethod: string): any[] {
  return Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: httpMethod } }))
    .map((resource: any) => resource.Properties);
}

function logicalIdOf(template: Template, type: string, props: object = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('ValidatedRestApi API and stage', () => {
  test('tags takes tags onto every taggable resource it creates', () => {
    const { template } = synth({ tags: { team: 'payments' } });
    expectTagged(template, ['AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Stage', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::WAFv2::WebACL'], 'team', 'payments');
  });

  test('creates a REGIONAL REST API without the account CloudWatch role', () => {
    const { template } = synth({ binaryMediaTypes: ['image/png'], minCompressionSize: Size.kibibytes(1) });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      BinaryMediaTypes: ['image/png'],
      MinimumCompressionSize: 1024,
    });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('compression is off by default', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { MinimumCompressionSize: Match.absent() });
  });

  test('the stage traces with X-Ray and logs errors, metrics and throttling for every method', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: [{
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        MetricsEnabled: true,
        ThrottlingRateLimit: 100,
        ThrottlingBurstLimit: 200,
      }],
    });
  });

  test('stage name, throttling, execution logging level and data trace are props', () => {
    const { template } = synth({
      stageName: 'v1',
      throttling: { rateLimit: 50, burstLimit: 80 },
      executionLoggingLevel: apigw.MethodLoggingLevel.INFO,
      dataTraceEnabled: true,
      tracingEnabled: false,
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: false,
      MethodSettings: [Match.objectLike({
        LoggingLevel: 'INFO',
        DataTraceEnabled: true,
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 80,
      })],
    });
  });

  test('access logs are JSON with the caller, request and integration fields in a KMS-encrypted retained log group', () => {
    const { template, api } = synth();
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as any;
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      caller: '$context.identity.caller',
      user: '$context.identity.user',
      requestTime: '$context.requestTime',
      httpMethod: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
      status: '$context.status',
      protocol: '$context.protocol',
      responseLength: '$context.responseLength',
      integrationStatus: '$context.integration.status',
      integrationError: '$context.integration.error',
      errorMessage: '$context.error.message',
    });
    const accessLogsId = Stack.of(api).getLogicalId(api.accessLogGroup.node.defaultChild as any);
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [accessLogsId, 'Arn'] });
    const keyId = logicalIdOf(template, 'AWS::KMS::Key');
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    // The log group the stage writes to is that encrypted, retained one.
    expect(template.findResources('AWS::Logs::LogGroup')[accessLogsId]).toMatchObject({
      Properties: { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
  });

  test('the log key rotates and lets CloudWatch Logs of this account use it with exact actions', () => {
    const { template } = synth();
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({
            Principal: { Service: 'logs.us-east-1.amazonaws.com' },
            Action: Match.arrayWith(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']),
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']] },
              },
            },
          })]),
        },
      },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
  });

  test('the execution log group is created encrypted before the stage', () => {
    const { template } = synth();
    const restApiId = logicalIdOf(template, 'AWS::ApiGateway::RestApi');
    const executionLogs = Object.entries(template.findResources('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: restApiId }, '/prod']] } },
    }));
    expect(executionLogs).toHaveLength(1);
    const [executionLogsId, executionLogGroup] = executionLogs[0] as [string, any];
    expect(executionLogGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::KMS::Key'), 'Arn'] });
    template.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([executionLogsId]) });
  });

  test('accountCloudWatchRole sets the account role with a customer-managed policy before the stage deploys', () => {
    const { template } = synth({ accountCloudWatchRole: true });
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
      }),
    });
    const policyId = logicalIdOf(template, 'AWS::IAM::ManagedPolicy');
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: [{ Ref: policyId }] });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: Match.arrayWith(['logs:CreateLogStream', 'logs:PutLogEvents']),
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
        })],
      },
    });
    const accountId = logicalIdOf(template, 'AWS::ApiGateway::Account', { CloudWatchRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    template.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([accountId]) });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('a given log key and retention are used', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    new ValidatedRestApi(stack, 'Api', { logEncryptionKey: key, logRetention: logs.RetentionDays.ONE_MONTH, logRemovalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
      RetentionInDays: 30,
    });
  });

  test('the cache is off by default and encrypted with a TTL when enabled', () => {
    // Off is said explicitly: an absent CacheClusterEnabled / CachingEnabled leaves a cache that was on in place
    // (aws-cdk#32342); the AWS::ApiGateway::Stage schema names both as booleans, MethodSettings as the per-method list.
    const stage = Object.values(synth().template.findResources('AWS::ApiGateway::Stage'))[0] as any;
    expect(stage.Properties.CacheClusterEnabled).toBe(false);
    expect(stage.Properties.MethodSettings.length).toBeGreaterThan(0);
    for (const setting of stage.Properties.MethodSettings) expect(setting.CachingEnabled).toBe(false);
    const { template } = synth({ cache: { clusterSize: '1.6', ttl: Duration.minutes(2) } }, (api, stack) => {
      api.addRoute('/items/{id}', 'GET', liveAlias(stack));
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: true,
      CacheClusterSize: '1.6',
      MethodSettings: [Match.objectLike({ CachingEnabled: true, CacheDataEncrypted: true, CacheTtlInSeconds: 120 })],
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      Integration: Match.objectLike({ CacheKeyParameters: ['method.request.path.id'] }),
    });
  });
});

test('optional query strings and headers are declared, not required, and with the cache on every declared one keys the cache', () => {
  const { template } = synth({ cache: { clusterSize: '0.5' } }, (api, stack) => {
    api.addRoute('/items', 'GET', liveAlias(stack), { optionalQueryStrings: ['limit', 'nextToken'], optionalHeaders: ['Accept-Language'], requiredQueryStrings: ['tenant'] });
  });
  // The other GET is the health route.
  const get = methodsOf(template, 'GET').find((method) => method.RequestParameters !== undefined);
  expect(get.RequestParameters).toEqual({
    'method.request.querystring.tenant': true,
    'method.request.querystring.limit': false,
    'method.request.querystring.nextToken': false,
    'method.request.header.Accept-Language': false,
  });
  expect([...get.Integration.CacheKeyParameters].sort()).toEqual(Object.keys(get.RequestParameters).sort());
});

test.each([
  [{ optionalQueryStrings: ['limit'], requiredQueryStrings: ['limit'] }, /"limit" of GET \/items is listed as both required and optional/],
  [{ optionalHeaders: ['bad header'] }, /options.optionalHeaders of GET \/items names "bad header"/],
])('route parameter options %j are refused', (options, message) => {
  expect(() => synth({}, (api, stack) => api.addRoute('/items', 'GET', liveAlias(stack), options))).toThrow(message);
});

describe('ValidatedRestApi routes', () => {
  test('integrates with the given alias and lets only this method of this API invoke it', () => {
    const { template, stack } = synth({}, (api, s) => {
      api.addRoute('/items', 'POST', liveAlias(s), { requestSchema: ITEM_SCHEMA });
    });
    const aliasId = logicalIdOf(template, 'AWS::Lambda::Alias');
    const [post] = methodsOf(template, 'POST');
    expect(post.Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(post.Integration.Uri)).toContain(aliasId);
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((r: any) => r.Properties);
    expect(permissions).toHaveLength(1);
    expect(permissions[0].FunctionName).toEqual({ Ref: aliasId });
    expect(permissions[0].Principal).toBe('apigateway.amazonaws.com');
    const sourceArn = JSON.stringify(stack.resolve(permissions[0].SourceArn));
    expect(sourceArn).toContain('/POST/items');
    expect(sourceArn).toContain(logicalIdOf(template, 'AWS::ApiGateway::Stage'));
  });

  test('validators belong to the API: one for body and parameters, one for parameters, shared by routes', () => {
    const { template } = synth({}, (api, stack) => {
      const handler = liveAlias(stack);
      api.addRoute('/items', 'POST', handler, { requestSchema: ITEM_SCHEMA });
      api.addRoute('/items/{id}', 'PUT', handler, { requestSchema: ITEM_SCHEMA });
      api.addRoute('/items/{id}', 'GET', handler);
      api.addRoute('/items/{id}', 'DELETE', handler);
    });
    const restApiId = logicalIdOf(template, 'AWS::ApiGateway::RestApi');
    template.resourceCountIs('AWS::ApiGateway::RequestValidator', 2);
    const bodyValidatorId = logicalIdOf(template, 'AWS::ApiGateway::RequestValidator', {
      RestApiId: { Ref: restApiId }, ValidateRequestBody: true, ValidateRequestParameters: true,
    });
    const paramsValidatorId = logicalIdOf(template, 'AWS::ApiGateway::RequestValidator', {
      RestApiId: { Ref: restApiId }, ValidateRequestBody: false, ValidateRequestParameters: true,
    });
    for (const method of [...methodsOf(template, 'POST'), ...methodsOf(template, 'PUT')]) {
      expect(method.RequestValidatorId).toEqual({ Ref: bodyValidatorId });
    }
    for (const method of [...methodsOf(template, 'GET').filter((m) => m.Integration.Type === 'AWS_PROXY'), ...methodsOf(template, 'DELETE')]) {
      expect(method.RequestValidatorId).toEqual({ Ref: paramsValidatorId });
      expect(method.RequestParameters).toEqual({ 'method.request.path.id': true });
    }
  });

  test('the JSON schema becomes a model attached to the method for application/json', () => {
    const { template } = synth({}, (api, stack) => {
      api.addRoute('/items', 'POST', liveAlias(stack), { requestSchema: ITEM_SCHEMA });
    });
    const modelId = logicalIdOf(template, 'AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 } } },
    });
    const [post] = methodsOf(template, 'POST');
    expect(post.RequestModels).toEqual({ 'application/json': { Ref: modelId } });
  });

  test('required query strings and headers are request parameters checked by the parameters validator', () => {
    const { template } = synth({}, (api, stack) => {
      api.addRoute('/items', 'GET', liveAlias(stack), { requiredQueryStrings: ['limit'], requiredHeaders: ['X-Tenant'] });
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: { 'method.request.querystring.limit': true, 'method.request.header.X-Tenant': true },
      RequestValidatorId: { Ref: logicalIdOf(template, 'AWS::ApiGateway::RequestValidator', { ValidateRequestBody: false }) },
    });
  });

  test('a route without parameters or schema has no validator', () => {
    const { template } = synth({}, (api, stack) => {
      api.addRoute('/items', 'GET', liveAlias(stack));
    });
    const get = methodsOf(template, 'GET').find((m) => m.Integration.Type === 'AWS_PROXY');
    expect(get.RequestValidatorId).toBeUndefined();
  });

  test('routes use IAM authorization by default and a per-route override', () => {
    const { template } = synth({}, (api, stack) => {
      const handler = liveAlias(stack);
      api.addRoute('/items', 'POST', handler);
      api.addRoute('/public', 'GET', handler, { authorization: ApiAuthorization.none() });
    });
    expect(methodsOf(template, 'POST')[0].AuthorizationType).toBe('AWS_IAM');
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET', AuthorizationType: 'NONE', Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
  });

  test('Cognito authorization shares one user-pool authorizer across routes', () => {
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const api = new ValidatedRestApi(stack, 'Api', { authorization: ApiAuthorization.cognito(pool, ['items/read']) });
    const handler = liveAlias(stack);
    api.addRoute('/items', 'GET', handler);
    api.addRoute('/items', 'POST', handler);
    const template = Template.fromStack(stack);
    const authorizerId = logicalIdOf(template, 'AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
    for (const method of [...methodsOf(template, 'POST'), methodsOf(template, 'GET').find((m) => m.Integration.Type === 'AWS_PROXY')]) {
      expect(method.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(method.AuthorizerId).toEqual({ Ref: authorizerId });
      expect(method.AuthorizationScopes).toEqual(['items/read']);
    }
  });

  test('several methods on one path share the resource; the same route twice throws naming it', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    const handler = liveAlias(stack);
    api.addRoute('/items/{id}', 'GET', handler);
    api.addRoute('/items/{id}', 'put', handler);
    expect(() => api.addRoute('/items/{id}', 'GET', handler)).toThrow(/route GET \/items\/\{id\} is already defined/);
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Resource', 3); // items, {id}, health
  });

  test('routes whose construct ids collide get distinct models', () => {
    const { template } = synth({}, (api, stack) => {
      const handler = liveAlias(stack);
      api.addRoute('/item-list', 'POST', handler, { requestSchema: ITEM_SCHEMA });
      api.addRoute('/itemList', 'POST', handler, { requestSchema: ITEM_SCHEMA });
    });
    template.resourceCountIs('AWS::ApiGateway::Model', 2);
  });

  test('invalid routes throw naming the problem', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    const handler = liveAlias(stack);
    expect(() => api.addRoute('items', 'GET', handler)).toThrow(/path "items" is not a resource path/);
    expect(() => api.addRoute('/items/', 'GET', handler)).toThrow(/path "\/items\/" is not a resource path/);
    expect(() => api.addRoute('/items', 'OPTIONS', handler)).toThrow(/method "OPTIONS" of OPTIONS \/items is not supported/);
    expect(() => api.addRoute('/items', 'GET', handler, { requestSchema: ITEM_SCHEMA })).toThrow(/options.requestSchema of GET \/items/);
    expect(() => api.addRoute('/items', 'GET', handler, { requiredPathParameters: ['id'] }))
      .toThrow(/options.requiredPathParameters of GET \/items names "id"/);
    expect(() => api.addRoute('/health', 'GET', handler)).toThrow(/route GET \/health is already defined/);
  });

  /**
   * API Gateway resources: the root resource `/` takes methods, and a path part may be a variable `{name}` or a greedy
   * `{name+}` at any depth, the first one included (API Gateway developer guide, "Set up a proxy integration with a proxy
   * resource").
   */
  test.each(['/', '/{id}', '/{proxy+}', '/v1.2/{order_id}/lines', '/{tenant}/{path+}'])('the resource path %s is accepted', (path) => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    expect(() => api.addRoute(path, 'POST', liveAlias(stack), { requiredPathParameters: path === '/{id}' ? ['id'] : undefined })).not.toThrow();
  });

  /** Each refusal says what is wrong and what to write instead, in full. */
  test.each<[string, string, object, string]>([
    ['items', 'GET', {}, 'path "items" is not a resource path; use segments like /items/{id} (leading slash, no trailing slash, no empty segments).'],
    ['/items//x', 'GET', {}, 'path "/items//x" is not a resource path; use segments like /items/{id} (leading slash, no trailing slash, no empty segments).'],
    ['/items', 'OPTIONS', {}, 'method "OPTIONS" of OPTIONS /items is not supported; use one of GET, POST, PUT, PATCH, DELETE, HEAD, ANY (OPTIONS is answered by the CORS preflight).'],
    ['/items', 'GET', { requestSchema: ITEM_SCHEMA }, 'options.requestSchema of GET /items validates a body, which GET requests do not carry; use requiredQueryStrings instead.'],
    ['/items', 'HEAD', { requestSchema: ITEM_SCHEMA }, 'options.requestSchema of HEAD /items validates a body, which HEAD requests do not carry; use requiredQueryStrings instead.'],
    ['/items/{itemId}', 'GET', { requiredPathParameters: ['id'] },
      'options.requiredPathParameters of GET /items/{itemId} names "id", which is not a {id} segment of the path; add it to the path or remove it.'],
  ])('addRoute(%s, %s) with %j is refused with the whole fix', (path, method, options, message) => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    expect(() => api.addRoute(path, method, liveAlias(stack), options)).toThrow(message);
  });

  test('a method that is a token is refused, listing the methods to write', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    expect(() => api.addRoute('/items', Lazy.string({ produce: () => 'GET' }), liveAlias(stack)))
      .toThrow('; write one of GET, POST, PUT, PATCH, DELETE, HEAD, ANY.');
  });

  /**
   * API Gateway enforces every draft-04 keyword of a model; the handler and local mode enforce a subset, so a route
   * schema with another keyword would behave differently behind API Gateway and locally (issue 24 item 3).
   */
  test.each<[string, apigw.JsonSchema]>([
    ['oneOf', { oneOf: [{ type: apigw.JsonSchemaType.STRING }, { type: apigw.JsonSchemaType.NUMBER }] }],
    ['format', { type: apigw.JsonSchemaType.OBJECT, properties: { email: { type: apigw.JsonSchemaType.STRING, format: 'email' } } }],
    ['uniqueItems', { type: apigw.JsonSchemaType.ARRAY, uniqueItems: true }],
  ])('a route request schema using %s is refused at synthesis, as itemSchema is', (keyword, requestSchema) => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    expect(() => api.addRoute('/orders', 'POST', liveAlias(stack), { requestSchema }))
      .toThrow(new RegExp(`options.requestSchema of POST /orders uses the keyword "${keyword}" at /[a-z/]*, which the handler and local mode do not enforce`));
  });

  test('a route request schema that no value satisfies, or that does not compile, is refused at synthesis', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    const handler = liveAlias(stack);
    const route = (requestSchema: apigw.JsonSchema) => () => api.addRoute('/orders', 'POST', handler, { requestSchema });
    // new RegExp('(') throws SyntaxError "Unterminated group" (ECMA-262), as the handler would on every request.
    expect(route({ type: apigw.JsonSchemaType.STRING, pattern: '(' })).toThrow(/options.requestSchema of POST \/orders does not compile: .*Unterminated group/);
    expect(route({ type: apigw.JsonSchemaType.INTEGER, minimum: 10, maximum: 1 }))
      .toThrow(/at \/ has minimum 10 above maximum 1, which no value satisfies/);
  });

  test('bounds that meet are satisfiable, and item schemas of arrays are checked too', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    const handler = liveAlias(stack);
    const route = (path: string, requestSchema: apigw.JsonSchema) => () => api.addRoute(path, 'POST', handler, { requestSchema });
    // JSON Schema draft 4 (json-schema-validation sections 5.1.2, 5.1.3, 5.2.1, 5.2.2, 5.3.2, 5.3.3): maximum, maxLength
    // and maxItems are inclusive like their minimums, so the value 3, a 4-character string or a 2-element array satisfies them.
    expect(route('/fixed', {
      type: apigw.JsonSchemaType.OBJECT,
      properties: {
        n: { type: apigw.JsonSchemaType.INTEGER, minimum: 3, maximum: 3 },
        code: { type: apigw.JsonSchemaType.STRING, minLength: 4, maxLength: 4 },
        pair: { type: apigw.JsonSchemaType.ARRAY, minItems: 2, maxItems: 2 },
      },
    })).not.toThrow();
    expect(route('/lists', { type: apigw.JsonSchemaType.ARRAY, items: { type: apigw.JsonSchemaType.STRING, minLength: 3, maxLength: 2 } }))
      .toThrow(/at \/items has minLength 3 above maxLength 2, which no value satisfies/);
  });

  /** API Gateway: "A sibling ({id}) of this resource already has a variable path part -- only one is allowed". */
  test.each([
    ['/items/{id}', '/items/{itemId}/comments', /path "\/items\/\{itemId\}\/comments" of GET \/items\/\{itemId\}\/comments puts the variable \{itemId\} beside its sibling \{id\} \(\/items\/\{id\}\)/],
    ['/x/{xid}/sub', '/x/{id}', /puts the variable \{id\} beside its sibling \{xid\}/],
    ['/files/{key+}', '/files/{name}', /puts the variable \{name\} beside its sibling \{key\+\}/],
  ])('sibling path variables (%s beside %s) are refused at synthesis', (first, second, message) => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    const handler = liveAlias(stack);
    api.addRoute(first, 'GET', handler);
    expect(() => api.addRoute(second, 'GET', handler)).toThrow(message);
  });

  test('one variable per resource with static siblings is accepted', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    const handler = liveAlias(stack);
    api.addRoute('/items/{id}', 'GET', handler);
    api.addRoute('/items/{id}/comments', 'GET', handler);
    api.addRoute('/items/search', 'GET', handler);
    api.addRoute('/items/{id}', 'DELETE', handler);
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Resource', 5); // items, {id}, comments, search, health
  });

  /** API Gateway quotas: "Integration timeout: 50 milliseconds - 29 seconds" by default for REST APIs. */
  test('a route to a function whose timeout exceeds 29 s is refused; 29 s is accepted', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    const fn = (id: string, seconds: number) => new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      timeout: Duration.seconds(seconds),
    });
    const slow = fn('Slow', 30);
    expect(() => api.addRoute('/slow', 'GET', new lambda.Alias(stack, 'SlowLive', { aliasName: 'live', version: slow.currentVersion })))
      .toThrow(/the timeout of the function routed by GET \/slow \(ApiStack\/Slow\) \(30 s\) exceeds API Gateway's integration timeout of 29 s/);
    expect(() => api.addRoute('/slow', 'POST', slow)).toThrow(/\(30 s\) exceeds API Gateway's integration timeout/);
    expect(() => api.addRoute('/fast', 'GET', fn('Fast', 29))).not.toThrow();
  });

  /** RFC 9110 section 15: a status code is a three-digit integer from 100 to 599. */
  test.each(['ok', '20', '2000', '600', '099', '1200', 'x200', '200 '])('a response statusCode "%s" is refused', (statusCode) => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    expect(() => api.addRoute('/orders', 'GET', liveAlias(stack), { responses: [{ statusCode }] }))
      .toThrow(`options.responses statusCode "${statusCode}" of GET /orders is not an HTTP status code; use three digits from 100 to 599`);
  });

  test('grantInvoke allows execute-api:Invoke on the stage', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api');
    const role = new iam.Role(stack, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantInvoke(role, 'GET', '/items');
    const template = Template.fromStack(stack);
    const policy = Object.values(template.findResources('AWS::IAM::Policy'))[0] as any;
    expect(policy.Properties.PolicyDocument.Statement[0].Action).toBe('execute-api:Invoke');
    expect(JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource)).toContain('/GET/items');
  });
});

describe('ValidatedRestApi CORS and gateway responses', () => {
  const cors = { allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowCredentials: true };

  test('OPTIONS preflight methods have no authorization while other methods keep the default', () => {
    const { template } = synth({ cors }, (api, stack) => {
      api.addRoute('/items', 'POST', liveAlias(stack));
    });
    const options = methodsOf(template, 'OPTIONS');
    expect(options.length).toBeGreaterThanOrEqual(3); // root, /items, /health
    for (const method of options) {
      expect(method.AuthorizationType).toBe('NONE');
      expect(method.Integration.Type).toBe('MOCK');
      expect(method.MethodResponses[0].StatusCode).toBe('204');
    }
    expect(methodsOf(template, 'POST')[0].AuthorizationType).toBe('AWS_IAM');
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      Integration: Match.objectLike({
        IntegrationResponses: [Match.objectLike({
          ResponseParameters: Match.objectLike({
            'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
            'method.response.header.Access-Control-Allow-Credentials': "'true'",
            'method.response.header.Access-Control-Max-Age': "'3600'",
          }),
          // The second origin is echoed when it is the request's Origin.
          ResponseTemplates: { 'application/json': Match.stringLikeRegexp('https://admin.example.com') },
        })],
      }),
    });
  });

  test('every gateway response carries CORS headers and the error contract with the request id', () => {
    const { template } = synth({ cors });
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties);
    // The response types and default statuses of AWS's "Gateway response types for API Gateway" page.
    const documented: Record<string, string | undefined> = {
      ACCESS_DENIED: '403',
      API_CONFIGURATION_ERROR: '500',
      AUTHORIZER_CONFIGURATION_ERROR: '500',
      AUTHORIZER_FAILURE: '500',
      BAD_REQUEST_PARAMETERS: '400',
      BAD_REQUEST_BODY: '400',
      // The catch-alls keep the status of whatever failed (e.g. 502 for a failed Lambda proxy integration).
      DEFAULT_4XX: undefined,
      DEFAULT_5XX: undefined,
      EXPIRED_TOKEN: '403',
      INTEGRATION_FAILURE: '504',
      INTEGRATION_TIMEOUT: '504',
      INVALID_API_KEY: '403',
      INVALID_SIGNATURE: '403',
      MISSING_AUTHENTICATION_TOKEN: '403',
      QUOTA_EXCEEDED: '429',
      REQUEST_TOO_LARGE: '413',
      RESOURCE_NOT_FOUND: '404',
      THROTTLED: '429',
      UNAUTHORIZED: '401',
      UNSUPPORTED_MEDIA_TYPE: '415',
      WAF_FILTERED: '403',
    };
    expect(Object.fromEntries(responses.map((r) => [r.ResponseType, r.StatusCode]))).toEqual(documented);
    for (const response of responses) {
      expect(response.ResponseParameters).toEqual({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
        'gatewayresponse.header.Vary': "'Origin'",
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
      });
    }
  });

  test('exposed headers are listed on the preflight and the gateway responses', () => {
    const { template } = synth({ cors: { allowOrigins: ['https://app.example.com'], exposeHeaders: ['X-Request-Id'] } });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Expose-Headers': "'X-Request-Id'" }),
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      Integration: Match.objectLike({
        IntegrationResponses: [Match.objectLike({
          ResponseParameters: Match.objectLike({ 'method.response.header.Access-Control-Expose-Headers': "'X-Request-Id'" }),
        })],
      }),
    });
  });

  test('once API Gateway substitutes its variables, every template is the error contract; validation carries the detail', () => {
    const { template } = synth({ cors });
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties);
    const codes: Record<string, string> = {};
    for (const response of responses) {
      // Substitution as API Gateway does it: messageString is a quoted JSON string, validationErrorString JSON-escaped.
      const body = response.ResponseTemplates['application/json']
        .replace('$context.error.messageString', JSON.stringify('Invalid "request" body'))
        .replace('$context.error.validationErrorString', JSON.stringify('[object has missing required properties (["version"])]').slice(1, -1))
        .replace('$context.requestId', 'r-1');
      const { error } = JSON.parse(body);
      expect(Object.keys(error).sort()).toEqual(['code', 'details', 'message', 'requestId']);
      expect(error).toMatchObject({ code: expect.stringMatching(/^[A-Z][A-Za-z]+$/), message: 'Invalid "request" body', requestId: 'r-1' });
      const validation = ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS'].includes(response.ResponseType);
      expect(error.details).toEqual(validation ? [{ path: '', message: '[object has missing required properties (["version"])]' }] : []);
      codes[response.ResponseType] = error.code;
    }
    // The failures the handler can also report carry the handler's codes.
    expect(codes).toMatchObject({
      BAD_REQUEST_BODY: 'ValidationError',
      REQUEST_TOO_LARGE: 'PayloadTooLarge',
      UNSUPPORTED_MEDIA_TYPE: 'UnsupportedMediaType',
      DEFAULT_5XX: 'InternalError',
      MISSING_AUTHENTICATION_TOKEN: 'MissingAuthenticationToken',
    });
  });

  test('without CORS there are no OPTIONS methods and gateway responses carry no CORS header', () => {
    const { template } = synth();
    expect(methodsOf(template, 'OPTIONS')).toHaveLength(0);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: Match.not(Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Origin': Match.anyValue() })),
    });
  });

  test.each([
    [{ allowOrigins: ['*'], allowCredentials: true }, /cors.allowOrigins '\*' cannot be combined with cors.allowCredentials/],
    [{ allowOrigins: [] }, /cors.allowOrigins is empty/],
    [{ allowOrigins: ['*', 'https://a.example.com'] }, /cors.allowOrigins mixes '\*'/],
    // '*' anywhere in the list, not only first (Fetch standard, CORS protocol: `*` is the only value besides one origin).
    [{ allowOrigins: ['https://a.example.com', '*'] }, /cors.allowOrigins mixes '\*'/],
    [{ allowOrigins: ['https://a.example.com', 'https://b.example.com', '*'], allowCredentials: true }, /cors.allowOrigins '\*' cannot be combined with cors.allowCredentials/],
    [{ allowOrigins: ['https://a.example.com/'] }, /cors.allowOrigins entry "https:\/\/a.example.com\/" is not an origin/],
    [{ allowOrigins: ['https://a.example.com'], allowMethods: ['FETCH'] }, /cors.allowMethods entry "FETCH"/],
    [{ allowOrigins: ['https://a.example.com'], maxAge: Duration.days(2) }, /cors.maxAge \(172800 s\) exceeds one day/],
  ])('invalid CORS %j throws', (badCors, message) => {
    expect(() => new ValidatedRestApi(newStack(), 'Api', { cors: badCors })).toThrow(message);
  });
});

describe('ValidatedRestApi health route', () => {
  test('GET /health is a MOCK answering {"status":"ok"} without authorization', () => {
    const { template, api } = synth();
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'health' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({
        Type: 'MOCK',
        RequestTemplates: { 'application/json': '{"statusCode": 200}' },
        IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '{"status":"ok"}' } }],
      }),
    });
    expect(api.healthMethod).toBeDefined();
  });

  test('the health route path and authorization are props, and it can be turned off', () => {
    const custom = synth({ healthCheckPath: '/status', healthCheckAuthorization: ApiAuthorization.iam() }).template;
    custom.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'status' });
    custom.hasResourceProperties('AWS::ApiGateway::Method', { AuthorizationType: 'AWS_IAM', Integration: Match.objectLike({ Type: 'MOCK' }) });
    const withoutHealth = synth({ healthCheck: false }, (api, stack) => api.addRoute('/items', 'GET', liveAlias(stack))).template;
    withoutHealth.resourceCountIs('AWS::ApiGateway::Method', 1);
    withoutHealth.resourcePropertiesCountIs('AWS::ApiGateway::Resource', { PathPart: 'health' }, 0);
    expect(() => synth({ healthCheckPath: 'status' })).toThrow(/healthCheckPath "status" is not a resource path/);
  });
});

describe('ValidatedRestApi WAF', () => {
  test('creates a regional web ACL with managed rule groups and a rate rule, logs it and associates it with the stage', () => {
    const { template, stack } = synth({ webAclRateLimit: 500 });
    const webAclId = logicalIdOf(template, 'AWS::WAFv2::WebACL', { Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const rules = (Object.values(template.findResources('AWS::WAFv2::WebACL'))[0] as any).Properties.Rules;
    expect(rules.map((r: any) => r.Statement.ManagedRuleGroupStatement?.Name ?? r.Name)).toEqual([
      'BodySizeLimit', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'RateLimitPerIp',
    ]);
    expect(rules.map((r: any) => r.Priority)).toEqual([0, 1, 2, 3, 4]);
    expect(rules[4]).toMatchObject({ Action: { Block: {} }, Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 500 } } });
    const association = (Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'))[0] as any).Properties;
    expect(association.WebACLArn).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
    const resourceArn = JSON.stringify(stack.resolve(association.ResourceArn));
    expect(resourceArn).toContain(logicalIdOf(template, 'AWS::ApiGateway::RestApi'));
    expect(resourceArn).toContain(logicalIdOf(template, 'AWS::ApiGateway::Stage'));
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [webAclId, 'Arn'] },
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
    });
    // WAF: "Your log group name must start with aws-waf-logs-" (waf/latest/developerguide/logging-cw-logs.html). The group
    // is kept, so the rest of its name comes from the stack's id: a retry after a failed create never collides with it.
    const wafLogs = Object.values(template.findResources('AWS::Logs::LogGroup'))
      .map((group: any) => group.Properties.LogGroupName)
      .filter((name) => JSON.stringify(name ?? '').includes('aws-waf-logs-'));
    expect(wafLogs).toHaveLength(1);
    expect(wafLogs[0]['Fn::Join'][1][0]).toMatch(/^aws-waf-logs-/);
    expect(JSON.stringify(wafLogs[0])).toContain('"Ref":"AWS::StackId"');
  });

  test('bodies over maxRequestBodySize get 413 with the error contract from WAF; the Common Rule Set\'s 8 KB body rule only counts', () => {
    const check = (props: ValidatedRestApiProps, bytes: number, inspection: string) => {
      const webAcl = (Object.values(synth(props).template.findResources('AWS::WAFv2::WebACL'))[0] as any).Properties;
      const [sizeRule, , common] = webAcl.Rules;
      expect(sizeRule).toMatchObject({
        Name: 'BodySizeLimit',
        Action: { Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'payload-too-large' } } },
        Statement: { SizeConstraintStatement: { FieldToMatch: { Body: { OversizeHandling: 'MATCH' } }, ComparisonOperator: 'GT', Size: bytes } },
      });
      expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
      expect(webAcl.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: inspection } } });
      const body = webAcl.CustomResponseBodies['payload-too-large'];
      expect(body.ContentType).toBe('APPLICATION_JSON');
      expect(JSON.parse(body.Content)).toEqual({
        error: { code: 'PayloadTooLarge', message: `The request body must not exceed ${bytes} bytes.`, requestId: '', details: [] },
      });
    };
    check({}, 65_536, 'KB_64');
    check({ maxRequestBodySize: Size.kibibytes(20) }, 20_480, 'KB_32');
    check({ maxRequestBodySize: Size.kibibytes(16) }, 16_384, 'KB_16');
  });

  test.each([
    [{ maxRequestBodySize: Size.kibibytes(65) }, /maxRequestBodySize \(66560 bytes\) must be from 1 to 65536 bytes with a created web ACL/],
    [{ maxRequestBodySize: Size.mebibytes(11), createWebAcl: false }, /maxRequestBodySize \(11534336 bytes\) must be from 1 to 10485760 bytes/],
  ])('maxRequestBodySize %j is refused', (props, message) => {
    expect(() => new ValidatedRestApi(newStack(), 'Api', props)).toThrow(message);
  });

  test('a given web ACL is associated and none is created', () => {
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shared/abc';
    const { template } = synth({ webAclArn: arn });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
  });

  test('createWebAcl: false leaves the stage without web ACL', () => {
    const { template } = synth({ createWebAcl: false });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  test('createWebAcl together with webAclArn throws', () => {
    expect(() => synth({ createWebAcl: true, webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/y' }))
      .toThrow(/createWebAcl and webAclArn are mutually exclusive/);
    expect(() => synth({ webAclRateLimit: 5 })).toThrow(/webAclRateLimit \(5\)/);
  });

  test('webAclRateLimit takes WAF\'s whole range, from 10 requests per 5 minutes', () => {
    // AWS WAF RateBasedStatement.Limit: 10 to 2,000,000,000 (AWS WAF API reference, RateBasedStatement).
    expect(() => synth({ webAclRateLimit: 9 })).toThrow(/webAclRateLimit \(9\)/);
    const { template } = synth({ webAclRateLimit: 10 });
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 10 }) } })]),
    });
  });
});

describe('ValidatedRestApi custom domain', () => {
  test('with a hosted zone: DNS-validated certificate, TLS 1.2 regional domain, base path mapping, an A alias and no AAAA', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api', {
      customDomain: { domainName: 'api.example.com', hostedZone: zone(stack), basePath: 'v1' },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: 'Z123' }],
    });
    const domainId = logicalIdOf(template, 'AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      SecurityPolicy: 'TLS_1_2',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      RegionalCertificateArn: { Ref: logicalIdOf(template, 'AWS::CertificateManager::Certificate') },
    });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: { Ref: domainId },
      BasePath: 'v1',
      RestApiId: { Ref: logicalIdOf(template, 'AWS::ApiGateway::RestApi') },
      Stage: { Ref: logicalIdOf(template, 'AWS::ApiGateway::Stage') },
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.',
      Type: 'A',
      HostedZoneId: 'Z123',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [domainId, 'RegionalDomainName'] }, HostedZoneId: Match.anyValue() },
    });
    // An AAAA alias answers only for a dual-stack domain name (EndpointConfiguration.IpAddressType "dualstack" in the
    // AWS::ApiGateway::DomainName schema); this one sets no IpAddressType, so API Gateway serves it over IPv4 only.
    expect(template.findResources('AWS::ApiGateway::DomainName')[domainId].Properties.EndpointConfiguration.IpAddressType).toBeUndefined();
    template.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Type: 'AAAA' }, 0);
    expect(api.url).toBe('https://api.example.com/v1/');
    expect(api.domain).toBeDefined();
  });

  test('a given certificate without hosted zone creates no certificate and no records', () => {
    const stack = newStack();
    const certificate = certificateOf(stack);
    new ValidatedRestApi(stack, 'Api', { customDomain: { domainName: 'api.example.com', certificate }, disableExecuteApiEndpoint: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      RegionalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    // The disabled execute-api URL is not output.
    expect(Object.values(template.findOutputs('*')).map((o: any) => o.Value)).toEqual(['https://api.example.com/']);
  });

  test('invalid custom domains throw naming the prop', () => {
    expect(() => synth({ customDomain: { domainName: 'api.example.com' } })).toThrow(/customDomain.certificate is required/);
    const stack = newStack();
    expect(() => new ValidatedRestApi(stack, 'Api', { customDomain: { domainName: 'api.other.org', hostedZone: zone(stack) } }))
      .toThrow(/customDomain.domainName "api.other.org" is not in customDomain.hostedZone "example.com"/);
    expect(() => synth({ disableExecuteApiEndpoint: true })).toThrow(/disableExecuteApiEndpoint leaves the API unreachable without customDomain/);
  });
});

describe('ValidatedRestApi outputs', () => {
  test('the URL is output and exported under a default name', () => {
    const { template } = synth();
    const outputs = template.findOutputs('*');
    const url = Object.values(outputs).find((o: any) => o.Export);
    expect(url).toMatchObject({ Export: { Name: 'ApiStack-Api-Url' } });
    expect(JSON.stringify(url!.Value)).toContain('execute-api');
  });

  test('the export name is settable, the domain URL has its own output, and exports can be turned off', () => {
    const stack = newStack();
    const certificate = certificateOf(stack);
    new ValidatedRestApi(stack, 'Api', { urlExportName: 'items-api-url', customDomain: { domainName: 'api.example.com', certificate } });
    const outputs = Object.values(Template.fromStack(stack).findOutputs('*'));
    expect(outputs.map((o: any) => o.Export?.Name).sort()).toEqual(['items-api-url', 'items-api-url-Domain']);
    expect(outputs.map((o: any) => o.Value)).toContain('https://api.example.com/');

    const unexported = Template.fromStack(synth({ exportUrl: false }).stack).findOutputs('*');
    expect(Object.values(unexported)).toHaveLength(1);
    expect(Object.values(unexported)[0].Export).toBeUndefined();
  });
});

describe('ValidatedRestApi validation', () => {
  test('a stage name of 128 characters, API Gateway\'s maximum (CreateStage), is accepted', () => {
    const name = `v_-${'s'.repeat(125)}`;
    synth({ stageName: name }).template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: name });
  });

  test.each<[ValidatedRestApiProps, RegExp]>([
    [{ stageName: 'prod stage' }, /stageName "prod stage" is invalid/],
    // API Gateway stage names: letters, digits, hyphens and underscores, up to 128 characters (CreateStage).
    [{ stageName: 's'.repeat(129) }, /stageName "s{129}" is invalid/],
    [{ throttling: { rateLimit: -1 } }, /throttling.rateLimit \(-1\) must be >= 0/],
    [{ throttling: { burstLimit: 2.5 } }, /throttling.burstLimit \(2.5\) must be a whole number/],
    [{ cache: { clusterSize: '2' } }, /cache.clusterSize "2" is not a cache size/],
    // Route 53 / ACM names: no scheme, path, port or trailing dot (DomainNameFormat.html, API_RequestCertificate.html).
    [{ customDomain: { domainName: 'https://api.example.com', certificate: {} as acm.ICertificate } },
      /customDomain.domainName "https:\/\/api.example.com" is not a domain name as Route 53 and ACM take it .* give the bare name, e.g. "api.example.com"/],
    [{ customDomain: { domainName: 'api.example.com/v1', certificate: {} as acm.ICertificate } }, /customDomain.domainName "api.example.com\/v1" is not a domain name/],
    [{ customDomain: { domainName: 'api.example.com:443', certificate: {} as acm.ICertificate } }, /customDomain.domainName "api.example.com:443" is not a domain name/],
    [{ customDomain: { domainName: `${'a'.repeat(64)}.example.com`, certificate: {} as acm.ICertificate } }, /is not a domain name/],
    [{ customDomain: { domainName: '-api.example.com', certificate: {} as acm.ICertificate } }, /is not a domain name/],
    // RFC 6454 section 6.1: browsers send the scheme and host of an Origin in lowercase.
    [{ cors: { allowOrigins: ['https://App.Example.com'] } },
      /cors.allowOrigins entry "https:\/\/App.Example.com" has uppercase letters, .* write it in lowercase: "https:\/\/app.example.com"/],
    [{ cache: { clusterSize: Lazy.string({ produce: () => '0.5' }) } }, /cache.clusterSize must be a literal \(not a CloudFormation token\) because/],
    [{ cors: { allowOrigins: ['https://app.example.com'], allowMethods: [Lazy.string({ produce: () => 'GET' })] } },
      /cors.allowMethods must be a literal \(not a CloudFormation token\) because/],
    [{ cache: { ttl: Duration.hours(2) } }, /cache.ttl \(7200 s\) exceeds/],
  ])('%j throws naming the prop', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

/**
 * Each refusal says, in full, which prop, what is wrong and the fix (the message form of construct-errors): the
 * "ValidatedRestApi: " owner, then the message. Cases are the documented rules (API.md) at values a user writes.
 */
describe('ValidatedRestApi refusals in full', () => {
  const ORIGIN = 'https://app.example.com';

  test.each<[string, (stack: Stack) => ValidatedRestApiProps, string]>([
    ['a token body size', () => ({ maxRequestBodySize: Size.bytes(Lazy.number({ produce: () => 1024 })) }),
      'maxRequestBodySize must be a literal (not a CloudFormation token) because it is checked against WAF\'s and API Gateway\'s limits '
      + 'and written into the handler\'s environment as a number at synthesis; write the size, e.g. Size.kibibytes(64).'],
    ['a body size over the payload quota without a web ACL', () => ({ createWebAcl: false, maxRequestBodySize: Size.mebibytes(11) }),
      'maxRequestBodySize (11534336 bytes) must be from 1 to 10485760 bytes (API Gateway\'s payload quota).'],
    ['a body size over what WAF inspects', () => ({ maxRequestBodySize: Size.kibibytes(65) }),
      'maxRequestBodySize (66560 bytes) must be from 1 to 65536 bytes with a created web ACL (the most WAF inspects of an API Gateway body).'],
    ['a fractional body size', () => ({ maxRequestBodySize: Size.bytes(1.5) }),
      'maxRequestBodySize (1.5 bytes) must be from 1 to 65536 bytes with a created web ACL (the most WAF inspects of an API Gateway body).'],
    ['both web ACL props', () => ({ createWebAcl: true, webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/acl/1' }),
      'createWebAcl and webAclArn are mutually exclusive; remove webAclArn to create a web ACL, or createWebAcl to associate the given one.'],
    ['no endpoint at all', () => ({ disableExecuteApiEndpoint: true }),
      'disableExecuteApiEndpoint leaves the API unreachable without customDomain; set customDomain or keep the default endpoint.'],
    ['a domain with neither certificate nor zone', () => ({ customDomain: { domainName: 'api.example.com' } }),
      'customDomain.certificate is required when customDomain.hostedZone is not given (api.example.com); '
      + 'pass a certificate, or a hosted zone to create a DNS-validated one.'],
    ['a created certificate\'s first name over 64 characters', (stack) => ({ customDomain: { domainName: `${'a'.repeat(54)}.example.com`, hostedZone: zone(stack) } }),
      `customDomain.domainName "${'a'.repeat(54)}.example.com" has 66 characters, more than the 64 ACM allows as the first name of the `
      + 'certificate the API creates for it; use a shorter name, or pass customDomain.certificate (one whose first name is shorter, '
      + 'listing this name as a subject alternative name).'],
    ['a domain outside its zone', (stack) => ({ customDomain: { domainName: 'api.example.org', hostedZone: zone(stack) } }),
      'customDomain.domainName "api.example.org" is not in customDomain.hostedZone "example.com"; use a name inside the zone or the zone of the name.'],
    ['a URL with its own host as domain', (stack) => ({ customDomain: { domainName: 'https://orders.example.org/v1', certificate: certificateOf(stack) } }),
      'customDomain.domainName "https://orders.example.org/v1" is not a domain name as Route 53 and ACM take it (labels of letters, digits and '
      + 'hyphens separated by dots, no scheme, path, port or trailing dot, at most 253 characters); give the bare name, e.g. "orders.example.org".'],
    ['a name with a trailing dot', (stack) => ({ customDomain: { domainName: 'orders.example.org.', certificate: certificateOf(stack) } }),
      'customDomain.domainName "orders.example.org." is not a domain name as Route 53 and ACM take it (labels of letters, digits and '
      + 'hyphens separated by dots, no scheme, path, port or trailing dot, at most 253 characters); give the bare name, e.g. "api.example.com".'],
    ['\'*\' with credentials', () => ({ cors: { allowOrigins: ['*'], allowCredentials: true } }),
      'cors.allowOrigins \'*\' cannot be combined with cors.allowCredentials (browsers reject it); list the explicit origins or turn allowCredentials off.'],
    ['an origin pasted with a leading space', () => ({ cors: { allowOrigins: [` ${ORIGIN}`] } }),
      'cors.allowOrigins entry " https://app.example.com" is not an origin; use scheme://host[:port] without path or trailing slash, e.g. https://app.example.com.'],
    ['a token CORS method', () => ({ cors: { allowOrigins: [ORIGIN], allowMethods: [Lazy.string({ produce: () => 'GET' })] } }),
      'cors.allowMethods must be a literal (not a CloudFormation token) because the preflight response is built at synthesis; '
      + 'write one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY.'],
    ['an unknown CORS method', () => ({ cors: { allowOrigins: [ORIGIN], allowMethods: ['FETCH'] } }),
      'cors.allowMethods entry "FETCH" is not an HTTP method; use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY.'],
    ['a token cache size', () => ({ cache: { clusterSize: Lazy.string({ produce: () => '0.5' }) } }),
      'cache.clusterSize must be a literal (not a CloudFormation token) because it is checked against the cache sizes API Gateway offers '
      + 'at synthesis; write one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237.'],
    ['an unknown cache size', () => ({ cache: { clusterSize: '2' } }),
      'cache.clusterSize "2" is not a cache size; use one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237.'],
  ])('%s', (_, props, message) => {
    const stack = newStack();
    expect(() => new ValidatedRestApi(stack, 'Api', props(stack))).toThrow(`ValidatedRestApi: ${message}`);
  });

  test.each<[string, (stack: Stack) => ValidatedRestApiProps]>([
    ['a created web ACL, asked for', () => ({ createWebAcl: true })],
    ['the zone apex as the domain', (stack) => ({ customDomain: { domainName: 'example.com', hostedZone: zone(stack) } })],
    ['\'*\' alone, without credentials', () => ({ cors: { allowOrigins: ['*'] } })],
  ])('accepted: %s', (_, props) => {
    const stack = newStack();
    expect(() => new ValidatedRestApi(stack, 'Api', props(stack))).not.toThrow();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStack } from '../../cli/assembly';
import { generateSecretString } from '../../cli/emulated-resources';
import { synthesizeBuiltInExample } from '../../cli/example-app';
import { LocalGateway } from '../../cli/local-gateway';
import { readRestApi } from '../../cli/rest-api';
import { CfnTemplate, ResolutionContext, resolveValue } from '../../cli/template';
import { proxyMethod, serveRestApi, ServedRestApi, thingsApiResources } from '../fixtures/rest-api-template';

/** A REST API with a required query parameter, a model, a validator, and proxy routes to one test function. */
const template: CfnTemplate = {
  Resources: {
    ...thingsApiResources('test-api'),
    Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'v1' } },
    Search: proxyMethod('Things', 'GET', { RequestParameters: { 'method.request.querystring.q': true }, RequestValidatorId: { Ref: 'Validator' } }),
    Create: proxyMethod('Things', 'POST', {
      AuthorizationType: 'AWS_IAM',
      RequestModels: { 'application/json': { Ref: 'Model' } },
      RequestValidatorId: { Ref: 'Validator' },
    }),
    Show: proxyMethod('Thing', 'ANY'),
    Tenants: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'tenants' } },
    ListTenants: proxyMethod('Tenants', 'GET', { RequestParameters: { 'method.request.header.X-Tenant': true }, RequestValidatorId: { Ref: 'Validator' } }),
    Fn: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'aws:asset:path': 'asset.test' },
      Properties: {
        Handler: 'index.handler',
        Timeout: 1,
        Environment: { Variables: { TABLE_NAME: { Ref: 'Table' }, TOPIC_ARN: { Ref: 'SkippedTopic' } } },
      },
    },
  },
};

/** Echoes the proxy event, or misbehaves on request: `/things/malformed`, `/things/throws`, `/things/slow`. */
const HANDLER = `
exports.handler = async (event) => {
  const id = event.pathParameters && event.pathParameters.thingId;
  if (id === 'malformed') return { body: 'no status code' };
  if (id === 'throws') throw new Error('boom');
  if (id === 'slow') return new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 1500));
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event, tableName: process.env.TABLE_NAME }) };
};`;

describe('LocalGateway', () => {
  let served: ServedRestApi;
  let url: string;
  const context: ResolutionContext = {
    region: 'eu-west-1',
    accountId: '123456789012',
    stackName: 'test',
    resources: new Map([['Table', { ref: 'test-Table-1', attributes: { Arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/test-Table-1' } }]]),
  };

  beforeAll(async () => {
    served = await serveRestApi(template, 'asset.test', HANDLER, context);
    url = served.url;
  });

  afterAll(() => served.close());

  test('reads the function environment, resolving emulated resources and listing the rest as unresolved', () => {
    const definition = readRestApi(template, 'Api', served.assemblyDir, context);
    const fn = definition.resources.find((r) => r.path === '/things')!.methods.get('GET')!.function!;
    expect(fn.environment).toEqual({ TABLE_NAME: 'test-Table-1' });
    expect(fn.unresolvedVariables).toEqual(['TOPIC_ARN']);
    expect(definition.stageName).toBe('v1');
  });

  test('builds an API Gateway v1 proxy event with path parameters, multi-value query strings and headers', async () => {
    const response = await fetch(`${url}/things/abc?tag=a&tag=b`, { headers: { 'x-custom': 'yes' } });
    expect(response.status).toBe(200);
    const { event, tableName } = await response.json() as any;
    expect(tableName).toBe('test-Table-1');
    expect(event).toMatchObject({
      resource: '/things/{thingId}',
      path: '/things/abc',
      httpMethod: 'GET',
      pathParameters: { thingId: 'abc' },
      queryStringParameters: { tag: 'b' },
      multiValueQueryStringParameters: { tag: ['a', 'b'] },
      body: null,
      isBase64Encoded: false,
      requestContext: { stage: 'v1', resourcePath: '/things/{thingId}', path: '/v1/things/abc', httpMethod: 'GET', identity: { sourceIp: '127.0.0.1' } },
    });
    expect(event.headers['x-custom']).toBe('yes');
    expect(event.requestContext.requestId).toBe(response.headers.get('x-amzn-requestid'));
  });

  test('rejects a missing required query parameter with BAD_REQUEST_PARAMETERS before the function runs', async () => {
    const response = await fetch(`${url}/things`);
    expect(response.status).toBe(400);
    expect(await response.json() as any).toEqual({ message: 'Missing required request parameters: [q]' });
    expect((await fetch(`${url}/things?q=x`)).status).toBe(200);
  });

  /** Header names are case-insensitive (RFC 9110 section 5.1): a required X-Tenant is present as x-tenant or X-TENANT. */
  test('a required header is found in any letter case, and its absence is BAD_REQUEST_PARAMETERS', async () => {
    const missing = await fetch(`${url}/tenants`);
    expect(missing.status).toBe(400);
    expect(await missing.json() as any).toEqual({ message: 'Missing required request parameters: [X-Tenant]' });
    for (const name of ['x-tenant', 'X-TENANT', 'X-Tenant']) {
      expect((await fetch(`${url}/tenants`, { headers: { [name]: 'acme' } })).status).toBe(200);
    }
  });

  test('rejects invalid JSON and a body that fails the model with BAD_REQUEST_BODY', async () => {
    const post = (body: string) => fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const invalidJson = await post('{');
    expect(invalidJson.status).toBe(400);
    expect(await invalidJson.json() as any).toEqual({ message: 'Invalid request body' });
    expect((await post('{"name": 5}')).status).toBe(400);
    expect((await post('{"name": "ok"}')).status).toBe(200);
  });

  test('answers 502 when the function throws, returns a malformed response or times out', async () => {
    for (const id of ['throws', 'malformed', 'slow']) {
      const response = await fetch(`${url}/things/${id}`);
      expect(response.status).toBe(502);
      expect(await response.json() as any).toEqual({ message: 'Internal server error' });
    }
  });

  // API Gateway matches a path to a resource segment by segment: {thingId} is one segment, so /things/x/y matches no
  // resource and API Gateway answers 403 MissingAuthenticationToken itself (the echo function would answer 200).
  test.each(['/things/x/y', '/things/x/y/z'])('answers %s, deeper than any resource, with 403 without running the function', async (path) => {
    const response = await fetch(`${url}${path}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await response.json() as any).toEqual({ message: 'Missing Authentication Token' });
  });

  test('answers an unknown route or method with 403 Missing Authentication Token', async () => {
    for (const [method, path] of [['GET', '/nothing'], ['DELETE', '/things']]) {
      const response = await fetch(`${url}${path}`, { method });
      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    }
  });
});

describe('template resolution and generated secrets', () => {
  const context: ResolutionContext = {
    region: 'eu-west-1',
    accountId: '123456789012',
    stackName: 'stack',
    resources: new Map([['Key', { ref: 'key-id', attributes: { Arn: 'arn:aws:kms:eu-west-1:123456789012:key/key-id' } }]]),
  };

  test('resolves Ref, GetAtt, Join, Sub and pseudo parameters; a reference to a skipped resource throws', () => {
    expect(resolveValue({ 'Fn::Join': ['/', [{ Ref: 'AWS::Region' }, { Ref: 'Key' }, { 'Fn::GetAtt': ['Key', 'Arn'] }]] }, context))
      .toBe('eu-west-1/key-id/arn:aws:kms:eu-west-1:123456789012:key/key-id');
    expect(resolveValue({ 'Fn::Sub': '${AWS::StackName}-${Key}-${Key.Arn}' }, context)).toBe('stack-key-id-arn:aws:kms:eu-west-1:123456789012:key/key-id');
    expect(() => resolveValue({ Ref: 'Topic' }, context)).toThrow('Ref Topic');
  });

  test('generates a secret value in the template JSON shape with its length and character classes', () => {
    const value = JSON.parse(generateSecretString({ SecretStringTemplate: '{"user":"app"}', GenerateStringKey: 'password', PasswordLength: 40, ExcludePunctuation: true }));
    expect(value.user).toBe('app');
    expect(value.password).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(generateSecretString({ PasswordLength: 12, ExcludeUppercase: true, ExcludeLowercase: true, ExcludePunctuation: true })).toMatch(/^[0-9]{12}$/);
  });
});

describe('the built-in example', () => {
  test('synthesizes the orders service with prod settings into an assembly local mode can serve', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'built-in-example-'));
    try {
      synthesizeBuiltInExample(outdir);
      const stack = readStack(outdir, undefined);
      expect(stack.stackName).toBe('orders-prod');
      const context: ResolutionContext = {
        region: stack.region,
        accountId: stack.accountId,
        stackName: stack.stackName,
        resources: new Map([
          ...Object.entries(stack.template.Resources).filter(([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable' || r.Type === 'AWS::SecretsManager::Secret')
            .map(([id]) => [id, { ref: id, attributes: {} }] as const),
        ]),
      };
      const [apiId] = Object.entries(stack.template.Resources).find(([, r]) => r.Type === 'AWS::ApiGateway::RestApi')!;
      const definition = readRestApi(stack.template, apiId, outdir, context);
      expect(definition.resources.map((r) => r.path).sort()).toEqual(['/', '/health', '/items', '/items/{id}']);
      const fn = definition.resources.find((r) => r.path === '/items')!.methods.get('POST')!.function!;
      expect(fn.environment).toMatchObject({ CORS_ALLOWED_ORIGINS: 'http://localhost:3000', LOG_LEVEL: 'INFO' });
      expect(fn.unresolvedVariables).toEqual([]);
      expect(fn.modulePath).toMatch(/asset\.[0-9a-f]{64}\/index\.js$/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

test('a port in use is reported with the option that changes it', async () => {
  const first = new LocalGateway({ name: 'a', stageName: 'v1', resources: [], gatewayResponses: new Map() }, '123456789012');
  const port = await first.listen(0);
  try {
    const second = new LocalGateway({ name: 'b', stageName: 'v1', resources: [], gatewayResponses: new Map() }, '123456789012');
    await expect(second.listen(port)).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use: choose another with --port.`);
  } finally {
    await first.close();
  }
});

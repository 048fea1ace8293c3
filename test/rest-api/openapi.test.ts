import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { buildExampleApp } from '../../examples/service-app';
import { ApiAuthorization, ValidatedRestApi } from '../../src';

type OpenApi = { [key: string]: any };

/** Synthesizes the app and reads the OpenAPI document the construct wrote next to the stack's template. */
function writtenDocument(app: App, stack: Stack, fileName = `${stack.artifactId}.Orders.Api.openapi.json`): OpenApi {
  const assembly = app.synth();
  const path = join(assembly.directory, fileName);
  expect(existsSync(path)).toBe(true);
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** swagger-parser's validate, typed for a parsed JSON document. */
/** redocly's command, found through module resolution, which also works from a mutation sandbox. */
const REDOCLY_BIN = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
const validateOpenApi = SwaggerParser.validate.bind(SwaggerParser) as (api: object) => Promise<object>;

/** Validates against the OpenAPI 3.0 specification's schema (swagger-parser mutates its input: give it a copy). */
async function expectValidOpenApi30(document: OpenApi): Promise<void> {
  await expect(validateOpenApi(structuredClone(document))).resolves.toBeDefined();
  expect(document.openapi).toMatch(/^3\.0\.\d$/);
}

function newApp(): App {
  // As the CDK CLI synthesizes: with construct paths in the template's metadata.
  return new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true, 'aws:cdk:enable-path-metadata': true } });
}

/** The schema a `$ref` of the document points to (one level). */
function dereferenced(document: OpenApi, schema: OpenApi): OpenApi {
  const ref = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref ?? '');
  return ref ? document.components.schemas[ref[1]] : schema;
}

/** Compiles a schema of the document with ajv, its `$ref`s resolved against the document's components. */
function compileWithComponents(ajv: Ajv, document: OpenApi, schema: OpenApi) {
  if (!ajv.getSchema('document')) ajv.addSchema({ components: document.components }, 'document');
  return ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"document#/components/')));
}

function handlerAlias(stack: Stack): lambda.Alias {
  const fn = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
  return new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
}

/** A body API Gateway renders from the library's gateway response templates (values as API Gateway fills them). */
const GATEWAY_403_BODY = { error: { code: 'MissingAuthenticationToken', message: 'Missing Authentication Token', requestId: 'c0ffee', details: [] } };
const GATEWAY_400_BODY = {
  error: { code: 'ValidationError', message: 'Invalid request body', requestId: 'c0ffee', details: [{ path: '', message: '[object has missing required properties (["data"])]' }] },
};
/** Bodies the bundled handler answers with (lambda-src/shared/http.ts errorResponse, routes.ts). */
const HANDLER_400_BODY = { error: { code: 'ValidationError', message: 'The request body does not match the schema.', requestId: 'r1', details: [{ path: '/data', message: 'must be object' }] } };
const HANDLER_ITEM = { id: 'a', data: { status: 'new' }, version: 1, createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z' };

describe('OpenAPI document of the example prod stack', () => {
  let document: OpenApi;
  beforeAll(() => {
    const app = newApp();
    const { prod } = buildExampleApp(app, { env: { account: '123456789012', region: 'eu-west-1' } });
    document = writtenDocument(app, prod);
  });

  test('passes an OpenAPI 3.0 validator', async () => {
    await expectValidOpenApi30(document);
  });

  test('passes redocly lint with the recommended ruleset; the linter fails the document without operation summaries', () => {
    const lint = (doc: OpenApi) => {
      const dir = mkdtempSync(join(tmpdir(), 'redocly-'));
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      const result = spawnSync(REDOCLY_BIN, ['lint', '--extends', 'recommended', '--format', 'summary', join(dir, 'openapi.json')], {
        encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      rmSync(dir, { recursive: true, force: true });
      return result;
    };
    const passed = lint(document);
    expect({ status: passed.status, output: passed.stdout + passed.stderr }).toMatchObject({ status: 0 });
    const unsummarized = structuredClone(document);
    for (const item of Object.values<OpenApi>(unsummarized.paths)) for (const operation of Object.values<OpenApi>(item)) delete operation.summary;
    expect(lint(unsummarized).status).not.toBe(0);
  }, 60_000);

  test('the validator rejects the document once a response loses its required description', async () => {
    const broken = structuredClone(document);
    delete broken.paths['/items'].post.responses['201'].description;
    await expect(validateOpenApi(broken)).rejects.toThrow(/description/);
  });

  test('lists every resource and method of the items API, the health route and the CORS preflights; no preflight-only resource', () => {
    const operations = Object.fromEntries(Object.entries<OpenApi>(document.paths).map(([path, item]) => [path, Object.keys(item).sort()]));
    expect(operations).toEqual({
      '/health': ['get', 'options'],
      '/items': ['get', 'options', 'post'],
      '/items/{id}': ['delete', 'get', 'options', 'put'],
    });
  });

  test('documents the path parameter as required and the paging query strings as optional', () => {
    for (const method of ['get', 'put', 'delete']) {
      expect(document.paths['/items/{id}'][method].parameters).toContainEqual({ name: 'id', in: 'path', required: true, schema: { type: 'string' } });
    }
    expect(document.paths['/items'].get.parameters).toEqual(expect.arrayContaining([
      // The handler's page size bounds (1 to 100, default 20), as docs/items-api.md states them.
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      { name: 'nextToken', in: 'query', required: false, schema: { type: 'string' } },
    ]));
  });

  test('request bodies come from the models: required properties of create and update', () => {
    const create = document.paths['/items'].post.requestBody;
    expect(create.required).toBe(true);
    // Each model is one component, referred to by $ref.
    expect(create.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\/\w+$/);
    const createSchema = dereferenced(document, create.content['application/json'].schema);
    expect(createSchema).toMatchObject({ type: 'object', required: ['data'], additionalProperties: false });
    expect(createSchema.$schema).toBeUndefined();
    const update = dereferenced(document, document.paths['/items/{id}'].put.requestBody.content['application/json'].schema);
    expect(update).toMatchObject({ type: 'object', required: ['data', 'version'] });
    expect(update.properties.version).toMatchObject({ type: 'integer', minimum: 1 });
  });

  test('items routes are IAM (SigV4), the health route and preflights have no security', () => {
    expect(document.components.securitySchemes.sigv4).toEqual(expect.objectContaining({
      'type': 'apiKey', 'in': 'header', 'name': 'Authorization', 'x-amazon-apigateway-authtype': 'awsSigv4',
    }));
    expect(document.paths['/items'].post.security).toEqual([{ sigv4: [] }]);
    expect(document.paths['/items/{id}'].delete.security).toEqual([{ sigv4: [] }]);
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(document.paths['/items'].options.security).toEqual([]);
  });

  test('documents the handler statuses and the gateway statuses of each route', () => {
    expect(Object.keys(document.paths['/items'].post.responses).sort())
      .toEqual(['201', '400', '403', '409', '413', '415', '422', '429', '500', '503', '5XX']);
    expect(Object.keys(document.paths['/items/{id}'].get.responses).sort()).toEqual(['200', '400', '403', '404', '429', '500', '503', '5XX']);
    expect(document.paths['/items/{id}'].delete.responses['204'].content).toBeUndefined();
    expect(Object.keys(document.paths['/health'].get.responses).sort()).toEqual(['200', '403', '429', '5XX']);
  });

  test('the error schema of each status accepts the bodies API Gateway and the handler send, and rejects others', () => {
    const ajv = new Ajv({ strict: false });
    const schemaOf = (path: string, method: string, status: string) =>
      compileWithComponents(ajv, document, document.paths[path][method].responses[status].content['application/json'].schema);
    const post400 = schemaOf('/items', 'post', '400');
    expect(post400(GATEWAY_400_BODY)).toBe(true);
    expect(post400(HANDLER_400_BODY)).toBe(true);
    expect(post400({ message: 'Invalid request body' })).toBe(false);
    const get403 = schemaOf('/items/{id}', 'get', '403');
    expect(get403(GATEWAY_403_BODY)).toBe(true);
    expect(get403({ error: { code: 'X' } })).toBe(false);
    expect(get403({ ...GATEWAY_403_BODY, error: { ...GATEWAY_403_BODY.error, details: 'a string' } })).toBe(false);
    // `details` items are typed as the contract's `{ path, message }`, also where API Gateway's template has `[]`.
    expect(get403({ ...GATEWAY_403_BODY, error: { ...GATEWAY_403_BODY.error, details: [{ path: '', message: 'm' }] } })).toBe(true);
    expect(get403({ ...GATEWAY_403_BODY, error: { ...GATEWAY_403_BODY.error, details: [7] } })).toBe(false);
    const item = schemaOf('/items/{id}', 'get', '200');
    expect(item(HANDLER_ITEM)).toBe(true);
    expect(item({ ...HANDLER_ITEM, version: 0 })).toBe(false);
    const page = schemaOf('/items', 'get', '200');
    expect(page({ items: [HANDLER_ITEM], nextToken: 'abc' })).toBe(true);
  });

  test('servers: the custom domain first, then the stage on the execute-api endpoint of the stack region', () => {
    expect(document.servers.map((server: OpenApi) => server.url)).toEqual([
      'https://api.example.com',
      'https://{restApiId}.execute-api.eu-west-1.amazonaws.com/prod',
    ]);
  });

  test('the title is the REST API name', () => {
    expect(document.info.title).toBe('orders-prod');
  });
});

describe('OpenAPI document of a ValidatedRestApi', () => {
  test('Cognito routes get a user-pool scheme and a 401, the base path mapping is the server', async () => {
    const app = newApp();
    const stack = new Stack(app, 'CognitoStack');
    const userPool = new cognito.UserPool(stack, 'Pool');
    const api = new ValidatedRestApi(stack, 'Api', {
      authorization: ApiAuthorization.cognito(userPool),
      customDomain: {
        domainName: 'api.example.org',
        basePath: 'v1',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc'),
      },
    });
    api.addRoute('/things', 'GET', handlerAlias(stack));
    const document = writtenDocument(app, stack, api.openApiDocumentFile);
    await expectValidOpenApi30(document);

    const operation = document.paths['/things'].get;
    const [schemeName] = Object.keys(operation.security[0]);
    // Named by the authorizer's construct id, not a logical id with a hash.
    expect(schemeName).toBe('CognitoAuthorizer0');
    expect(document.components.securitySchemes[schemeName]).toEqual(expect.objectContaining({
      'type': 'apiKey', 'in': 'header', 'name': 'Authorization', 'x-amazon-apigateway-authtype': 'cognito_user_pools',
    }));
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403', 'default']));
    // An environment-agnostic stack leaves the region a server variable.
    expect(document.servers.map((server: OpenApi) => server.url)).toEqual([
      'https://api.example.org/v1',
      'https://{restApiId}.execute-api.{region}.amazonaws.com/prod',
    ]);
  });

  test('an operation has the summary and description of its route, else `METHOD path` as its summary', async () => {
    const app = newApp();
    const stack = new Stack(app, 'Described');
    const api = new ValidatedRestApi(stack, 'Api', { restApiName: 'described' });
    const alias = handlerAlias(stack);
    api.addRoute('/tickets', 'POST', alias, { summary: 'Open a ticket', description: 'Opens a support ticket for the caller.' });
    api.addRoute('/tickets', 'GET', alias);
    const document = writtenDocument(app, stack, api.openApiDocumentFile);
    await expectValidOpenApi30(document);
    expect(document.paths['/tickets'].post).toMatchObject({ summary: 'Open a ticket', description: expect.stringMatching(/^Opens a support ticket for the caller\./) });
    expect(document.paths['/tickets'].get.summary).toBe('GET /tickets');
  });

  test('each API of a stack gets its own file named by its construct path; openApiDocument: false writes none', async () => {
    const app = newApp();
    const stack = new Stack(app, 'TwoApis');
    const alias = handlerAlias(stack);
    // Two APIs with the same construct id under different parents (as two ServerlessServices make) must not collide.
    const first = new ValidatedRestApi(new Construct(stack, 'Tickets'), 'Api', { restApiName: 'first' });
    const second = new ValidatedRestApi(new Construct(stack, 'Audit'), 'Api', { restApiName: 'second' });
    const silent = new ValidatedRestApi(stack, 'Silent', { restApiName: 'silent', openApiDocument: false });
    for (const api of [first, second, silent]) api.addRoute('/x', 'POST', alias, { requiredHeaders: ['x-tenant'] });
    expect(first.openApiDocumentFile).toBe('TwoApis.Tickets.Api.openapi.json');
    expect(second.openApiDocumentFile).toBe('TwoApis.Audit.Api.openapi.json');
    expect(silent.openApiDocumentFile).toBeUndefined();

    const assembly = app.synth();
    const firstDocument = JSON.parse(readFileSync(join(assembly.directory, first.openApiDocumentFile!), 'utf8'));
    const secondDocument = JSON.parse(readFileSync(join(assembly.directory, second.openApiDocumentFile!), 'utf8'));
    expect([firstDocument.info.title, secondDocument.info.title]).toEqual(['first', 'second']);
    await expectValidOpenApi30(firstDocument);
    expect(firstDocument.paths['/x'].post.parameters).toEqual([{ name: 'x-tenant', in: 'header', required: true, schema: { type: 'string' } }]);
    // Required parameters are validated: the document lists the gateway's 400.
    expect(Object.keys(firstDocument.paths['/x'].post.responses)).toContain('400');
  });
});

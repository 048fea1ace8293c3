// A support-tickets app as a user writes it (plain JavaScript, so local mode runs it without a build step): two
// services in one stack, Cognito with scopes, and functions of its own that local mode must run as Lambda does.
const path = require('node:path');
const cdk = require('aws-cdk-lib');
const { ApiAuthorization, DeploymentStage, ServerlessService } = require('../../lib');

const app = new cdk.App();
const stack = new cdk.Stack(app, 'tickets', { env: { account: '111111111111', region: 'eu-central-1' } });
const pool = new cdk.aws_cognito.UserPool(stack, 'Users');
const ticketScopes = new cdk.aws_cognito.ResourceServerScope({ scopeName: 'read', scopeDescription: 'read tickets' });
pool.addResourceServer('TicketsServer', { identifier: 'tickets', scopes: [ticketScopes] });

const tickets = new ServerlessService(stack, 'Tickets', {
  serviceName: 'tickets',
  stage: DeploymentStage.DEV,
  authorization: ApiAuthorization.cognito(pool, ['tickets/read']),
  itemSchema: {
    type: cdk.aws_apigateway.JsonSchemaType.OBJECT,
    required: ['subject', 'priority'],
    properties: {
      subject: { type: cdk.aws_apigateway.JsonSchemaType.STRING, minLength: 3 },
      priority: { type: cdk.aws_apigateway.JsonSchemaType.INTEGER, minimum: 1, maximum: 5 },
    },
  },
});
new ServerlessService(stack, 'Audit', { serviceName: 'audit', stage: DeploymentStage.DEV });

const notes = new cdk.aws_dynamodb.Table(stack, 'Notes', { partitionKey: { name: 'id', type: cdk.aws_dynamodb.AttributeType.STRING } });
const runtime = cdk.aws_lambda.Runtime.NODEJS_24_X;
// CommonJS code that requires the AWS SDK v3 the Lambda runtime provides (not bundled).
const sdkNotes = new cdk.aws_lambda.Function(stack, 'SdkNotes', {
  runtime, handler: 'index.handler', code: cdk.aws_lambda.Code.fromAsset(path.join(__dirname, 'functions', 'sdk-notes')),
  environment: { NOTES_TABLE: notes.tableName },
});
notes.grantReadWriteData(sdkNotes);
// Inline code, as in most examples of the CDK documentation.
const inline = new cdk.aws_lambda.Function(stack, 'InlineHello', {
  runtime, handler: 'index.handler',
  code: cdk.aws_lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ hello: "inline" }) });'),
});
// An ES module (.mjs) with top-level await.
const esm = new cdk.aws_lambda.Function(stack, 'EsmConfig', {
  runtime, handler: 'index.handler', code: cdk.aws_lambda.Code.fromAsset(path.join(__dirname, 'functions', 'esm-config')),
});
// A package.json with "type": "module": app.js is ESM, legacy.cjs CommonJS.
const modulePackage = cdk.aws_lambda.Code.fromAsset(path.join(__dirname, 'functions', 'module-package'));
const typedModule = new cdk.aws_lambda.Function(stack, 'TypedModule', { runtime, handler: 'app.handler', code: modulePackage });
const legacy = new cdk.aws_lambda.Function(stack, 'Legacy', { runtime, handler: 'legacy.handler', code: modulePackage });
// A runtime local mode does not run: its route answers 502, the rest is served.
const report = new cdk.aws_lambda.Function(stack, 'PythonReport', {
  runtime: cdk.aws_lambda.Runtime.PYTHON_3_13, handler: 'index.handler',
  code: cdk.aws_lambda.Code.fromAsset(path.join(__dirname, 'functions', 'python-report')),
});
// A container image function (from an existing repository, so synthesis needs no Docker).
const imageRepository = cdk.aws_ecr.Repository.fromRepositoryName(stack, 'ImageRepo', 'tickets-images');
const image = new cdk.aws_lambda.DockerImageFunction(stack, 'ImageThumbnails', { code: cdk.aws_lambda.DockerImageCode.fromEcr(imageRepository) });

const none = ApiAuthorization.none();
const scoped = ApiAuthorization.cognito(pool, ['tickets/read']);
tickets.api.addRoute('/notes/{id}', 'PUT', sdkNotes, {
  authorization: none,
  requestSchema: {
    type: cdk.aws_apigateway.JsonSchemaType.OBJECT,
    required: ['text'],
    properties: { text: { type: cdk.aws_apigateway.JsonSchemaType.STRING, minLength: 1 } },
  },
});
tickets.api.addRoute('/notes/{id}', 'GET', sdkNotes, { authorization: none });
tickets.api.addRoute('/hello', 'GET', inline, { authorization: none });
tickets.api.addRoute('/config', 'GET', esm, { authorization: scoped });
tickets.api.addRoute('/module', 'GET', typedModule, { authorization: none });
tickets.api.addRoute('/legacy', 'GET', legacy, { authorization: none });
tickets.api.addRoute('/thumbnails', 'GET', image, { authorization: none });
tickets.api.addRoute('/report', 'GET', report, { authorization: none });
app.synth();

// Integ test of the prod example service, run by `integ-runner` (npx projen integ:snapshot compares its snapshot).
// Deploying it (`npx integ-runner --directory test/integ --language typescript --update-on-failed`) needs an AWS
// account; there the assertions below check the deployed API's contract, and integ-runner destroys it afterwards.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildExampleApp } from '../../examples/service-app';
import type { ServerlessService } from '../../src';

const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
const env = { account: process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111', region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' };
const { prod } = buildExampleApp(app, { env });
const service = prod.node.findChild('Orders') as ServerlessService;

// The assertions' stack, in the service's environment, with the signing client: a function whose role may invoke the
// API, sending SigV4-signed requests (or unsigned ones).
const client = new Stack(app, 'orders-prod-integ-client', { env, description: 'Assertions and signing client of the orders prod integ test' });
const signer = new lambda.Function(client, 'SignedRequest', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline(readFileSync(join(__dirname, 'signed-request-handler.js'), 'utf8')),
  timeout: Duration.seconds(30),
});
service.api.grantInvoke(signer);

const integ = new IntegTest(app, 'ProdServiceInteg', { testCases: [prod], assertionStack: client, diffAssets: false });
const items = `${service.api.executeApiUrl}items`;
const request = (payload: Record<string, unknown>) =>
  integ.assertions.invokeFunction({ functionName: signer.functionName, payload: JSON.stringify(payload) });
const id = 'integ-order-1';

const health = integ.assertions.httpApiCall(`${service.api.executeApiUrl}health`);
health.expect(ExpectedResult.objectLike({ status: 200, body: { status: 'ok' } }));

// Unsigned: API Gateway answers itself, in the library's error contract.
const unsigned = integ.assertions.httpApiCall(items, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, data: {} }) });
unsigned.expect(ExpectedResult.objectLike({ status: 403, body: { error: { code: 'MissingAuthenticationToken' } } }));

const created = request({ method: 'POST', url: items, body: JSON.stringify({ id, data: { status: 'new' } }) });
created.assertAtPath('Payload.status', ExpectedResult.exact(201));
const read = request({ method: 'GET', url: `${items}/${id}` });
read.assertAtPath('Payload.body.id', ExpectedResult.exact(id));
const conflict = request({ method: 'POST', url: items, body: JSON.stringify({ id, data: {} }) });
conflict.assertAtPath('Payload.body.error.code', ExpectedResult.exact('ItemAlreadyExists'));
const invalid = request({ method: 'POST', url: items, body: JSON.stringify({ data: 'not an object' }) });
invalid.assertAtPath('Payload.status', ExpectedResult.exact(400));
const signedOff = request({ method: 'GET', url: `${items}/${id}`, signed: false });
signedOff.assertAtPath('Payload.status', ExpectedResult.exact(403));
const removed = request({ method: 'DELETE', url: `${items}/${id}` });
removed.assertAtPath('Payload.status', ExpectedResult.exact(204));

health.next(unsigned).next(created).next(read).next(conflict).next(invalid).next(signedOff).next(removed);
app.synth();

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ASSETS_DIR, bundledHandlerCode } from '../src/private/bundled-code';

test('the bundled items handler is a Lambda asset built from lambda-src', () => {
  const bundle = readFileSync(join(ASSETS_DIR, 'items', 'index.js'), 'utf8');
  expect(bundle).toMatch(/exports|module\.exports/);

  const stack = new Stack(new App(), 'Assets');
  new lambda.Function(stack, 'Fn', {
    code: bundledHandlerCode('items'),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
  });
  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
    Handler: 'index.handler',
    Code: { S3Bucket: { 'Fn::Sub': Match.anyValue() }, S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') },
  });
});

test('the bundled handler answers with a JSON body', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(join(ASSETS_DIR, 'items', 'index.js'));
  const response = await handler({ requestContext: { requestId: 'r-1' } });
  expect(JSON.parse(response.body).error.requestId).toBe('r-1');
});

test('a missing bundle fails with the command that builds it', () => {
  expect(() => bundledHandlerCode('no-such-handler')).toThrow(/npx projen pre-compile/);
});

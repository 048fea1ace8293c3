import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ASSETS_DIR, bundledHandlerCode } from '../../src/core/bundled-code';

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

test('the bundled code synthesizes exactly as lambda.Code.fromAsset of the same directory, without loading region-info', () => {
  const regionInfoFiles = () => Object.keys(require.cache).filter((file) => file.includes(join('aws-cdk-lib', 'region-info')));
  const synthesize = (code: lambda.Code) => {
    // The CLI's context: asset metadata on (what SAM and local mode read).
    const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Assets', { env: { account: '123456789012', region: 'eu-west-1' } });
    new lambda.Function(stack, 'Fn', { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
    const assembly = app.synth();
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
    const assets = JSON.parse(readFileSync(join(assembly.directory, 'Assets.assets.json'), 'utf8')).files;
    return { code: fn.Properties.Code, metadata: fn.Metadata, assets };
  };
  const ours = synthesize(bundledHandlerCode('items'));
  // Nothing in this test file loaded an s3_assets.Asset yet, so region-info is only loaded if the code above did.
  expect(regionInfoFiles()).toEqual([]);
  const reference = synthesize(lambda.Code.fromAsset(join(ASSETS_DIR, 'items')));
  expect(ours).toEqual(reference);
  expect(ours.metadata).toMatchObject({ 'aws:asset:property': 'Code', 'aws:asset:is-bundled': false });
  expect(regionInfoFiles().length).toBeGreaterThan(0);
});

test('one bundled code object serves one stack only', () => {
  const app = new App();
  const code = bundledHandlerCode('items');
  for (const name of ['One', 'Two']) {
    const stack = new Stack(app, name);
    const create = () => new lambda.Function(stack, 'Fn', { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
    if (name === 'One') create();
    else expect(create).toThrow(/already used in stack One: create one per stack/);
  }
});

test('a missing bundle fails with the command that builds it', () => {
  expect(() => bundledHandlerCode('no-such-handler')).toThrow(/npx projen pre-compile/);
});

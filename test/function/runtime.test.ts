import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { StackProtection } from '../../src';
import { BUNDLED_CODE_RUNTIME, newerNodejsRuntimeKnown } from '../../src/core/runtime';

// The oracle: the Node.js major esbuild targets when it bundles the library's handlers.
const bundleTarget: string = JSON.parse(readFileSync(join(__dirname, '..', '..', 'build-tools', 'lambda-bundle-options.json'), 'utf8')).target;
const bundleRuntimeName = `nodejs${/^node(\d+)$/.exec(bundleTarget)![1]}.x`;

test('the library runtime is the one its bundles target (nodejs24.x)', () => {
  expect(bundleRuntimeName).toBe('nodejs24.x');
  expect(BUNDLED_CODE_RUNTIME.name).toBe(bundleRuntimeName);
});

test('a newer Node.js runtime in the installed aws-cdk-lib does not change the synthesized runtime', () => {
  // A Runtime object adds itself to Runtime.ALL, as a newer aws-cdk-lib's `nodejs26.x` does.
  const newer = new lambda.Runtime('nodejs99.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });
  expect(lambda.Runtime.ALL).toContain(newer);
  const stack = new Stack(new App(), 'Stack');
  new StackProtection(stack, 'Protection');
  const runtimes = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((fn: any) => fn.Properties.Runtime);
  expect(runtimes.length).toBeGreaterThan(0);
  expect(new Set(runtimes)).toEqual(new Set([bundleRuntimeName]));
});

test('the pinned runtime is acknowledged to cdk-nag only where aws-cdk-lib knows a newer Node.js (AwsSolutions-L1 flags it there)', () => {
  const newer = Object.create(lambda.Runtime.prototype, { name: { value: 'nodejs26.x' } }) as lambda.Runtime;
  expect(newerNodejsRuntimeKnown([lambda.Runtime.NODEJS_22_X, lambda.Runtime.NODEJS_24_X, lambda.Runtime.PYTHON_3_13])).toBe(false);
  expect(newerNodejsRuntimeKnown([lambda.Runtime.NODEJS_24_X, newer])).toBe(true);
});

import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newestNodejsRuntime, newestNodejsRuntimeOf } from '../src/private/runtime';

test('the newest Node.js runtime of the installed aws-cdk-lib is nodejs24.x', () => {
  expect(newestNodejsRuntime().name).toBe('nodejs24.x');
  expect(newestNodejsRuntime().family).toBe(lambda.RuntimeFamily.NODEJS);
});

test('majors compare as numbers; legacy names, variable runtimes and other families are ignored', () => {
  const runtimes = [
    new lambda.Runtime('nodejs', lambda.RuntimeFamily.NODEJS),
    new lambda.Runtime('nodejs4.3', lambda.RuntimeFamily.NODEJS),
    new lambda.Runtime('nodejs9.x', lambda.RuntimeFamily.NODEJS),
    new lambda.Runtime('nodejs10.x', lambda.RuntimeFamily.NODEJS),
    new lambda.Runtime('nodejs99.x', lambda.RuntimeFamily.NODEJS, { isVariable: true }),
    new lambda.Runtime('python3.99', lambda.RuntimeFamily.PYTHON),
  ];
  expect(newestNodejsRuntimeOf(runtimes).name).toBe('nodejs10.x');
});

test('no concrete Node.js runtime is an error that says what to do', () => {
  expect(() => newestNodejsRuntimeOf([new lambda.Runtime('nodejs', lambda.RuntimeFamily.NODEJS)]))
    .toThrow(/pass runtime explicitly/);
});

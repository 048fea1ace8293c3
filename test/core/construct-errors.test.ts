import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, Errors, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ts from 'typescript';
import {
  ArtifactBucket, DeploymentStage, EncryptedFunction, SecureTable, ServerlessService, StackProtection, TableCapacity,
  ValidatedRestApi,
} from '../../src';

const SRC = join(__dirname, '..', '..', 'src');
/** The one place that builds the library's error (aws-cdk-lib's ValidationError). */
const ERROR_MODULE = 'core/construct-errors.ts';
/**
 * Folders without CDK, whose errors are not construct-time errors: `contract/` runs in the handler, local mode and the
 * CLI too, `openapi/` in the CLI. The last test holds that they import no CDK, so the exclusion hides no construct.
 */
const NO_CDK_FOLDERS = ['contract', 'openapi'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const constructTimeFiles = () => sourceFiles(SRC)
  .map((path) => relative(SRC, path))
  .filter((path) => path !== ERROR_MODULE && !NO_CDK_FOLDERS.includes(path.split('/')[0]));

/**
 * Every other error style in `code`: a `throw` of anything but `validationError(...)` (a `throw new Error`, a rethrow,
 * a wrapper's error) and any `new ...Error(...)` (built here instead of by the one error module).
 */
function otherErrorStyles(fileName: string, code: string): string[] {
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const where = (node: ts.Node) => `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isThrowStatement(node)) {
      const thrown = node.expression;
      const viaValidationError = thrown !== undefined && ts.isCallExpression(thrown)
        && ts.isIdentifier(thrown.expression) && thrown.expression.text === 'validationError';
      if (!viaValidationError) found.push(`${where(node)} throw ${thrown?.getText(file) ?? ''}`.slice(0, 160));
    }
    if (ts.isNewExpression(node) && /Error$/.test(node.expression.getText(file))) {
      found.push(`${where(node)} new ${node.expression.getText(file)}(...)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Calls `make`, which must throw, and returns what it threw. */
function thrownBy(make: () => unknown): any {
  try {
    make();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

/** The error is aws-cdk-lib's ValidationError carrying `path` (hand-written from the construct ids below). */
function expectValidationErrorAt(error: any, owner: string, path: string): void {
  expect(Errors.isValidationError(error)).toBe(true);
  expect(error.constructPath).toBe(path);
  expect(error.message.startsWith(`${owner}`)).toBe(true);
  expect(error.message.endsWith(` (construct ${path})`)).toBe(true);
}

const inlineFunction = (stack: Stack, id: string) => new lambda.Function(stack, id, {
  runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});'),
});
const partitionKey = { name: 'id', type: dynamodb.AttributeType.STRING };

describe('one error style: aws-cdk-lib\'s ValidationError with the construct path', () => {
  test('no construct-time code of src/ throws another error than validationError(...) of core/construct-errors', () => {
    const found = constructTimeFiles().flatMap((path) => otherErrorStyles(path, readFileSync(join(SRC, path), 'utf8')));
    expect(found).toEqual([]);
  });

  test.each([
    ['throw new Error', 'throw new Error(`SecureTable: bad`);'],
    ['a wrapper\'s rethrow', 'try { check(); } catch (error) { throw error; }'],
    ['an error built elsewhere', 'const fail = (m: string) => { throw new ValidationError(NAME, m, scope); };'],
    ['an error returned, not thrown', 'return Promise.reject(new TypeError("bad"));'],
  ])('the rule finds %s', (_, code) => {
    expect(otherErrorStyles('probe.ts', code)).not.toEqual([]);
  });

  test('the rule accepts validationError', () => {
    expect(otherErrorStyles('probe.ts', 'throw validationError(this, `SecureTable: bad`);')).toEqual([]);
  });

  test('the folders left out of the rule import no CDK', () => {
    const cdkImports = sourceFiles(SRC)
      .filter((path) => NO_CDK_FOLDERS.includes(relative(SRC, path).split('/')[0]))
      .flatMap((path) => ts.preProcessFile(readFileSync(path, 'utf8')).importedFiles
        .filter(({ fileName }) => /^(aws-cdk-lib|constructs)(\/|$)/.test(fileName))
        .map(({ fileName }) => `${relative(SRC, path)}: ${fileName}`));
    expect(cdkImports).toEqual([]);
  });

  describe('each construct throws it with its own path', () => {
    const newStack = () => new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });

    test('SecureTable: props and grants', () => {
      const stack = newStack();
      expectValidationErrorAt(thrownBy(() => new SecureTable(stack, 'Table', {
        partitionKey, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true,
      })), 'SecureTable: ', 'Stack/Table');
      const table = new SecureTable(stack, 'Other', { partitionKey });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      expectValidationErrorAt(thrownBy(() => table.grants.actions(role, 'dynamodb:*')), 'SecureTable grants.actions: ', 'Stack/Other/Table');
    });

    test('ArtifactBucket', () => {
      expectValidationErrorAt(thrownBy(() => new ArtifactBucket(newStack(), 'Artifacts', { autoDeleteObjects: true })),
        'ArtifactBucket: ', 'Stack/Artifacts');
    });

    test('EncryptedFunction', () => {
      expectValidationErrorAt(thrownBy(() => new EncryptedFunction(newStack(), 'Fn', {
        code: lambda.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler', retryAttempts: 5,
      })), 'EncryptedFunction: ', 'Stack/Fn');
    });

    test('ValidatedRestApi: props, routes and a route\'s function', () => {
      const stack = newStack();
      expectValidationErrorAt(thrownBy(() => new ValidatedRestApi(stack, 'Bad', { stageName: 'no spaces' })),
        'ValidatedRestApi: ', 'Stack/Bad');
      const api = new ValidatedRestApi(stack, 'Api', {});
      const fn = inlineFunction(stack, 'Fn');
      expectValidationErrorAt(thrownBy(() => api.addRoute('items', 'GET', fn)), 'ValidatedRestApi: ', 'Stack/Api');
      api.addRoute('/items', 'GET', fn);
      expectValidationErrorAt(thrownBy(() => api.addRoute('/items', 'GET', fn)), 'ValidatedRestApi: ', 'Stack/Api');
    });

    test('ServerlessService', () => {
      expectValidationErrorAt(thrownBy(() => new ServerlessService(newStack(), 'Orders', { serviceName: 'Not_Valid' })),
        'ServerlessService: ', 'Stack/Orders');
    });

    test('StackProtection: props and a second one in the stack', () => {
      expectValidationErrorAt(thrownBy(() => new StackProtection(newStack(), 'Bad', { additionalResourceTypes: ['Queue'] })),
        'StackProtection: ', 'Stack/Bad');
      const stack = newStack();
      new StackProtection(stack, 'Protection');
      expectValidationErrorAt(thrownBy(() => new StackProtection(stack, 'Second')), 'StackProtection: ', 'Stack/Second');
    });

    test('DeploymentStage.fromContext: the scope it reads the context of', () => {
      const stack = new Stack(new App({ context: { stage: 'production' } }), 'Stack');
      expectValidationErrorAt(thrownBy(() => DeploymentStage.fromContext(stack)), 'DeploymentStage: ', 'Stack');
    });
  });

  test.each([
    ['DeploymentStage.custom', () => DeploymentStage.custom({ name: 'Not Valid' }), 'DeploymentStage "Not Valid": '],
    ['TableCapacity.provisioned', () => TableCapacity.provisioned({ readCapacity: 0, writeCapacity: 5 }), 'SecureTable: '],
    ['TableCapacity.onDemand', () => TableCapacity.onDemand({ maxReadRequestUnits: 0 }), 'SecureTable: '],
  ])('%s, made before any construct, throws a validation error without a path', (_, make, owner) => {
    const error = thrownBy(make);
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.constructPath).toBeUndefined();
    expect(error.message.startsWith(owner)).toBe(true);
    expect(error.message).not.toContain('(construct ');
  });
});

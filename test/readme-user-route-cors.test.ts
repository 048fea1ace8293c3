import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vm from 'node:vm';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';

/**
 * Issue 24, item 14 (decision): a user's own Lambda-proxy route answers `Access-Control-Allow-Origin` itself. The
 * README shows how; this runs that very example: synthesizes it, then runs the synthesized inline function with the
 * environment CloudFormation gives it.
 *
 * Expected headers from the Fetch standard's CORS protocol (https://fetch.spec.whatwg.org/#http-responses): a
 * credential-less response is readable by the page when `Access-Control-Allow-Origin` is that page's origin; an origin
 * not allowed must not be echoed.
 */

const ALLOWED_ORIGINS = ['https://app.example.com', 'https://admin.example.com'];

/** The README's TypeScript example of a user route answering CORS (the one whose function reads CORS_ALLOWED_ORIGINS). */
function readmeUserRouteExample(): string {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const example = examples.find((code) => code.includes('CORS_ALLOWED_ORIGINS') && code.includes('addRoute('));
  if (!example) throw new Error('README.md has no TypeScript example of a user route that answers CORS');
  return example;
}

/** Runs the example (compiled to CommonJS, the package name resolved by jest to src/) and returns its app. */
function runExample(code: string): App {
  const js = ts.transpileModule(`${code}\nreturn app;`, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  return new Function('require', 'exports', js)(require, {}) as App;
}

interface LambdaResource { Properties: { Code: { ZipFile?: unknown }; Environment?: { Variables?: Record<string, unknown> } } }

const app = runExample(readmeUserRouteExample());
const stack = app.node.children.find((c): c is Stack => Stack.isStack(c))!;
const template = Template.fromStack(stack);
const [functionId, userFunction] = Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, LambdaResource>)
  .find(([, f]) => typeof f.Properties.Code.ZipFile === 'string')!;

/** Invokes the synthesized inline code in a sandbox whose process.env is the function's synthesized environment. */
async function invoke(headers: Record<string, string>): Promise<{ statusCode: number; headers: Record<string, string> }> {
  const exports: { handler?: (event: unknown) => Promise<any> } = {};
  vm.runInNewContext(userFunction.Properties.Code.ZipFile as string, {
    exports,
    process: { env: { ...userFunction.Properties.Environment?.Variables } },
  });
  return exports.handler!({ httpMethod: 'GET', resource: '/reports', path: '/reports', headers });
}

test('the example\'s API allows the origins the function is given, and routes GET /reports to that function by Lambda proxy', () => {
  // The function is given the origins the example's `cors.allowOrigins` lists, as a literal CloudFormation value.
  expect(userFunction.Properties.Environment?.Variables?.CORS_ALLOWED_ORIGINS).toBe(ALLOWED_ORIGINS.join(','));
  const getReports = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'GET' } }))
    .filter((m: any) => m.Properties.Integration?.Type === 'AWS_PROXY');
  expect(getReports).toHaveLength(1);
  expect(JSON.stringify(getReports[0].Properties.Integration.Uri)).toContain(`"${functionId}"`);
});

test.each(ALLOWED_ORIGINS)('a real response to an allowed origin (%s) carries Access-Control-Allow-Origin with that origin', async (origin) => {
  const response = await invoke({ Origin: origin });
  expect(response.statusCode).toBe(200);
  expect(response.headers['Access-Control-Allow-Origin']).toBe(origin);
  expect(response.headers.Vary).toBe('Origin');
  // HTTP/2 clients send header names in lowercase; API Gateway passes them through as sent.
  expect((await invoke({ origin })).headers['Access-Control-Allow-Origin']).toBe(origin);
});

test('a response to an origin that is not allowed carries no Access-Control-Allow-Origin', async () => {
  expect((await invoke({ Origin: 'https://evil.example.net' })).headers).not.toHaveProperty('Access-Control-Allow-Origin');
  expect((await invoke({})).headers).not.toHaveProperty('Access-Control-Allow-Origin');
});

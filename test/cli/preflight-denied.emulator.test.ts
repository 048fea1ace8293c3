import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPreflight } from '../../cli/preflight';
import { AwsClientSettings, PreflightStack, runPreflightChecks } from '../../cli/preflight-checks';

/**
 * docs/deploying.md, preflight: "a check whose call is denied is reported as a warning, not skipped silently", and
 * `--profile` picks the credentials. The AWS endpoint here is a local fake that denies every call, as IAM does for
 * credentials without the read access, and records which access key signed each call.
 */

// Access denied as a REST JSON service answers it: 403 with the error type in x-amzn-ErrorType
// (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization).
function startDenyingFake(signers: string[]): Promise<Server> {
  const server = createServer((request: IncomingMessage, response) => {
    signers.push(/Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? 'unsigned');
    response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' });
    response.end(JSON.stringify({ message: 'User: arn:aws:iam::123456789012:user/reader is not authorized to perform this action' }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A stack whose stage logs to CloudWatch and whose function reserves concurrency: two checks that call AWS. */
const STACK: PreflightStack = {
  stackName: 'orders-prod',
  account: '123456789012',
  region: 'eu-west-1',
  template: {
    Resources: {
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { AccessLogSetting: { DestinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:access' } } },
      Handler: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 10 } },
    },
  },
};

const signers: string[] = [];
let fake: Server;
let endpoint: string;
let home: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  fake = await startDenyingFake(signers);
  endpoint = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  // A profile "ops" in the shared files, and other credentials in the environment.
  home = mkdtempSync(join(tmpdir(), 'preflight-denied-'));
  writeFileSync(join(home, 'credentials'), '[ops]\naws_access_key_id = AKIAOPSPROFILE000000\naws_secret_access_key = ops-secret\n');
  writeFileSync(join(home, 'config'), '[profile ops]\nregion = eu-west-1\n');
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00000',
    AWS_SECRET_ACCESS_KEY: 'environment-secret',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
});

afterAll(async () => {
  process.env = savedEnv;
  rmSync(home, { recursive: true, force: true });
  await new Promise((resolve) => fake.close(resolve));
});

beforeEach(() => {
  signers.length = 0;
});

const settings = (extra: Partial<AwsClientSettings> = {}): AwsClientSettings => ({ region: 'eu-west-1', endpoints: { apigateway: endpoint, lambda: endpoint }, ...extra });

test('a denied call is a warning naming the error, with the fix; the check is "not checked" and the other checks still run', async () => {
  const results = await runPreflightChecks(STACK, settings({ credentials: { accessKeyId: 'AKIAREADER0000000000', secretAccessKey: 'reader' } }));
  const denied = ['API Gateway CloudWatch Logs role', 'Lambda unreserved concurrency'];
  for (const check of denied) {
    expect(results.find((result) => result.check === check)).toEqual({
      check,
      checked: 'not checked',
      problems: [{
        check,
        message: expect.stringMatching(/^the check could not run: AccessDeniedException: User: arn:aws:iam::123456789012:user\/reader is not authorized/),
        fix: expect.stringMatching(/read access.*--profile/),
        blocking: false,
      }],
    });
  }
  // Every check reported, in the documented order; those that needed no call passed.
  expect(results.map((result) => result.check)).toEqual([
    'API Gateway CloudWatch Logs role', 'Lambda unreserved concurrency', 'resources left by an earlier create', 'CDK bootstrap', 'custom domain',
    'global table replicas',
  ]);
  for (const result of results.filter((r) => !denied.includes(r.check))) expect(result.problems).toEqual([]);
  expect(signers).toEqual(['AKIAREADER0000000000', 'AKIAREADER0000000000']);
});

test('--profile signs with that profile\'s credentials, not the environment\'s', async () => {
  await runPreflightChecks(STACK, settings({ profile: 'ops' }));
  expect(signers).toEqual(['AKIAOPSPROFILE000000', 'AKIAOPSPROFILE000000']);
  signers.length = 0;
  await runPreflightChecks(STACK, settings());
  expect(signers).toEqual(['AKIAENVIRONMENT00000', 'AKIAENVIRONMENT00000']);
});

/**
 * docs/deploying.md: "the exit status is 1 when one blocks the deployment"; a denied check is a warning, so a run that
 * found only warnings exits 0. The app is a cloud assembly written here: the stack above, in its environment.
 */
test('preflight exits 0 when it found only warnings, and says that nothing blocks a deployment', async () => {
  const assembly = mkdtempSync(join(tmpdir(), 'preflight-assembly-'));
  writeFileSync(join(assembly, 'orders-prod.template.json'), JSON.stringify(STACK.template));
  writeFileSync(join(assembly, 'manifest.json'), JSON.stringify({
    version: '36.0.0',
    artifacts: { 'orders-prod': { type: 'aws:cloudformation:stack', environment: 'aws://123456789012/eu-west-1', properties: { templateFile: 'orders-prod.template.json' } } },
  }));
  const output: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string) => output.push(chunk) > 0) as typeof process.stdout.write);
  try {
    const status = await runPreflight({ app: assembly }, settings({ credentials: { accessKeyId: 'AKIAREADER0000000000', secretAccessKey: 'reader' } }));
    expect({ status, report: output.join('') }).toEqual({ status: 0, report: expect.stringMatching(/warning: the check could not run[\s\S]*Nothing blocks a deployment\.\n$/) });
  } finally {
    write.mockRestore();
    rmSync(assembly, { recursive: true, force: true });
  }
});

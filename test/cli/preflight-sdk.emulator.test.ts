import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { offlineNpm, runIsolatedNode } from '../harness/isolated-node';
import { motoEndpoint } from '../harness/moto';

// The compiled CLI, as the npm package ships it (lib-cli/ beside lib/).
const PACKAGE_ROOT = join(__dirname, '..', '..');
const REGION = 'eu-west-3';

/**
 * Runs preflight's leftover check in a fresh Node.js process from a copy of the compiled CLI in a folder where no
 * `@aws-sdk/*` package resolves (no node_modules above it): the clients can only come from the runtime SDK cache
 * under `cacheHome`.
 */
function preflightInConsumer(cacheHome: string, env: NodeJS.ProcessEnv = {}) {
  const consumer = mkdtempSync(join(tmpdir(), 'preflight-consumer-'));
  for (const dir of ['lib', 'lib-cli']) cpSync(join(PACKAGE_ROOT, dir), join(consumer, dir), { recursive: true });
  const stack = {
    stackName: 'consumer',
    account: '123456789012',
    region: REGION,
    template: { Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'consumer-kept-logs' } } } },
  };
  const settings = { region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, endpoints: { logs: motoEndpoint() } };
  const script = `let resolvable = true;
try { require.resolve('@aws-sdk/client-cloudwatch-logs', { paths: [${JSON.stringify(join(consumer, 'lib-cli'))}] }); } catch { resolvable = false; }
console.log('SDK beside the CLI: ' + resolvable);
require(${JSON.stringify(join(consumer, 'lib-cli', 'preflight-sdk.js'))}).providePreflightSdk();
require(${JSON.stringify(join(consumer, 'lib-cli', 'preflight-checks.js'))})
  .runPreflightChecks(${JSON.stringify(stack)}, ${JSON.stringify(settings)})
  .then((results) => console.log(JSON.stringify(results.find((r) => r.check === 'resources left by an earlier create').problems)))
  .catch((error) => { console.error(error.message); process.exitCode = 1; });`;
  const run = runIsolatedNode(script, consumer, cacheHome, env);
  rmSync(consumer, { recursive: true, force: true });
  return run;
}

const cacheHomes: string[] = [];
function newCacheHome(): { cacheHome: string; cacheDir: string } {
  const cacheHome = mkdtempSync(join(tmpdir(), 'preflight-cache-'));
  cacheHomes.push(cacheHome);
  return { cacheHome, cacheDir: join(cacheHome, 'cdk-secure-serverless', 'runtime-sdk') };
}
afterAll(() => cacheHomes.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

test('in a folder without the AWS SDK, preflight loads its clients from the runtime SDK cache and runs its checks', async () => {
  await new CloudWatchLogsClient({ region: REGION, endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
    .send(new CreateLogGroupCommand({ logGroupName: 'consumer-kept-logs' }));
  // The cache as an earlier run (of preflight or local mode) left it: the clients installed in its node_modules.
  const { cacheHome, cacheDir } = newCacheHome();
  mkdirSync(cacheDir, { recursive: true });
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(cacheDir, 'node_modules'), 'dir');

  const run = preflightInConsumer(cacheHome, offlineNpm());

  expect(run.output).toContain('SDK beside the CLI: false');
  expect(run).toMatchObject({ status: 0 });
  expect(run.output).not.toMatch(/Install/);
  expect(run.output).toMatch(/"blocking":true/);
  expect(run.output).toContain('log group consumer-kept-logs (Logs) already exists');
});

test('when the clients cannot be installed (offline, empty cache), preflight says which and how to get them', () => {
  const { cacheHome } = newCacheHome();
  const run = preflightInConsumer(cacheHome, offlineNpm());

  expect(run.status).toBe(1);
  expect(run.output).toMatch(/^Installing the AWS SDK clients preflight calls \(@aws-sdk\/client-acm@\^3 .*@aws-sdk\/client-ssm@\^3\)/m);
  expect(run.output).toMatch(/preflight cannot load the AWS SDK v3 clients it calls: installing @aws-sdk\/client-acm .* failed .*Run preflight once with network access\./);
});

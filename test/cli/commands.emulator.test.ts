import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { LOCAL_USAGE, parseArguments } from '../../cli/arguments';
import { appSource, synthesize } from '../../cli/assembly';
import { BUILT_IN_EXAMPLE_STACK, synthesizeBuiltInExample } from '../../cli/example-app';

const root = join(__dirname, '..', '..');
const command = join(root, 'bin', 'cdk-secure-serverless');

function run(...args: string[]) {
  if (!existsSync(join(root, 'lib-cli', 'main.js'))) throw new Error('lib-cli/ is missing: run "npx projen compile" before this test.');
  const result = spawnSync(process.execPath, [command, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The flags a help text lists, e.g. `--port`. */
const listedFlags = (help: string) => [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((match) => match[1]);

describe('cdk-secure-serverless --help, --version', () => {
  test('--help and no arguments list every command, exit 0', () => {
    for (const args of [['--help'], ['-h'], []]) {
      const { code, stdout } = run(...args);
      expect(code).toBe(0);
      expect([...stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((match) => match[1])).toEqual(['local', 'openapi', 'preflight']);
    }
  });

  test('--version prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(run('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  test.each([
    ['local', ['--app', '--stack', '--api', '--port', '--no-auth', '--watch', '--help']],
    ['openapi', ['--app', '--stack', '--api', '--out', '--help']],
    ['preflight', ['--app', '--stack', '--region', '--profile', '--help']],
  ])('%s --help lists each of its flags, and the parser accepts each listed flag', (name, flags) => {
    const { code, stdout } = run(name, '--help');
    expect(code).toBe(0);
    expect(listedFlags(stdout)).toEqual(flags);
    for (const flag of listedFlags(stdout).filter((f) => f !== '--help')) {
      const args = ['--no-auth', '--watch'].includes(flag) ? [flag] : [flag, flag === '--port' ? '8080' : 'x'];
      expect(() => parseArguments([name, ...args])).not.toThrow();
    }
  });

  test('an unknown command or flag exits 2 with the usage', () => {
    expect(run('serve')).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown command serve') });
    expect(run('local', '--watchh')).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: cdk-secure-serverless local') });
    expect(run('local', '--port', '70000')).toMatchObject({ code: 2, stderr: expect.stringContaining('--port') });
  });

  test('--port takes every TCP port, 0 to 65535 (RFC 6335 section 6), as its usage says', () => {
    expect(parseArguments(['local', '--port', '65535'])).toMatchObject({ options: { port: 65535 } });
    expect(parseArguments(['local', '--port', '0'])).toMatchObject({ options: { port: 0 } });
    expect(() => parseArguments(['local', '--port', '65536'])).toThrow('use a port from 0 to 65535');
    for (const port of ['8080x', 'x8080', '-1', '1e3', '80.5', '']) {
      expect(() => parseArguments(['local', `--port=${port}`])).toThrow(`Invalid option --port ${port}: use a port from 0 to 65535`);
    }
  });

  test('the parser refuses, with the command\'s usage: an unknown flag, a value flag without its value, a switch given a value', () => {
    // An Error given to toThrow must match the whole message.
    expect(() => parseArguments(['local', '--watchh'])).toThrow(new Error(`Unknown option --watchh.\n\n${LOCAL_USAGE}`));
    expect(() => parseArguments(['local', '--port'])).toThrow(/^--port needs a value\.\s+Usage: cdk-secure-serverless local/);
    expect(() => parseArguments(['local', '--watch=yes'])).toThrow(/^Unknown option --watch=yes\./);
    expect(() => parseArguments(['local', '--no-auth=false'])).toThrow(/^Unknown option --no-auth=false\./);
  });

  test('--no-auth turns authorization off; it is on by default', () => {
    expect(parseArguments(['local'])).toEqual({ command: 'local', options: { port: 3000, auth: true, watch: false } });
    expect(parseArguments(['local', '--no-auth', '--port=4000', '--watch'])).toEqual({ command: 'local', options: { port: 4000, auth: false, watch: true } });
  });
});

describe('--app default', () => {
  // The cdk CLI reads the app from cdk.json in the current directory (https://docs.aws.amazon.com/cdk/v2/guide/cli.html#cli-app).
  test('is the cdk.json app of the current directory when it has one', () => {
    const consumer = join(root, 'test', 'consumer-app');
    expect(appSource(undefined, consumer)).toMatchObject({ command: 'node app.js', cwd: consumer, description: `the CDK app in ${consumer}` });
  });

  test('in a directory without cdk.json, the example app of this checkout', () => {
    expect(appSource(undefined, root)).toMatchObject({ cwd: join(root, 'examples'), description: 'the example app (examples/)' });
  });
});

test('local mode synthesizes an app without aws-cdk-lib\'s template validation and without ts-node type checking', async () => {
  // aws-cdk-lib 2.278 skips validation when process.env.CDK_VALIDATION === 'false' (core/lib/private/synthesis-validation.js);
  // ts-node reads TS_NODE_TRANSPILE_ONLY (https://typestrong.org/ts-node/docs/options).
  const app = 'node -e "const fs=require(\'fs\');const d=process.env.CDK_OUTDIR;fs.writeFileSync(d+\'/manifest.json\',\'{}\');'
    + 'fs.writeFileSync(d+\'/env.json\',JSON.stringify({v:process.env.CDK_VALIDATION,t:process.env.TS_NODE_TRANSPILE_ONLY}))"';
  const environment = { ...process.env };
  delete environment.CDK_VALIDATION;
  delete environment.TS_NODE_TRANSPILE_ONLY;
  const saved = process.env;
  process.env = environment;
  try {
    const outdir = await synthesize({ description: 'probe', command: app, cwd: root, context: {} });
    expect(JSON.parse(readFileSync(join(outdir, 'env.json'), 'utf8'))).toEqual({ v: 'false', t: 'true' });
    rmSync(outdir, { recursive: true, force: true });
  } finally {
    process.env = saved;
  }
});

describe('cdk-secure-serverless openapi', () => {
  let assemblyDir: string;
  beforeAll(() => {
    assemblyDir = mkdtempSync(join(tmpdir(), 'openapi-command-'));
    synthesizeBuiltInExample(assemblyDir);
  });
  afterAll(() => rmSync(assemblyDir, { recursive: true, force: true }));

  test('--out writes the same valid document ValidatedRestApi put into the assembly', async () => {
    const out = join(assemblyDir, 'from-cli.json');
    const { code, stderr } = run('openapi', '--app', assemblyDir, '--out', out);
    expect(stderr).toContain(`Wrote the OpenAPI document of "orders-prod" to ${out}`);
    expect(code).toBe(0);
    const fromCli = JSON.parse(readFileSync(out, 'utf8'));
    const fromSynthesis = JSON.parse(readFileSync(join(assemblyDir, `${BUILT_IN_EXAMPLE_STACK}.Orders.Api.openapi.json`), 'utf8'));
    expect(fromCli).toEqual(fromSynthesis);
    await expect(SwaggerParser.validate(fromCli)).resolves.toBeDefined();
    expect(Object.keys(fromCli.paths)).toEqual(expect.arrayContaining(['/items', '/items/{id}', '/health']));
  });

  test('without --out prints the document; a missing stack fails with its name', () => {
    const { code, stdout } = run('openapi', '--app', assemblyDir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).openapi).toBe('3.0.3');
    expect(run('openapi', '--app', assemblyDir, '--stack', 'nope')).toMatchObject({ code: 1, stderr: expect.stringContaining('No stack "nope"') });
  });
});

describe('cdk-secure-serverless openapi on a stack with two REST APIs (test/consumer-app)', () => {
  let assemblyDir: string;
  beforeAll(() => {
    assemblyDir = mkdtempSync(join(tmpdir(), 'openapi-two-apis-'));
    // As the CDK CLI synthesizes: with the construct paths in the template's metadata.
    const context = { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true };
    const synth = spawnSync(process.execPath, ['app.js'], {
      cwd: join(root, 'test', 'consumer-app'), encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: assemblyDir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    });
    expect(synth.status).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(assemblyDir, { recursive: true, force: true }));

  test('each API has its own document file, named by its construct path', () => {
    const tickets = JSON.parse(readFileSync(join(assemblyDir, 'tickets.Tickets.Api.openapi.json'), 'utf8'));
    const audit = JSON.parse(readFileSync(join(assemblyDir, 'tickets.Audit.Api.openapi.json'), 'utf8'));
    expect([tickets.info.title, audit.info.title]).toEqual(['tickets-dev', 'audit-dev']);
  });

  test('--api names one by construct path (below the stack or the app) or logical id; without it the command lists them', () => {
    const title = (...api: string[]) => JSON.parse(run('openapi', '--app', assemblyDir, ...api).stdout).info.title;
    expect(title('--api', 'Tickets/Api')).toBe('tickets-dev');
    expect(title('--api', 'tickets/Audit/Api')).toBe('audit-dev');
    const auditId = Object.entries<any>(JSON.parse(readFileSync(join(assemblyDir, 'tickets.template.json'), 'utf8')).Resources)
      .find(([, r]) => r.Type === 'AWS::ApiGateway::RestApi' && r.Metadata['aws:cdk:path'].startsWith('tickets/Audit/'))![0];
    expect(title('--api', auditId)).toBe('audit-dev');
    const unnamed = run('openapi', '--app', assemblyDir);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toMatch(/Stack tickets has 2 REST APIs; name one with --api: tickets\/Tickets\/Api\/\S+ \(\w+\), tickets\/Audit\/Api/);
    expect(run('openapi', '--app', assemblyDir, '--api', 'Nope')).toMatchObject({ code: 1, stderr: expect.stringContaining('--api Nope names no REST API of stack tickets') });
  });
});

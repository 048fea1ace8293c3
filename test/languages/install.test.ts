import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { builtPackage } from './built-package';

/**
 * Install tests: the packed library installed the way a user installs it, into fresh consumer apps that already
 * have an aws-cdk-lib, on the minimum aws-cdk-lib this package supports and on the newest the registry serves
 * (looked up now, never hard-coded), on Node 22 and Node 24. No `--force`, no `--legacy-peer-deps`: the install
 * must keep the app's aws-cdk-lib, and the app must synthesize a PROD ServerlessService with 0 unacknowledged
 * findings in all six cdk-nag packs.
 * Run by `npx projen test:languages` (part of `npx projen build`) after `package:js` and `package:python`.
 */

const root = join(__dirname, '..', '..');
const cache = join(root, '.cache', 'install');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** The dev dependency is pinned at the minimum supported aws-cdk-lib (.projenrc.ts). */
const MINIMUM_CDK = manifest.devDependencies['aws-cdk-lib'] as string;
const MINIMUM_CONSTRUCTS = manifest.devDependencies.constructs as string;
const CDK_NAG = manifest.devDependencies['cdk-nag'] as string;

/**
 * The only warnings synthesis may print, and only on aws-cdk-lib versions that print them: aws-cdk-lib 2.257's TableV2
 * constructs its own grants with two properties it has itself deprecated (the library never sets them).
 */
const TABLEV2_INTERNAL_DEPRECATIONS = [
  'aws-cdk-lib.aws_dynamodb.TableGrantsProps#encryptedResource is deprecated.',
  'aws-cdk-lib.aws_dynamodb.TableGrantsProps#policyResource is deprecated.',
];

const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];

/** Runs a command to completion; returns its stdout and stderr (synthesis warnings go to stderr), throws on failure. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

function newestOnNpm(name: string): string {
  return JSON.parse(run('npm', ['view', name, 'version', '--json'], root).stdout);
}

/** A directory whose `node` is the given major: this process's Node when it matches, else the `node` npm package in .cache. */
function nodeBinDir(major: number): string {
  if (Number(process.versions.node.split('.')[0]) === major) return dirname(process.execPath);
  const prefix = join(cache, `node${major}`);
  const bin = join(prefix, 'node_modules', '.bin');
  if (!existsSync(join(bin, 'node'))) {
    mkdirSync(prefix, { recursive: true });
    run('npm', ['install', '--prefix', prefix, ...quiet, `node@${major}`], root);
  }
  return bin;
}

function packedTarball(): string {
  return builtPackage(join(root, 'dist', 'js'), '.tgz', 'npx projen package:js');
}

function installedVersion(app: string, name: string): string {
  return JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')).version;
}

const workdir = mkdtempSync(join(tmpdir(), 'install-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('the packed npm tarball', () => {
  test('declares aws-cdk-lib and constructs as caret-range peer dependencies, from the minimum up', () => {
    const packed = JSON.parse(run('tar', ['-xzOf', packedTarball(), 'package/package.json'], root).stdout);
    expect(packed.peerDependencies).toEqual({ 'aws-cdk-lib': `^${MINIMUM_CDK}`, 'constructs': `^${MINIMUM_CONSTRUCTS}` });
    expect(packed.dependencies ?? {}).not.toHaveProperty('aws-cdk-lib');
  });

  const newest = newestOnNpm('aws-cdk-lib');
  const cases: Array<[string, string, number]> = [];
  for (const node of [22, 24]) {
    cases.push(['minimum', MINIMUM_CDK, node], ['newest', newest, node]);
  }

  test.each(cases)('installs into an app on the %s aws-cdk-lib (%s) on Node %d, which then synthesizes a PROD service with 0 cdk-nag findings', (_label, cdkVersion, node) => {
    const app = join(workdir, `npm-${cdkVersion}-node${node}`);
    mkdirSync(app);
    const env = { ...process.env, PATH: `${nodeBinDir(node)}${delimiter}${process.env.PATH}` };
    expect(run('node', ['--version'], app, env).stdout).toMatch(new RegExp(`^v${node}\\.`));

    // An existing CDK app first, then the library added to it, as a user does.
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    run('npm', ['install', ...quiet, `aws-cdk-lib@${cdkVersion}`, 'constructs@^10', `cdk-nag@${CDK_NAG}`], app, env);
    run('npm', ['install', ...quiet, packedTarball()], app, env);

    expect(installedVersion(app, 'aws-cdk-lib')).toBe(cdkVersion);
    // The peer is satisfied by the app's copy: no second aws-cdk-lib nested under the library.
    expect(existsSync(join(app, 'node_modules', 'cdk-secure-serverless', 'node_modules', 'aws-cdk-lib'))).toBe(false);

    copyFileSync(join(__dirname, 'npm', 'app.js'), join(app, 'app.js'));
    const { stdout, stderr } = run('node', ['app.js', join(app, 'cdk.out')], app, env);
    const report = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(report.packs).toBe(6);
    expect(report.findings).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.resources).toBeGreaterThan(50);

    const printedWarnings = stderr.split('\n').filter((line) => line.startsWith('[WARNING]')).map((line) => line.replace('[WARNING] ', ''));
    if (cdkVersion === newest) {
      expect(printedWarnings).toEqual([]);
    } else {
      expect(printedWarnings.filter((w) => !TABLEV2_INTERNAL_DEPRECATIONS.includes(w))).toEqual([]);
    }
  });
});

describe('the built Python wheel', () => {
  test('installs into a virtualenv that already has the newest aws-cdk-lib without changing it, and synthesizes', () => {
    const wheel = builtPackage(join(root, 'dist', 'python'), '.whl', 'npx projen package:python');

    const venv = join(workdir, 'venv');
    run('python3', ['-m', 'venv', venv], root);
    const python = join(venv, 'bin', 'python');
    const pip = [python, '-m', 'pip', '--disable-pip-version-check', '--quiet'];
    run(pip[0], [...pip.slice(1), 'install', 'aws-cdk-lib', 'constructs'], root);
    const versionOf = (name: string) => run(python, ['-c', `import importlib.metadata as m; print(m.version("${name}"))`], root).stdout.trim();
    const before = versionOf('aws-cdk-lib');

    run(pip[0], [...pip.slice(1), 'install', wheel], root);
    expect(versionOf('aws-cdk-lib')).toBe(before);
    const requires = run(python, ['-c', 'import importlib.metadata as m; print("\\n".join(m.requires("cdk-secure-serverless")))'], root).stdout;
    expect(requires).toMatch(new RegExp(`^aws-cdk-lib <3\\.0\\.0,>=${MINIMUM_CDK.replace(/\./g, '\\.')}$`, 'm'));

    const outdir = join(workdir, 'python-out');
    run(python, [join(__dirname, 'python', 'app.py'), outdir], root, { ...process.env, JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1' });
    const resources: Array<{ Type: string }> = Object.values(JSON.parse(readFileSync(join(outdir, 'orders-prod.template.json'), 'utf8')).Resources);
    const count = (type: string) => resources.filter((r) => r.Type === type).length;
    expect([count('AWS::DynamoDB::GlobalTable'), count('AWS::ApiGateway::RestApi'), count('AWS::KMS::Key')]).toEqual([1, 1, 1]);
  });
});

describe('the built Java and Go packages', () => {
  const atLeastMinimum = (version: string) => {
    const [major, minor, patch] = version.split('.').map(Number);
    const [minMajor, minMinor, minPatch] = MINIMUM_CDK.split('.').map(Number);
    return major === minMajor && (minor > minMinor || (minor === minMinor && patch >= minPatch));
  };

  test('the Maven pom names an aws-cdk-lib 2.x at or above the minimum (jsii-pacmak resolves the range; a consumer\'s own version wins)', () => {
    const pom = readFileSync(join(root, 'dist', 'java', 'dev', 'cdk-secure-serverless', 'cdk-secure-serverless', manifest.version, `cdk-secure-serverless-${manifest.version}.pom`), 'utf8');
    const version = /<artifactId>aws-cdk-lib<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom)?.[1];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(atLeastMinimum(version!)).toBe(true);
  });

  test('the Go module requires the minimum aws-cdk-go (minimal version selection keeps a consumer\'s newer one)', () => {
    const goMod = readFileSync(join(root, 'dist', 'go', 'cdksecureserverless', 'go.mod'), 'utf8');
    expect(goMod).toMatch(new RegExp(`^\\s*github\\.com/aws/aws-cdk-go/awscdk/v2 v${MINIMUM_CDK.replace(/\./g, '\\.')}$`, 'm'));
  });
});

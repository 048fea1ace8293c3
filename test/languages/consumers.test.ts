import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtPackage } from './built-package';
import { REFERENCE_STACKS, synthesizeReferenceApp } from './reference-app';

/**
 * Consumer smoke tests: a CDK app per language (Python, Java, Go), using only the package jsii-pacmak built into
 * dist/ and aws-cdk-lib from that language's registry, synthesizes the same stacks as reference-app.ts; the
 * templates must be equal. Each app then reads every public getter and side-effect-free method (public-reads.ts)
 * and writes what it read to reads.json in its outdir; the reads must equal the TypeScript ones.
 * They are compared as they are: asset hashes are content hashes (the bundled handler is the same file in every
 * package), and the apps synthesize without the CLI, so no version-reporting resource differs either.
 * Run by `npx projen test:languages` (part of `npx projen build`) after the packages are built.
 */

const root = join(__dirname, '..', '..');
const cache = join(root, '.cache', 'languages');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const devDependencies: Record<string, string> = manifest.devDependencies;
const LIBRARY_VERSION: string = manifest.version;
/** The consumers use the same aws-cdk-lib and constructs versions as the TypeScript reference (pinned in .projenrc.ts). */
const CDK_VERSION = devDependencies['aws-cdk-lib'];
const CONSTRUCTS_VERSION = devDependencies.constructs;

/** The jsii runtimes start the project's Node (24), which they have not all been tested with yet. */
const env = { ...process.env, JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1' };

function run(command: string, args: string[], cwd: string = root): void {
  execFileSync(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

function templates(outdir: string): Record<string, any> {
  return Object.fromEntries(REFERENCE_STACKS.map((stack) => [
    stack, JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')),
  ]));
}

const outdirs = mkdtempSync(join(tmpdir(), 'consumers-'));
afterAll(() => rmSync(outdirs, { recursive: true, force: true }));

let reference: Record<string, any>;
let referenceReads: unknown;
beforeAll(() => {
  const outdir = join(outdirs, 'typescript');
  referenceReads = synthesizeReferenceApp(outdir);
  reference = templates(outdir);
});

/** What a consumer app read through the public API (public-reads.ts). */
function reads(outdir: string): unknown {
  return JSON.parse(readFileSync(join(outdir, 'reads.json'), 'utf8'));
}

/** A virtualenv with the pinned aws-cdk-lib from PyPI, kept between runs; the built wheel is reinstalled every run. */
function pythonWithBuiltWheel(): string {
  const venv = join(cache, 'python-venv');
  const python = join(venv, 'bin', 'python');
  const stamp = join(venv, '.consumer-stamp');
  const want = `aws-cdk-lib==${CDK_VERSION} constructs==${CONSTRUCTS_VERSION}`;
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== want) {
    rmSync(venv, { recursive: true, force: true });
    run('python3', ['-m', 'venv', venv]);
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...want.split(' ')]);
    writeFileSync(stamp, want);
  }
  const wheel = builtPackage(join(root, 'dist', 'python'), '.whl');
  // The wheel's version stays 0.0.0 between builds: uninstall, so pip installs this build (and checks its requirements).
  run(python, ['-m', 'pip', 'uninstall', '--quiet', '--disable-pip-version-check', '--yes', 'cdk-secure-serverless']);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', wheel, ...want.split(' ')]);
  return python;
}

/** Maven with the built jar's repository (dist/java) and Maven Central, local repository in .cache/m2. */
function synthesizeJavaApp(outdir: string): void {
  builtPackage(join(root, 'dist', 'java', 'dev', 'cdk-secure-serverless', 'cdk-secure-serverless', LIBRARY_VERSION), `${LIBRARY_VERSION}.jar`);
  const localRepository = join(root, '.cache', 'm2');
  // Maven never re-reads a release version it has cached: drop the previous build's copy of the library.
  rmSync(join(localRepository, 'dev', 'cdk-secure-serverless'), { recursive: true, force: true });
  run('mvn', [
    '--batch-mode', '--quiet', `-Dmaven.repo.local=${localRepository}`,
    `-Dcdk.version=${CDK_VERSION}`, `-Dconstructs.version=${CONSTRUCTS_VERSION}`, `-Dlibrary.version=${LIBRARY_VERSION}`,
    'compile', 'exec:java', `-Dexec.args=${outdir}`,
  ], join(__dirname, 'java'));
}

/** The Go app in a scratch copy, its go.mod pointed at dist/go and the pinned aws-cdk-go, built and run. */
function synthesizeGoApp(outdir: string): void {
  const module = join(root, 'dist', 'go', 'cdksecureserverless');
  if (!existsSync(join(module, 'go.mod'))) {
    throw new Error(`${module}/go.mod is missing: run "npx projen test:languages" (it builds the packages first).`);
  }
  const app = join(outdirs, 'go-app');
  cpSync(join(__dirname, 'go'), app, { recursive: true });
  run('go', [
    'mod', 'edit',
    `-replace=github.com/cdk-secure-serverless/cdk-secure-serverless-go/cdksecureserverless=${module}`,
    `-require=github.com/aws/aws-cdk-go/awscdk/v2@v${CDK_VERSION}`,
  ], app);
  run('go', ['mod', 'tidy'], app);
  run('go', ['build', '-o', 'app', '.'], app);
  run(join(app, 'app'), [outdir], app);
}

describe('a Python CDK app using the built wheel', () => {
  test('synthesizes the same templates and reads the same public values as the TypeScript app', () => {
    const outdir = join(outdirs, 'python');
    run(pythonWithBuiltWheel(), [join(__dirname, 'python', 'app.py'), outdir]);
    expect(templates(outdir)).toEqual(reference);
    expect(reads(outdir)).toEqual(referenceReads);
  });
});

describe('a Java CDK app using the built jar', () => {
  test('synthesizes the same templates and reads the same public values as the TypeScript app', () => {
    const outdir = join(outdirs, 'java');
    synthesizeJavaApp(outdir);
    expect(templates(outdir)).toEqual(reference);
    expect(reads(outdir)).toEqual(referenceReads);
  });
});

describe('a Go CDK app using the built module', () => {
  test('synthesizes the same templates and reads the same public values as the TypeScript app', () => {
    const outdir = join(outdirs, 'go');
    synthesizeGoApp(outdir);
    expect(templates(outdir)).toEqual(reference);
    expect(reads(outdir)).toEqual(referenceReads);
  });
});

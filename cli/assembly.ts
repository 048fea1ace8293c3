import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localModeCacheDir } from './cache-dir';
import { CfnTemplate } from './template';

/** One stack of a cloud assembly, as local mode needs it. */
export interface AssemblyStack {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** The assembly directory, against which asset paths resolve. */
  readonly assemblyDir: string;
  readonly region: string;
  readonly accountId: string;
}

/** Where the CDK app comes from: an assembly directory, a directory with cdk.json, or an app command. */
export interface AppSource {
  readonly description: string;
  readonly assemblyDir?: string;
  readonly command?: string;
  /** Synthesize the built-in example in this process. */
  readonly builtInExample?: boolean;
  readonly cwd: string;
  readonly context: Record<string, unknown>;
}

/** This package's root (lib-cli/ or cli/ -> one level up). */
export const PACKAGE_ROOT = join(__dirname, '..');

function cdkJsonSource(dir: string): AppSource {
  const cdkJson = JSON.parse(readFileSync(join(dir, 'cdk.json'), 'utf8'));
  if (typeof cdkJson.app !== 'string') throw new Error(`${join(dir, 'cdk.json')} has no "app" command.`);
  const savedContext = existsSync(join(dir, 'cdk.context.json')) ? JSON.parse(readFileSync(join(dir, 'cdk.context.json'), 'utf8')) : {};
  return { description: `the CDK app in ${dir}`, command: cdkJson.app, cwd: dir, context: { ...savedContext, ...cdkJson.context } };
}

/**
 * Resolves `--app`: a cloud assembly directory (has manifest.json), a directory with cdk.json, or a command that
 * synthesizes an app. Without `--app`: the app of the current directory when it has a cdk.json (as the CDK CLI
 * does), else the example app of this package's checkout (examples/), else the built-in example (the same service
 * with prod settings).
 */
export function appSource(app: string | undefined, cwd: string): AppSource {
  if (app === undefined && existsSync(join(cwd, 'cdk.json'))) return cdkJsonSource(resolve(cwd));
  if (app === undefined) {
    const example = join(PACKAGE_ROOT, 'examples');
    if (existsSync(join(example, 'cdk.json'))) return { ...cdkJsonSource(example), description: 'the example app (examples/)' };
    return { description: 'the built-in example app (orders service, prod settings)', builtInExample: true, cwd, context: {} };
  }
  const dir = resolve(cwd, app);
  if (existsSync(join(dir, 'manifest.json'))) return { description: `the cloud assembly ${dir}`, assemblyDir: dir, cwd, context: {} };
  if (existsSync(join(dir, 'cdk.json'))) return cdkJsonSource(dir);
  const context = existsSync(join(cwd, 'cdk.json')) ? cdkJsonSource(cwd).context : {};
  return { description: `the app command "${app}"`, command: app, cwd, context };
}

/**
 * What local mode's own synthesis skips or caches, as it changes nothing local mode serves (`cdk synth` still does
 * the checks): aws-cdk-lib's template validation at synthesis (2.262 and later read `CDK_VALIDATION`, see
 * core/lib/private/synthesis-validation.js), ts-node's type checking (`TS_NODE_TRANSPILE_ONLY`), and the compiling of
 * aws-cdk-lib's and TypeScript's modules, kept in Node.js's compile cache (22.1 and later; older ones ignore it).
 */
export function fastSynthesisEnvironment(): Record<string, string> {
  return { CDK_VALIDATION: 'false', TS_NODE_TRANSPILE_ONLY: 'true', NODE_COMPILE_CACHE: localModeCacheDir('compile-cache') };
}

/**
 * Context as the CDK CLI passes it to every app (asset metadata tells local mode where each function's code is), and
 * no stack traces in construct metadata: local mode reads none, and capturing one per resource took a tenth of a
 * synthesis.
 */
const CLI_CONTEXT = {
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:version-reporting': false,
  'aws:cdk:disable-stack-trace': true,
  'aws:cdk:disable-creation-stack-traces': true,
};

/** A fresh temporary directory for a cloud assembly. */
export function newAssemblyDir(): string {
  return mkdtempSync(join(tmpdir(), 'cdk-secure-serverless-local-'));
}

/** `CDK_CONTEXT_JSON` for the app: the CLI's context, then the app's own (cdk.json, cdk.context.json). */
export function cloudAssemblyContext(source: AppSource): string {
  return JSON.stringify({ ...CLI_CONTEXT, ...source.context });
}

/** A running app command: its process, its exit code once it exited, and the end of its error output. */
export interface SynthesisProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly errors: () => string;
}

/** Starts the app command the way the CDK CLI does (CDK_OUTDIR, CDK_CONTEXT_JSON), with `environment` added. */
export function spawnSynthesis(source: AppSource, outdir: string, environment: Record<string, string> = {}): SynthesisProcess {
  const child = spawn(source.command!, {
    cwd: source.cwd,
    shell: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...fastSynthesisEnvironment(), ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: cloudAssemblyContext(source), ...environment },
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-8000);
  });
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  return { child, exited, errors: () => errors };
}

/** Runs the app command (or the built-in example) into a fresh temporary directory and returns it. */
export async function synthesize(source: AppSource): Promise<string> {
  if (source.assemblyDir) return source.assemblyDir;
  const outdir = newAssemblyDir();
  if (source.builtInExample) {
    // aws-cdk-lib's deprecation warnings are about the library's internals, not the user's app.
    process.env.JSII_DEPRECATED ??= 'quiet';
    process.env.CDK_VALIDATION ??= fastSynthesisEnvironment().CDK_VALIDATION;
    // Loaded only here: aws-cdk-lib takes a while to load and the other sources do not need it.
    const { synthesizeBuiltInExample } = await import('./example-app.js');
    synthesizeBuiltInExample(outdir);
    return outdir;
  }
  const { exited, errors } = spawnSynthesis(source, outdir);
  const code = await exited;
  if (code !== 0 || !existsSync(join(outdir, 'manifest.json'))) {
    rmSync(outdir, { recursive: true, force: true });
    throw new Error(`Synthesizing ${source.description} failed (exit code ${code}):\n${errors()}`);
  }
  return outdir;
}

/** Environment-agnostic stacks get the emulator's defaults. */
function concrete(value: string | undefined, fallback: string): string {
  return value && !value.startsWith('unknown-') ? value : fallback;
}

/**
 * Picks the stack to serve: `--stack` when given, else the only stack with a REST API, else the one whose name says
 * prod (local mode runs prod-like settings by default).
 */
export function readStack(assemblyDir: string, stackName: string | undefined): AssemblyStack {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8'));
  const stacks = Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => {
      const template: CfnTemplate = JSON.parse(readFileSync(join(assemblyDir, artifact.properties.templateFile), 'utf8'));
      const [, account, region] = /^aws:\/\/([^/]*)\/(.*)$/.exec(artifact.environment ?? '') ?? [];
      return {
        stackName: artifact.properties.stackName ?? id,
        template: { Resources: template.Resources ?? {} },
        assemblyDir,
        region: concrete(region, 'us-east-1'),
        accountId: concrete(account, '123456789012'),
      };
    });
  const names = stacks.map((stack) => stack.stackName).join(', ');
  if (stackName !== undefined) {
    const stack = stacks.find((candidate) => candidate.stackName === stackName);
    if (!stack) throw new Error(`No stack "${stackName}" in ${assemblyDir}; its stacks: ${names}.`);
    return stack;
  }
  const withApi = stacks.filter((stack) => Object.values(stack.template.Resources).some((r) => r.Type === 'AWS::ApiGateway::RestApi'));
  const chosen = withApi.length === 1 ? withApi[0] : withApi.find((stack) => /prod/i.test(stack.stackName));
  if (!chosen) throw new Error(`Choose a stack with --stack; stacks with a REST API: ${withApi.map((s) => s.stackName).join(', ') || 'none'}.`);
  return chosen;
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The newest aws-cdk-lib the registry serves, installed into a scratch folder beside this checkout's packed library and
 * the Solutions Constructs baselines, as a user on that version installs them. The folder is kept under ~/.cache per
 * aws-cdk-lib version; the library's tarball is reinstalled on every run, so it is always this checkout's.
 */
const ROOT = join(__dirname, '..');
const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cdk-secure-serverless', 'bench-aws-cdk-lib');
/** The baselines installed beside aws-cdk-lib, at the versions this project pins (package.json devDependencies). */
const BASELINE_PACKAGES = [
  '@aws-solutions-constructs/aws-apigateway-lambda',
  '@aws-solutions-constructs/aws-lambda-dynamodb',
  '@aws-solutions-constructs/aws-lambda-secretsmanager',
];

/** What a TypeScript CDK app runs with (`cdk init app --language typescript`). */
const TS_NODE_PACKAGES = ['ts-node', 'typescript'];

export interface InstalledCdk {
  readonly version: string;
  /** A folder with a package.json whose node_modules hold aws-cdk-lib, the library, the baselines and ts-node. */
  readonly root: string;
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Installs (or reuses) the newest aws-cdk-lib with the baselines, then this checkout's packed library into it. */
export function installNewestCdk(): InstalledCdk {
  const version = npm(['view', 'aws-cdk-lib', 'version'], ROOT).trim();
  const devDependencies = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies as Record<string, string>;
  const root = join(CACHE, version);
  if (!existsSync(join(root, 'node_modules', 'aws-cdk-lib', 'package.json'))) {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bench-aws-cdk-lib', private: true }));
    npm(['install', `aws-cdk-lib@${version}`, 'constructs@^10', ...BASELINE_PACKAGES.map((p) => `${p}@${devDependencies[p]}`)], root);
  }
  // The TypeScript apps of the local-mode rows run with ts-node, at the versions this project pins.
  if (!existsSync(join(root, 'node_modules', 'ts-node', 'package.json'))) {
    npm(['install', ...TS_NODE_PACKAGES.map((p) => `${p}@${devDependencies[p]}`)], root);
  }
  const packDir = mkdtempSync(join(tmpdir(), 'bench-pack-'));
  try {
    const tarball = npm(['pack', '--pack-destination', packDir, ROOT], ROOT).trim().split('\n').pop()!;
    npm(['install', '--no-save', join(packDir, tarball)], root);
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
  return { version, root };
}

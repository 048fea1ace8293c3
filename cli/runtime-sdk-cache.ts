import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The version range local mode installs for an `@aws-sdk/*` package: the major the Lambda Node.js runtimes ship
 * (nodejs18.x and later include the AWS SDK for JavaScript v3, each at a pinned 3.x release:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included). `@smithy/*` packages have
 * versions of their own, so they get the newest release, as a v3 client's own dependencies do.
 */
export const RUNTIME_SDK_RANGE = '^3';

/** The folder the runtime's SDK packages are installed into once and shared by every app (XDG cache convention). */
export function runtimeSdkCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cdk-secure-serverless', 'runtime-sdk');
}

/** The package a specifier names: `@aws-sdk/client-dynamodb/dist-cjs/x` -> `@aws-sdk/client-dynamodb`. */
export function packageNameOf(specifier: string): string {
  return specifier.split('/').slice(0, 2).join('/');
}

/**
 * Installs the package `specifier` names into `cacheDir` (synchronously: module resolution hooks are synchronous)
 * and reports what it installed. Throws an error naming the package when npm fails, e.g. offline.
 */
export function installRuntimePackage(specifier: string, cacheDir: string): void {
  const name = packageNameOf(specifier);
  const wanted = name.startsWith('@aws-sdk/') ? `${name}@${RUNTIME_SDK_RANGE}` : name;
  mkdirSync(cacheDir, { recursive: true });
  const manifest = join(cacheDir, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ private: true, description: 'AWS SDK v3 packages for cdk-secure-serverless local mode' })}\n`);
  process.stdout.write(`Installing ${wanted} (provided by the Lambda runtime, installed nowhere in the app) into ${cacheDir}...\n`);
  try {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['install', '--prefix', cacheDir, '--prefer-offline', '--no-audit', '--no-fund', '--save', wanted],
      { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n').filter(Boolean).slice(-3).join(' ');
    throw new Error(`Local mode cannot provide ${name}, which a function requires and the Lambda runtime provides: `
      + `installing ${wanted} into ${cacheDir} failed (${stderr || (error as Error).message}). `
      + `Install it in your app (npm i -D ${name}) or run local mode once with network access.`);
  }
  const { version } = JSON.parse(readFileSync(join(cacheDir, 'node_modules', name, 'package.json'), 'utf8'));
  process.stdout.write(`Installed ${name}@${version}; later starts reuse it.\n`);
}

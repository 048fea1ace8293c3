import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { localModeCacheDir } from './cache-dir';

/**
 * The version range local mode installs for an `@aws-sdk/*` package: the major the Lambda Node.js runtimes ship. Each
 * runtime includes "a specific minor version" of v3 that "depends on the runtime version and your AWS Region", and
 * the docs list none (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included), so the
 * newest 3.x is installed; an app pins a release by installing it itself. `@smithy/*` packages have versions of
 * their own, so they get the newest release, as a v3 client's own dependencies do.
 */
export const RUNTIME_SDK_RANGE = '^3';

/** The folder the runtime's SDK packages are installed into once and shared by every app. */
export function runtimeSdkCacheDir(): string {
  return localModeCacheDir('runtime-sdk');
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
  process.stdout.write(`Installing ${wantedVersion(name)} (provided by the Lambda runtime, installed nowhere in the app) into ${cacheDir}...\n`);
  try {
    npmInstallIntoCache([name], cacheDir);
  } catch (error) {
    throw new Error(`Local mode cannot provide ${name}, which a function requires and the Lambda runtime provides: `
      + `installing ${wantedVersion(name)} into ${cacheDir} failed (${(error as Error).message}). `
      + `Install it in your app (npm i -D ${name}) or run local mode once with network access.`);
  }
  process.stdout.write(`Installed ${name}@${installedVersion(name, cacheDir)}; later starts reuse it.\n`);
}

/** `name@^3` for an AWS SDK v3 package, the bare name otherwise. */
export function wantedVersion(name: string): string {
  return name.startsWith('@aws-sdk/') ? `${name}@${RUNTIME_SDK_RANGE}` : name;
}

/** The version of `name` installed in the cache. */
export function installedVersion(name: string, cacheDir: string): string {
  return JSON.parse(readFileSync(join(cacheDir, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** A `require` that resolves from the cache's node_modules. */
export function requireFromCache(cacheDir: string): NodeJS.Require {
  return createRequire(join(cacheDir, 'package.json'));
}

/**
 * Installs the packages into the cache with one `npm install` (synchronous). Throws an error whose message is npm's
 * last lines when it fails, e.g. offline.
 */
export function npmInstallIntoCache(names: string[], cacheDir: string): void {
  mkdirSync(cacheDir, { recursive: true });
  const manifest = join(cacheDir, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ private: true, description: 'AWS SDK v3 packages for cdk-secure-serverless local mode and preflight' })}\n`);
  try {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['install', '--prefix', cacheDir, '--prefer-offline', '--no-audit', '--no-fund', '--save', ...names.map(wantedVersion)],
      { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n').filter(Boolean).slice(-3).join(' ');
    throw new Error(stderr || (error as Error).message);
  }
}

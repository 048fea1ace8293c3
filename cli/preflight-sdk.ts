import { installedVersion, npmInstallIntoCache, requireFromCache, runtimeSdkCacheDir, wantedVersion } from './runtime-sdk-cache';

/**
 * The AWS SDK v3 clients preflight calls. The package does not ship them (they would add about 22 MB): preflight loads
 * them from the runtime SDK cache local mode uses, installing the missing ones there once.
 */
export const PREFLIGHT_SDK_CLIENTS = [
  'acm', 'api-gateway', 'backup', 'cloudformation', 'cloudwatch-logs', 'dynamodb', 'lambda', 'route-53', 'secrets-manager', 'ssm',
].map((name) => `@aws-sdk/client-${name}`);

/** Loads one of the clients: beside this package (a development checkout, or installed by the user), else from the cache. */
export function preflightSdk<T>(name: string, cacheDir = runtimeSdkCacheDir()): T {
  return (resolvesBesideThisPackage(name) ? requireBesideThisPackage(name) : requireFromCache(cacheDir)(name)) as T;
}

/** Installs into the cache, in one npm call, the clients found neither beside this package nor in the cache. */
export function providePreflightSdk(cacheDir = runtimeSdkCacheDir()): void {
  const missing = PREFLIGHT_SDK_CLIENTS.filter((name) => !resolvesBesideThisPackage(name) && !resolvesIn(requireFromCache(cacheDir), name));
  if (missing.length === 0) return;
  process.stdout.write(`Installing the AWS SDK clients preflight calls (${missing.map(wantedVersion).join(' ')}) into ${cacheDir}...\n`);
  try {
    npmInstallIntoCache(missing, cacheDir);
  } catch (error) {
    throw new Error(`preflight cannot load the AWS SDK v3 clients it calls: installing ${missing.join(' ')} into ${cacheDir} failed `
      + `(${(error as Error).message}). Run preflight once with network access.`);
  }
  process.stdout.write(`Installed ${missing.map((name) => `${name}@${installedVersion(name, cacheDir)}`).join(', ')}; later runs reuse them.\n`);
}

function resolvesBesideThisPackage(name: string): boolean {
  return resolvesIn(require, name);
}

function requireBesideThisPackage(name: string): unknown {
  // The name is one of PREFLIGHT_SDK_CLIENTS, a package this module cannot import statically (it is not shipped).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(name);
}

function resolvesIn(requireIn: NodeJS.Require, name: string): boolean {
  try {
    requireIn.resolve(name);
    return true;
  } catch {
    return false;
  }
}

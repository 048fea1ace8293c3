import { homedir } from 'node:os';
import { join } from 'node:path';

/** A folder of local mode's caches, shared by every app (XDG cache convention): `~/.cache/cdk-secure-serverless/<name>`. */
export function localModeCacheDir(name: string): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cdk-secure-serverless', name);
}

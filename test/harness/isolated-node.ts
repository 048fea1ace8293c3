import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a script run in a fresh Node.js process printed, and its exit status. */
export interface ScriptRun {
  readonly status: number | null;
  readonly output: string;
}

/**
 * Runs `script` in a fresh Node.js process in `cwd`, without this repository's NODE_PATH and with the runtime SDK
 * cache under `cacheHome` (`XDG_CACHE_HOME`): what it can resolve is what a user's folder and that cache give it.
 */
export function runIsolatedNode(script: string, cwd: string, cacheHome: string, env: NodeJS.ProcessEnv = {}): ScriptRun {
  const { NODE_PATH: _ignored, ...inherited } = process.env;
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd, encoding: 'utf8', env: { ...inherited, XDG_CACHE_HOME: cacheHome, ...env },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** npm with no network and an empty package cache: any install fails, as on a machine offline. */
export function offlineNpm(): NodeJS.ProcessEnv {
  return { npm_config_offline: 'true', npm_config_cache: mkdtempSync(join(tmpdir(), 'offline-npm-')) };
}

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The one file ending in `suffix` that a package task built into `dir`; throws naming the task when there is not exactly one. */
export function builtPackage(dir: string, suffix: string, task = 'npx projen test:languages'): string {
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)) : [];
  if (found.length !== 1) {
    throw new Error(`expected one *${suffix} in ${dir}, found ${found.length}: run "${task}" (it builds the packages first).`);
  }
  return join(dir, found[0]);
}

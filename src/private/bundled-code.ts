import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** Where the pre-bundled handlers live: `assets/` at the package root, beside `lib/` (and `src/` in tests). */
export const ASSETS_DIR = join(__dirname, '..', '..', 'assets');

/**
 * The code of a handler bundled from `lambda-src/<name>` at build time.
 * Shipping the bundle in the package means consumers in every jsii language deploy it without a Node bundler.
 */
export function bundledHandlerCode(name: string): lambda.Code {
  const dir = join(ASSETS_DIR, name);
  if (!existsSync(join(dir, 'index.js'))) {
    throw new Error(`The bundled handler "${name}" is missing from ${ASSETS_DIR}: run "npx projen pre-compile" to bundle lambda-src/.`);
  }
  return lambda.Code.fromAsset(dir);
}

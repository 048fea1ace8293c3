// Bundles each Lambda handler in lambda-src/<name>/index.ts into assets/<name>/index.js.
// The bundles ship inside the npm package, so consumers in any jsii language never need a Node bundler.
import { readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Shared with the benchmark's baselines (bench/bundle.ts), so comparisons are of code, not of bundling:
// - mainFields prefers ES modules so esbuild can drop the unused parts of the AWS SDK;
// - dynamic-import off: the SDK's ES builds load Node built-ins with import(); as require() they skip the ESM loader
//   at cold start and run in any CommonJS host (Lambda, or jest's VM in the bundle's smoke test).
const BUNDLE_OPTIONS = JSON.parse(readFileSync(join(root, 'build-tools', 'lambda-bundle-options.json'), 'utf8'));
const sourceDir = join(root, 'lambda-src');
const assetsDir = join(root, 'assets');

// Lambda gives a function its role's credentials in environment variables, so the Node credential chain's other
// providers (SSO, ini files, processes, web identity, IMDS, and the STS / SSO clients they bring: a third of the
// bundle) never run there. lambda-handler-alias.json gives the handlers' SDK clients an environment-only provider
// instead; the benchmark's baselines keep the SDK's chain, as a hand-written handler bundled with the shared options.
const HANDLER_ALIAS = JSON.parse(readFileSync(join(root, 'build-tools', 'lambda-handler-alias.json'), 'utf8'));

const handlers = readdirSync(sourceDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(sourceDir, entry.name, 'index.ts')))
  .map((entry) => entry.name);

rmSync(assetsDir, { recursive: true, force: true });
await Promise.all(handlers.map((name) => build({
  ...BUNDLE_OPTIONS,
  alias: HANDLER_ALIAS,
  absWorkingDir: root,
  entryPoints: [join(sourceDir, name, 'index.ts')],
  outfile: join(assetsDir, name, 'index.js'),
})));
console.log(`bundled ${handlers.length} handler(s) into assets/: ${handlers.join(', ')}`);

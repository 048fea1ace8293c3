// Bundles each Lambda handler in lambda-src/<name>/index.ts into assets/<name>/index.js.
// The bundles ship inside the npm package, so consumers in any jsii language never need a Node bundler.
import { readdirSync, readFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Shared with the benchmark's baselines (bench/bundle.ts), so comparisons are of code, not of bundling (the second
// pass below changes only the minified names):
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

// Two passes: bundle, then minify the bundle. esbuild picks short names by the character frequencies of its input,
// which in one pass include import paths and TypeScript types; minifying the bundled JavaScript makes the asset (and
// so its hash, the function's code and version in every template) depend on the code alone, not on how src/ is laid out.
async function bundleHandler(name) {
  const outfile = join(assetsDir, name, 'index.js');
  const bundled = await build({
    ...BUNDLE_OPTIONS,
    minify: false,
    legalComments: 'eof',
    write: false,
    alias: HANDLER_ALIAS,
    absWorkingDir: root,
    entryPoints: [join(sourceDir, name, 'index.ts')],
    outfile,
  });
  const minified = await transform(bundled.outputFiles[0].text, {
    minify: true,
    format: BUNDLE_OPTIONS.format,
    platform: BUNDLE_OPTIONS.platform,
    target: BUNDLE_OPTIONS.target,
    supported: BUNDLE_OPTIONS.supported,
    legalComments: BUNDLE_OPTIONS.legalComments,
    logLevel: BUNDLE_OPTIONS.logLevel,
  });
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, minified.code);
  if (minified.legalComments) writeFileSync(`${outfile}.LEGAL.txt`, minified.legalComments);
}

rmSync(assetsDir, { recursive: true, force: true });
await Promise.all(handlers.map(bundleHandler));
console.log(`bundled ${handlers.length} handler(s) into assets/: ${handlers.join(', ')}`);

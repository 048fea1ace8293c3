import { join } from 'node:path';
import { build } from 'esbuild';

/** The bench's baseline handlers, bundled exactly like build-tools/bundle-lambdas.mjs bundles lambda-src/. */
export const BASELINES = ['empty', 'sdk', 'powertools'] as const;
export type Baseline = (typeof BASELINES)[number];

/** Bundles each baseline into `<outDir>/<name>/index.js` and returns the paths. */
export async function bundleBaselines(outDir: string): Promise<Record<Baseline, string>> {
  const entries = await Promise.all(BASELINES.map(async (name) => {
    const outfile = join(outDir, name, 'index.js');
    // Same options as build-tools/bundle-lambdas.mjs, so the comparison is of code, not of bundling.
    await build({
      entryPoints: [join(__dirname, 'baselines', `${name}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      mainFields: ['module', 'main'],
      supported: { 'dynamic-import': false },
      minify: true,
      legalComments: 'external',
      logLevel: 'warning',
    });
    return [name, outfile] as const;
  }));
  return Object.fromEntries(entries) as Record<Baseline, string>;
}

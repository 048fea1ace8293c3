import { join } from 'node:path';
import { build, BuildOptions } from 'esbuild';
import BUNDLE_OPTIONS from '../build-tools/lambda-bundle-options.json';

/** The bench's baseline handlers, bundled exactly like build-tools/bundle-lambdas.mjs bundles lambda-src/. */
export const BASELINES = ['empty', 'sdk', 'powertools', 'aws-lite'] as const;
export type Baseline = (typeof BASELINES)[number];

/** Bundles each baseline into `<outDir>/<name>/index.js` and returns the paths. */
export async function bundleBaselines(outDir: string): Promise<Record<Baseline, string>> {
  const entries = await Promise.all(BASELINES.map(async (name) => {
    const outfile = join(outDir, name, 'index.js');
    await build({
      ...(BUNDLE_OPTIONS as BuildOptions),
      entryPoints: [join(__dirname, 'baselines', `${name}.ts`)],
      outfile,
    });
    return [name, outfile] as const;
  }));
  return Object.fromEntries(entries) as Record<Baseline, string>;
}

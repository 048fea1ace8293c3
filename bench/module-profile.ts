import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

/**
 * Where the items handler's module init goes, per package: esbuild's metafile gives the bytes each package adds to
 * the bundle, V8 CPU profiles of fresh `require()`s (mapped back through a source map) give the time each package's
 * code runs. Compiling the bundle and loading Node's built-in modules have no package of their own: they are reported
 * as the Node frames that do them.
 */
export interface ModuleCost {
  readonly name: string;
  readonly bytes: number;
  /** Mean CPU time sampled in the package's own code per init (ms). */
  readonly selfMs: number;
}

export interface ModuleProfile {
  readonly samples: number;
  readonly sampledMs: number;
  readonly packages: ModuleCost[];
  /** Work of Node itself during init: compiling the bundle, loading built-ins, resolving, garbage collection. */
  readonly runtime: { readonly name: string; readonly selfMs: number }[];
}

export interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  /** Samples per source line (1-based) of the function. */
  positionTicks?: { line: number; ticks: number }[];
}
export interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** The package a bundled source file belongs to (`lambda-src/<dir>` for the project's own code). */
export function packageOf(source: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (inModules) return inModules[1];
  const own = /(lambda-src\/[^/]+|src\/[^/]+)/.exec(source);
  return own ? own[1] : source;
}

/** What a Node-internal frame does during module init, by the functions that dominate it. */
function runtimeWork(frame: ProfileNode['callFrame']): string {
  const fn = frame.functionName;
  if (fn === 'wrapSafe' || fn === 'compileFunction' || fn === 'compileFunctionForCJSLoader') return 'compile the bundle (V8 parse + bytecode)';
  if (fn === 'compileForInternalLoader' || fn === 'requireBuiltin' || frame.url.startsWith('node:')) return 'load Node built-in modules';
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(program)' || fn === '(idle)') return 'V8 / native, not attributed';
  return 'Node module loader and other';
}

/**
 * Self time per node id of a profile, in microseconds. A sample's delta is the time since the previous one; the
 * first sample's runs from the profiler's own start-up, so it is left out, like samples inside the inspector calls.
 */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const inspector = new Set(profile.nodes.filter((n) => n.callFrame.url === 'node:inspector' || n.callFrame.url.endsWith('profile-init.ts')).map((n) => n.id));
  const times = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (i === 0 || inspector.has(id)) return;
    times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return times;
}

/**
 * Bundles `entry` like the asset (plus a source map and metafile), profiles `samples` fresh inits with
 * `runInit(bundle, profileFile)` (a CPU profile of one init written to profileFile), and returns the per-package breakdown, largest time first.
 */
export async function profileModuleInit(
  entry: string,
  options: BuildOptions,
  workDir: string,
  samples: number,
  runInit: (bundle: string, profileFile: string) => Promise<void>,
): Promise<ModuleProfile> {
  const bundle = join(workDir, 'profiled', 'index.js');
  // One statement per line (identifiers and syntax still minified), so line-level samples map to one source file.
  const result = await build({ ...options, entryPoints: [entry], outfile: bundle, sourcemap: 'external', metafile: true, minifyWhitespace: false });
  const bytes = new Map<string, number>();
  for (const output of Object.values(result.metafile!.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) bytes.set(packageOf(file), (bytes.get(packageOf(file)) ?? 0) + input.bytesInOutput);
  }
  const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
  const profileDir = join(workDir, 'profiles');
  mkdirSync(profileDir, { recursive: true });
  for (let i = 0; i < samples; i++) await runInit(bundle, join(profileDir, `${i}.cpuprofile`));

  const packageUs = new Map<string, number>();
  const runtimeUs = new Map<string, number>();
  let totalUs = 0;
  const bundleUrl = `file://${bundle}`;
  const profiles = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of profiles) {
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
    const times = selfTimes(profile);
    for (const node of profile.nodes) {
      const us = times.get(node.id);
      if (!us) continue;
      totalUs += us;
      const frame = node.callFrame;
      if (frame.url === bundleUrl) {
        // Split the node's time over the lines its samples fell on; a line maps to the source its code came from.
        const ticks = node.positionTicks?.length ? node.positionTicks : [{ line: frame.lineNumber + 1, ticks: 1 }];
        const tickSum = ticks.reduce((sum, t) => sum + t.ticks, 0);
        for (const { line, ticks: count } of ticks) {
          const source = map.findEntry(line - 1, line - 1 === frame.lineNumber ? frame.columnNumber : 0);
          const name = 'originalSource' in source ? packageOf(source.originalSource) : 'module bodies compiled on first call (esbuild wrappers)';
          packageUs.set(name, (packageUs.get(name) ?? 0) + (us * count) / tickSum);
        }
      } else {
        const name = runtimeWork(frame);
        runtimeUs.set(name, (runtimeUs.get(name) ?? 0) + us);
      }
    }
  }
  rmSync(profileDir, { recursive: true, force: true });
  const perInit = (us: number) => us / 1000 / Math.max(1, profiles.length);
  const names = new Set([...bytes.keys(), ...packageUs.keys()]);
  return {
    samples: profiles.length,
    sampledMs: perInit(totalUs),
    packages: [...names]
      .map((name) => ({ name, bytes: bytes.get(name) ?? 0, selfMs: perInit(packageUs.get(name) ?? 0) }))
      .sort((a, b) => b.selfMs - a.selfMs || b.bytes - a.bytes),
    runtime: [...runtimeUs].map(([name, us]) => ({ name, selfMs: perInit(us) })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

import { readFileSync } from 'node:fs';
import type { CpuProfile } from './module-profile';

/**
 * Where a synthesis process spends its time, from V8 CPU profiles of whole runs (bench/children/synth.ts with a
 * profile file): the phases, the constructs that cost most while constructing, the steps of `app.synth()`, and
 * cross-cutting costs (token resolution, hash-derived logical ids, acknowledgements, asset staging, garbage collection). Every part
 * also says how much of it was module loading (aws-cdk-lib loads its submodules on first use, so that cost lands in
 * whichever construct touches a submodule first).
 */
export interface SynthesisPart {
  readonly group: 'phase' | 'construct' | 'synth step' | 'across phases';
  readonly name: string;
  /** Sampled milliseconds per run (the profiler slows the run: compare shares, not absolute times). */
  readonly ms: number;
  /** Of `ms`, the part spent loading modules (resolving, compiling and running their top level). */
  readonly loadingMs: number;
}

export interface SynthesisProfile {
  readonly runs: number;
  readonly sampledMs: number;
  readonly parts: SynthesisPart[];
}

type Frame = CpuProfile['nodes'][number]['callFrame'];

const isSynthesize = (f: Frame) => f.functionName === 'synthesize' && f.url.endsWith('core/lib/private/synthesis.js');
const isModuleLoading = (f: Frame) => f.url === 'node:internal/modules/cjs/loader';

/** The step of `app.synth()` a stack is in, by the first aws-cdk-lib synthesis function on it (outermost first). */
function synthStep(frames: readonly Frame[]): string {
  for (const f of frames) {
    if (f.functionName === 'invokeAspects' || f.functionName === 'invokeAspectsV2') return 'aspects';
    if (f.functionName === 'prepareApp') return 'prepare: find references (resolves every resource)';
    if (f.functionName === 'validateTree') return 'validation';
    if (f.url.endsWith('core/lib/private/tree-metadata.js')) return 'tree metadata (resolves every resource again)';
    if (f.functionName === '_toCloudFormation' && f.url.endsWith('core/lib/stack.js')) return 'templates (resolve every resource again)';
  }
  return 'cloud assembly files and other';
}

/** Costs that cut across phases, each matched by a frame anywhere on the stack. */
const ACROSS: { name: string; matches: (f: Frame) => boolean }[] = [
  { name: 'token resolution', matches: (f) => f.functionName === 'resolve' && f.url.endsWith('core/lib/private/resolve.js') },
  {
    name: 'hash-derived logical ids (API deployment, Lambda version)',
    matches: (f) => (f.functionName === 'calculateLogicalId' && f.url.endsWith('aws-apigateway/lib/deployment.js')) || f.functionName === 'calculateFunctionHash',
  },
  { name: 'acknowledgements (Validations.acknowledge)', matches: (f) => f.functionName === 'acknowledge' && f.url.endsWith('core/lib/validation/validations.js') },
  { name: 'asset staging (fingerprint and copy)', matches: (f) => f.url.endsWith('core/lib/asset-staging.js') && /^AssetStaging/.test(f.functionName) },
  { name: 'module loading', matches: isModuleLoading },
  { name: 'garbage collection', matches: (f) => f.functionName === '(garbage collector)' },
];

/**
 * Attributes the samples of `profileFiles`. `roots` name the top-level constructors of the variant (their frames mark
 * construction); `libraryDir` is the compiled library, whose first class below a root names the construct part.
 */
export function analyseSynthesisProfiles(profileFiles: readonly string[], roots: readonly string[], libraryDir: string): SynthesisProfile {
  const parts = new Map<string, { group: SynthesisPart['group']; name: string; us: number; loadingUs: number }>();
  const add = (group: SynthesisPart['group'], name: string, us: number, loading: boolean) => {
    const key = `${group}\u0000${name}`;
    const part = parts.get(key) ?? { group, name, us: 0, loadingUs: 0 };
    part.us += us;
    if (loading) part.loadingUs += us;
    parts.set(key, part);
  };
  let totalUs = 0;
  for (const file of profileFiles) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parentOf = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      if (i === 0 || us <= 0) return;
      const frames: Frame[] = [];
      for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) frames.push(byId.get(cur)!.callFrame);
      frames.reverse();
      if (frames.some((f) => f.url === 'node:inspector' || f.url === 'node:inspector/promises')) return;
      totalUs += us;
      const loading = frames.some(isModuleLoading);
      const rootIndex = frames.findIndex((f) => roots.includes(f.functionName));
      if (frames.some(isSynthesize)) {
        add('phase', 'synthesis: app.synth()', us, loading);
        add('synth step', synthStep(frames), us, loading);
      } else if (rootIndex >= 0) {
        add('phase', 'construction', us, loading);
        const inner = frames.slice(rootIndex + 1).find((f) => f.url.includes(libraryDir) && /^[A-Z]/.test(f.functionName));
        add('construct', inner ? inner.functionName : `${frames[rootIndex].functionName} (its own wiring)`, us, loading);
      } else {
        add('phase', 'load libraries, App and Stack', us, loading);
      }
      for (const across of ACROSS) if (frames.some(across.matches)) add('across phases', across.name, us, loading);
    });
  }
  const perRun = (us: number) => us / 1000 / Math.max(1, profileFiles.length);
  const order: SynthesisPart['group'][] = ['phase', 'construct', 'synth step', 'across phases'];
  return {
    runs: profileFiles.length,
    sampledMs: perRun(totalUs),
    parts: [...parts.values()]
      .map((p) => ({ group: p.group, name: p.name, ms: perRun(p.us), loadingMs: perRun(p.loadingUs) }))
      .sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group) || b.ms - a.ms),
  };
}

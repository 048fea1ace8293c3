import { join } from 'node:path';
import { runChild } from './processes';
import { formatNumber, markdownTable, pairedRatio, rotate, summarize, type Summary } from './stats';
import { analyseSynthesisProfiles, type SynthesisPart, type SynthesisProfile } from './synth-profile';

/**
 * Synthesis in fresh processes (bench/children/synth.ts): the PROD and DEV service against the Solutions Constructs
 * composition and bare L2s, apps of many services, and profiled runs attributed by part; and their report sections.
 */
const ROOT = join(__dirname, '..');

export interface SynthSummary {
  readonly total: Summary;
  readonly constructPlusSynth: Summary;
  readonly construct: Summary;
  readonly synth: Summary;
  readonly load: Summary;
  readonly resources: number;
  /** Median of per-round ratios of `total` to the Solutions Constructs composition's. */
  readonly totalPairedVsSolutions?: number;
  /** The same per resource: median of per-round ratios of total ms per resource to the composition's. */
  readonly perResourcePairedVsSolutions?: number;
}

export interface SynthSample { readonly loadMs: number; readonly constructMs: number; readonly synthMs: number; readonly resources: number }

/** One synthesis in a fresh process (bench/children/synth.ts), without Node's warnings in its output. */
async function runSynthChild(args: string[], childTimeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<SynthSample> {
  return (await runChild<SynthSample>('synth.ts', args, { PATH: process.env.PATH, NODE_NO_WARNINGS: '1', ...env }, childTimeoutMs)).result;
}

const totalMs = (s: SynthSample) => s.loadMs + s.constructMs + s.synthMs;

/** Summaries of each variant's samples, paired round by round with the samples of `solutions`. */
export function summarizeSynthesis<K extends string>(samples: Record<K, SynthSample[]>, solutions: SynthSample[]): Record<K, SynthSummary> {
  const perResource = (x: SynthSample) => totalMs(x) / x.resources;
  return Object.fromEntries(Object.entries<SynthSample[]>(samples).map(([variant, s]) => {
    return [variant, {
      totalPairedVsSolutions: pairedRatio(s.map(totalMs), solutions.map(totalMs)),
      perResourcePairedVsSolutions: pairedRatio(s.map(perResource), solutions.map(perResource)),
      // aws-cdk-lib loads its submodules lazily, on first use: some libraries pay that in their imports, others while
      // constructing, so only the sum of the three phases compares like with like.
      total: summarize(s.map(totalMs)),
      constructPlusSynth: summarize(s.map((x) => x.constructMs + x.synthMs)),
      construct: summarize(s.map((x) => x.constructMs)),
      synth: summarize(s.map((x) => x.synthMs)),
      load: summarize(s.map((x) => x.loadMs)),
      resources: s[0].resources,
    }];
  })) as Record<K, SynthSummary>;
}

/** Fresh-process syntheses of each variant, rotated round by round. */
async function synthesisRounds<K extends string>(variants: readonly K[], rounds: number, run: (variant: K) => Promise<SynthSample>) {
  const samples = Object.fromEntries(variants.map((v) => [v, [] as SynthSample[]])) as Record<K, SynthSample[]>;
  for (let round = 0; round < rounds; round++) {
    for (const variant of rotate(variants, round)) samples[variant].push(await run(variant));
  }
  return samples;
}

export async function synthesis(rounds: number, childTimeoutMs: number) {
  const variants = ['service', 'service-dev', 'solutions', 'bare-l2'] as const;
  const samples = await synthesisRounds(variants, rounds, (v) => runSynthChild([v], childTimeoutMs));
  return summarizeSynthesis(samples, samples.solutions);
}

/**
 * The PROD service and the Solutions composition on another aws-cdk-lib (bench/newest-cdk.ts), each with aws-cdk-lib's
 * own template validation (2.262 and later validate every template at synthesis) and without it (`CDK_VALIDATION=false`).
 */
export async function synthesisOnCdk(cdkRoot: string, rounds: number, childTimeoutMs: number) {
  const variants = ['service', 'solutions', 'service-no-validation', 'solutions-no-validation'] as const;
  const samples = await synthesisRounds(variants, rounds, (v) => runSynthChild(
    [v.replace('-no-validation', '')], childTimeoutMs, { BENCH_CDK_ROOT: cdkRoot, ...(v.endsWith('-no-validation') ? { CDK_VALIDATION: 'false' } : {}) },
  ));
  const validated = summarizeSynthesis({ service: samples.service, solutions: samples.solutions }, samples.solutions);
  const unvalidated = summarizeSynthesis({
    'service-no-validation': samples['service-no-validation'],
    'solutions-no-validation': samples['solutions-no-validation'],
  }, samples['solutions-no-validation']);
  return { ...validated, ...unvalidated };
}

/** The top-level constructors of each profiled synthesis variant. */
const PROFILED_SYNTH_ROOTS = {
  service: ['ServerlessService'],
  solutions: ['ApiGatewayToLambda', 'LambdaToDynamoDB', 'LambdaToSecretsmanager'],
} as const;

/** Profiled synthesis processes of the PROD service and the Solutions composition, alternated, attributed by part. */
export async function synthesisProfiles(rounds: number, workDir: string, childTimeoutMs: number): Promise<SynthesisProfiles> {
  const variants = Object.keys(PROFILED_SYNTH_ROOTS) as (keyof typeof PROFILED_SYNTH_ROOTS)[];
  const files = Object.fromEntries(variants.map((v) => [v, [] as string[]])) as Record<(typeof variants)[number], string[]>;
  for (let round = 0; round < rounds; round++) {
    for (const variant of rotate(variants, round)) {
      const file = join(workDir, `synth-${variant}-${round}.cpuprofile`);
      await runSynthChild([variant, file], childTimeoutMs);
      files[variant].push(file);
    }
  }
  return Object.fromEntries(variants.map((v) => [v, analyseSynthesisProfiles(files[v], PROFILED_SYNTH_ROOTS[v], join(ROOT, 'lib'))])) as Record<(typeof variants)[number], SynthesisProfile>;
}

/** Apps of 1, 5 and 20 prod services (one stack each): how synthesis grows with the resource count. */
export const SCALE_SERVICES = [1, 5, 20] as const;

export async function synthesisScale(rounds: number, childTimeoutMs: number) {
  const samples = new Map<number, SynthSample[]>(SCALE_SERVICES.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (const n of rotate(SCALE_SERVICES, round)) {
      samples.get(n)!.push(await runSynthChild([`services:${n}`], childTimeoutMs));
    }
  }
  return SCALE_SERVICES.map((services) => {
    const s = samples.get(services)!;
    const construct = summarize(s.map((x) => x.constructMs));
    return { services, resources: s[0].resources, total: summarize(s.map(totalMs)), construct, synth: summarize(s.map((x) => x.synthMs)) };
  });
}

/** Profiles of the PROD service and the Solutions composition. */
export type SynthesisProfiles = Record<keyof typeof PROFILED_SYNTH_ROOTS, SynthesisProfile>;

/** The report's synthesis sections: totals per variant, the scale table and where synthesis goes. */
export function synthesisSections(
  summaries: Record<string, SynthSummary>,
  onNewest: NewestCdkSynthesis,
  scale: Awaited<ReturnType<typeof synthesisScale>>,
  profiles: SynthesisProfiles,
  config: { readonly synthSamples: number; readonly scaleSamples: number },
): string {
  const f = formatNumber;
  return [
    `## Synthesis (fresh process per sample, ${config.synthSamples} samples each)`,
    '',
    'aws-cdk-lib loads its submodules on first use, so a library that imports many of them pays in `load` what another pays ' +
    'in `construct`: the `total` column compares like with like. The Solutions Constructs are the newest versions whose ' +
    'aws-cdk-lib peer range accepts 2.257.0 (apigateway-lambda and lambda-dynamodb 2.94.0, lambda-secretsmanager 2.92.1, ' +
    'the only version the registry offers); each pins its own `@aws-solutions-constructs/core`, so two copies load ' +
    '(about 50 ms of their `library load` on an idle machine).',
    '',
    synthesisTable(summaries),
    '',
    `### On aws-cdk-lib ${onNewest.version}, the newest the registry serves (${config.synthSamples} samples each)`,
    '',
    'The same stacks on the newest aws-cdk-lib, installed with the packed library into a scratch folder as a user ' +
    'installs them. From 2.262 on, aws-cdk-lib validates every template at synthesis; `CDK_VALIDATION=false` turns that ' +
    'off, and the difference is aws-cdk-lib\'s own validation, which every user of that version pays whatever the library.',
    '',
    synthesisTable(onNewest.summaries),
    '',
    markdownTable(['aws-cdk-lib\'s own template validation', 'ms per synthesis', 'ms per resource'], (['service', 'solutions'] as const).map((stack) => {
      const cost = onNewest.summaries[stack].total.median - onNewest.summaries[`${stack}-no-validation`].total.median;
      return [SYNTH_LABEL[stack], f(cost), f(cost / onNewest.summaries[stack].resources)];
    })),
    '',
    `### Apps of 1, 5 and 20 PROD services (one stack each, ${config.scaleSamples} fresh processes each)`,
    '',
    markdownTable(['services', 'resources', 'total', 'construct', 'synth', 'total ms per resource'], scale.map((p) => [
      String(p.services), String(p.resources), f(p.total.median), f(p.construct.median), f(p.synth.median), f(p.total.median / p.resources),
    ])),
    '',
    synthesisProfileSection(profiles),
  ].join('\n');
}

/** Totals per stack, paired with the Solutions composition's (as a whole and per resource). */
function synthesisTable(summaries: Record<string, SynthSummary>): string {
  const f = formatNumber;
  const paired = (value: number | undefined) => (value === undefined ? 'n/a' : `${f(value)}x`);
  return markdownTable(
    ['stack', 'total', 'paired vs Solutions', 'library load', 'construct', 'synth', 'construct + synth', 'resources', 'total ms per resource', 'per resource, paired vs Solutions'],
    Object.entries(summaries).map(([name, s]) => [
      SYNTH_LABEL[name] ?? name, f(s.total.median), paired(s.totalPairedVsSolutions), f(s.load.median), f(s.construct.median), f(s.synth.median),
      f(s.constructPlusSynth.median), String(s.resources), f(s.total.median / s.resources), paired(s.perResourcePairedVsSolutions),
    ]),
  );
}

/** The profiled synthesis parts side by side: ServerlessService and the Solutions composition. */
function synthesisProfileSection(profiles: SynthesisProfiles): string {
  const { service, solutions } = profiles;
  const key = (p: SynthesisPart) => `${p.group}\u0000${p.name}`;
  const theirs = new Map(solutions.parts.map((p) => [key(p), p]));
  const groups: SynthesisPart['group'][] = ['phase', 'construct', 'synth step', 'across phases'];
  const parts = [...service.parts, ...solutions.parts.filter((p) => !service.parts.some((q) => key(q) === key(p)))]
    .sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group));
  const rows = parts.map((part) => {
    const ours = service.parts.find((p) => key(p) === key(part));
    const other = theirs.get(key(part));
    return [part.group, part.name, ours ? formatNumber(ours.ms, 1) : '-', ours ? formatNumber(ours.loadingMs, 1) : '-', other ? formatNumber(other.ms, 1) : '-', other ? formatNumber(other.loadingMs, 1) : '-'];
  });
  return [
    `### Where synthesis goes (${service.runs} profiled processes each; ${formatNumber(service.sampledMs, 0)} and ${formatNumber(solutions.sampledMs, 0)} ms sampled per run)`,
    '',
    'V8 CPU profiles (100 µs sampling) of whole synthesis processes, attributed by the frames on each sampled stack: the ' +
    'phase, then the first class of the library below the top-level construct, then the step of `app.synth()`, and costs ' +
    'that cut across phases (a sample counts once per row it matches). The profiler slows the run down: read shares, not ' +
    'absolute times. `loading` is the part spent resolving, compiling and running modules.',
    '',
    markdownTable(['group', 'part', 'ServerlessService ms', 'of it loading', 'Solutions ms', 'of it loading'], rows),
  ].join('\n');
}

/** Synthesis on another aws-cdk-lib than the pinned one (see synthesisOnCdk). */
export interface NewestCdkSynthesis {
  readonly version: string;
  readonly summaries: Awaited<ReturnType<typeof synthesisOnCdk>>;
}

const SYNTH_LABEL: Record<string, string> = {
  'service': 'ServerlessService (DeploymentStage.PROD)',
  'service-no-validation': 'ServerlessService (DeploymentStage.PROD), CDK_VALIDATION=false',
  'solutions-no-validation': 'Solutions Constructs composition, CDK_VALIDATION=false',
  'service-dev': 'ServerlessService (DeploymentStage.DEV), for scale',
  'solutions': 'Solutions Constructs: ApiGatewayToLambda + LambdaToDynamoDB + LambdaToSecretsmanager',
  'bare-l2': 'bare L2: RestApi + Function + Table + Secret (defaults)',
};

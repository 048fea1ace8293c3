import type { LocalAppRow } from './local-apps';
import type { LocalModeResult } from './local-mode';
import type { ModuleProfile } from './module-profile';
import { routeCostSection, type RouteCosts } from './route-cost';
import { formatNumber, goalTable, markdownTable, ratio, type GoalVerdict, type Summary } from './stats';
import { synthesisSections, type NewestCdkSynthesis, type SynthesisProfiles, type synthesisScale, type SynthSummary } from './synthesis';

/** The results of `npm run bench` (bench/results/latest.json) and the markdown report made of them (latest.md). */

export type Variant = 'items' | 'empty' | 'sdk' | 'powertools' | 'aws-lite';
export const VARIANT_LABEL: Record<Variant, string> = {
  'items': 'cdk-secure-serverless items handler',
  'empty': 'empty handler',
  'sdk': 'plain AWS SDK v3 (DynamoDB doc client + Secrets Manager)',
  'powertools': 'Powertools (Logger, Tracer, Metrics, SecretsProvider) + DynamoDB doc client',
  'aws-lite': 'aws-lite (`@aws-lite/client` + `@aws-lite/dynamodb`): id check, GetItem, secret on first use',
};

export interface ColdSummary {
  readonly init: Summary;
  readonly initPlusFirstRequest: Summary;
  readonly processWall: Summary;
  /** Median of per-round ratios to the plain SDK baseline (see pairedRatio). */
  readonly initPairedVsSdk?: number;
  readonly initPairedVsPowertools?: number;
  readonly initPlusFirstRequestPairedVsSdk?: number;
  /** Median of per-round ratios to the aws-lite baseline. */
  readonly initPairedVsAwsLite?: number;
  readonly initPlusFirstRequestPairedVsAwsLite?: number;
}
/** The sample counts the report names (see CONFIG in bench/run.ts). */
export interface ReportedConfig {
  readonly coldSamples: number;
  readonly firstRequestSamples: number;
  readonly rssRounds: number;
  readonly warmRequests: number;
  readonly warmRounds: number;
  readonly warmup: number;
  readonly synthSamples: number;
  readonly scaleSamples: number;
  readonly localStarts: number;
  readonly localAppStarts: number;
  readonly localReloads: number;
  readonly costItems: number;
}

export type Results = {
  generatedAt: string;
  commit: string;
  node: string;
  cpu: string;
  config: ReportedConfig;
  durationSeconds: number;
  coldStart: Record<Variant, ColdSummary>;
  firstRequest: Partial<Record<Variant, ColdSummary>>;
  warm: {
    handler: Summary;
    rawGetCommand: Summary;
    p50Paired?: number;
    p99Paired?: number;
    /** The aws-lite baseline in processes of its own, each paired with the raw GetCommand of its process. */
    awsLite: Summary;
    awsLiteP50Paired?: number;
    awsLiteP99Paired?: number;
  };
  peakRss: Partial<Record<Variant, { peakRssMb: number; maxRssMb: number; peakPairedVsSdk?: number }>>;
  synthesisScale: Awaited<ReturnType<typeof synthesisScale>>;
  synthesisProfile: SynthesisProfiles;
  moduleInit: ModuleProfile;
  localMode: LocalModeResult;
  localModeApps: LocalAppRow[];
  loadAverage: number[];
  assetSize: Record<Variant, { rawKb: number; gzipKb: number }>;
  synthesis: Record<string, SynthSummary>;
  synthesisOnNewestCdk: NewestCdkSynthesis;
  dynamodbCost: { perRoute: RouteCosts };
  goals: GoalVerdict[];
};

export function renderReport(r: Results): string {
  const f = formatNumber;
  const variants = Object.keys(r.coldStart) as Variant[];
  const paired = (value: number | undefined) => (value === undefined ? 'n/a' : `${f(value)}x`);
  const vsSdk = (value: number, baseline: number | undefined) => (baseline === undefined ? 'n/a' : `${f(ratio(value, baseline))}x`);
  const sections = [
    '# Benchmark results',
    '',
    `Generated ${r.generatedAt} by \`npm run bench\` at commit ${r.commit}, Node ${r.node}, ${r.cpu}, in ${r.durationSeconds} s, ` +
    `load average at the end ${r.loadAverage.map((l) => f(l, 1)).join(' ')}. ` +
    'Times in ms (median unless marked); every baseline is measured in the same run, variants alternated round by round. ' +
    'Verdicts use the paired ratio where there is one (the median of per-round ratios, which tolerates load).',
    '',
    '## Goals',
    '',
    '![goals and synthesis scaling](chart.svg)',
    '',
    goalTable(r.goals),
    '',
    `## Cold start: module initialisation (fresh process per sample, ${r.config.coldSamples} samples each)`,
    '',
    '`init` is `require()` of the bundled handler timed inside the child; `process` is spawn-to-exit wall time seen by the parent. ' +
    '`paired` is the median of per-round ratios (the variants of a round run back to back and share the machine\'s load), ' +
    'steadier than the ratio of medians on a busy machine.',
    '',
    markdownTable(['handler', 'init median', 'init p90', 'vs plain SDK', 'paired', 'paired vs aws-lite', 'process median', 'bundle KB', 'gzip KB'], variants.map((v) => [
      VARIANT_LABEL[v], f(r.coldStart[v].init.median), f(r.coldStart[v].init.p90), vsSdk(r.coldStart[v].init.median, r.coldStart.sdk.init.median),
      paired(r.coldStart[v].initPairedVsSdk), paired(r.coldStart[v].initPairedVsAwsLite), f(r.coldStart[v].processWall.median),
      f(r.assetSize[v].rawKb, 1), f(r.assetSize[v].gzipKb, 1),
    ])),
    '',
    `## Where module init goes (items handler, ${r.moduleInit.samples} profiled inits, ${f(r.moduleInit.sampledMs)} ms sampled per init)`,
    '',
    'Bytes from esbuild\'s metafile of the handler bundled as the asset is; time from V8 CPU profiles (50 µs sampling) of ' +
    'fresh `require()`s, mapped to packages through a source map. The profiler slows init down, so the times are shares, ' +
    'not the init figure above. Compiling the bundle and loading Node\'s built-ins belong to no package.',
    '',
    markdownTable(['Node runtime work', 'ms per init'], r.moduleInit.runtime.map((w) => [w.name, f(w.selfMs)])),
    '',
    markdownTable(['package', 'bundle KB', 'ms per init (own code)'], r.moduleInit.packages.filter((m) => m.bytes > 0 || m.selfMs >= 0.05).map((m) => [
      m.name, f(m.bytes / 1024, 1), f(m.selfMs),
    ])),
    '',
    `## First request: init + first \`GET /items/{id}\` against moto (${r.config.firstRequestSamples} fresh processes each)`,
    '',
    markdownTable(['handler', 'median', 'p90', 'vs plain SDK', 'paired', 'paired vs aws-lite', `peak RSS MB (warm loop, median of ${r.config.rssRounds})`, 'RSS paired vs plain SDK'],
      (Object.keys(r.firstRequest) as Variant[]).map((v) => [
        VARIANT_LABEL[v], f(r.firstRequest[v]!.initPlusFirstRequest.median), f(r.firstRequest[v]!.initPlusFirstRequest.p90),
        vsSdk(r.firstRequest[v]!.initPlusFirstRequest.median, r.firstRequest.sdk?.initPlusFirstRequest.median),
        paired(r.firstRequest[v]!.initPlusFirstRequestPairedVsSdk), paired(r.firstRequest[v]!.initPlusFirstRequestPairedVsAwsLite),
        f(r.peakRss[v]?.peakRssMb, 1), paired(r.peakRss[v]?.peakPairedVsSdk),
      ])),
    '',
    `## Warm \`GET /items/{id}\` (${r.config.warmRounds} processes of ${r.config.warmRequests} requests after ${r.config.warmup} warm-up, interleaved, same moto server)`,
    '',
    'The handler validates the request, reads with the same strongly consistent GetItem, logs one JSON line and one EMF ' +
    'metrics document per request (to stdout, as on Lambda); X-Ray subsegments are not sent (no sampled trace header).',
    '',
    markdownTable(['call', 'p50', 'p90', 'p99'], [
      ['items handler (API Gateway event in, response out)', f(r.warm.handler.median, 3), f(r.warm.handler.p90, 3), f(r.warm.handler.p99, 3)],
      ['raw `GetCommand` (document client)', f(r.warm.rawGetCommand.median, 3), f(r.warm.rawGetCommand.p90, 3), f(r.warm.rawGetCommand.p99, 3)],
      ['difference (handler overhead)', f(r.warm.handler.median - r.warm.rawGetCommand.median, 3),
        f(r.warm.handler.p90 - r.warm.rawGetCommand.p90, 3), f(r.warm.handler.p99 - r.warm.rawGetCommand.p99, 3)],
      ['ratio', `${f(ratio(r.warm.handler.median, r.warm.rawGetCommand.median))}x`, `${f(ratio(r.warm.handler.p90, r.warm.rawGetCommand.p90))}x`, `${f(ratio(r.warm.handler.p99, r.warm.rawGetCommand.p99))}x`],
      [`paired (median of the ${r.config.warmRounds} processes' ratios)`, paired(r.warm.p50Paired), '', paired(r.warm.p99Paired)],
      [`aws-lite baseline, same route (${r.config.warmRounds} processes of its own)`, f(r.warm.awsLite.median, 3), f(r.warm.awsLite.p90, 3), f(r.warm.awsLite.p99, 3)],
      ['aws-lite vs the raw `GetCommand` of its processes, paired', paired(r.warm.awsLiteP50Paired), '', paired(r.warm.awsLiteP99Paired)],
    ]),
    '',
    synthesisSections(r.synthesis, r.synthesisOnNewestCdk, r.synthesisScale, r.synthesisProfile, r.config),
    '',
    `## Local mode (\`cdk-secure-serverless local --no-auth\`, default app, warm checkout, ${r.config.localStarts} starts after one untimed)`,
    '',
    'First response: from spawning the command to the first HTTP answer of its gateway (synthesis of the example app, moto ' +
    'start, emulated resources, handler init). Then `GET /items/{id}` through the running local mode (HTTP, routing, ' +
    'request validation, event building) interleaved with a direct call of the same bundled handler in one process, against ' +
    'the same moto server.',
    '',
    markdownTable(['figure', 'p50', 'p90', 'p99'], [
      ['time to first response', f(r.localMode.firstResponse.median), f(r.localMode.firstResponse.p90), f(r.localMode.firstResponse.p99)],
      [`GET /items/{id} through local mode (${r.localMode.throughLocalMode.n})`, f(r.localMode.throughLocalMode.median, 3), f(r.localMode.throughLocalMode.p90, 3), f(r.localMode.throughLocalMode.p99, 3)],
      [`direct handler call (${r.localMode.directCall.n})`, f(r.localMode.directCall.median, 3), f(r.localMode.directCall.p90, 3), f(r.localMode.directCall.p99, 3)],
      ['local mode overhead', f(r.localMode.throughLocalMode.median - r.localMode.directCall.median, 3),
        f(r.localMode.throughLocalMode.p90 - r.localMode.directCall.p90, 3), f(r.localMode.throughLocalMode.p99 - r.localMode.directCall.p99, 3)],
    ]),
    '',
    `## Local mode with \`--watch\` on the apps users run (${r.config.localAppStarts} starts after one untimed, ${r.config.localReloads} reloads each)`,
    '',
    'First response: from spawning `local --watch --no-auth --app <app>` to the first HTTP answer. Reload: from saving the ' +
    'app\'s `app.ts` to the "Reloaded" line (debounce, synthesis with ts-node, handlers reloaded). Goals (issue 23): first ' +
    'response <= 3 s and reload <= 1.5 s on the newest aws-cdk-lib.',
    '',
    markdownTable(['app', 'aws-cdk-lib', 'first response p50 (ms)', 'p90', 'reload p50 (ms)', 'p90'], r.localModeApps.map((row) => [
      row.app, row.cdk, f(row.firstResponse.median), f(row.firstResponse.p90), f(row.reload.median), f(row.reload.p90),
    ])),
    '',
    routeCostSection(r.dynamodbCost.perRoute, r.config.costItems),
    '',
  ];
  return sections.join('\n');
}

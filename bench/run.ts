/**
 * `npm run bench`: the bundled items handler and ServerlessService measured against their baselines, in one run, on
 * Node 24. Writes bench/results/latest.json and latest.md. Sample counts come from the environment (see CONFIG):
 * BENCH_COLD_SAMPLES (>= 15), BENCH_FIRST_REQUEST_SAMPLES, BENCH_WARM_REQUESTS, BENCH_WARMUP, BENCH_RSS_REQUESTS,
 * BENCH_RSS_ROUNDS, BENCH_PROFILE_SAMPLES, BENCH_SYNTH_SAMPLES, BENCH_SYNTH_PROFILE_SAMPLES, BENCH_SCALE_SAMPLES, BENCH_LOCAL_STARTS,
 * BENCH_LOCAL_REQUESTS, BENCH_COST_ITEMS, BENCH_CHILD_TIMEOUT_MS and BENCH_MAX_SECONDS (the whole run's bound).
 * Also writes bench/results/chart.svg (goals against their limits, synthesis time against resource count).
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type BuildOptions } from 'esbuild';
import { bundleBaselines } from './bundle';
import { startCapacityProxy, type ObservedCall } from './capacity-proxy';
import { renderChart } from './chart';
import { readUnits, writeUnits, itemSize } from './dynamodb-cost';
import { measureLocalMode, type LocalModeResult } from './local-mode';
import { profileModuleInit, type ModuleProfile } from './module-profile';
import { killLiveChildren, runChild } from './processes';
import { decisiveRatio, formatNumber, goalTable, judge, markdownTable, pairedRatio, ratio, rotate, summarize, type GoalVerdict, type Summary } from './stats';
import { analyseSynthesisProfiles, type SynthesisPart, type SynthesisProfile } from './synth-profile';
import BUNDLE_OPTIONS from '../build-tools/lambda-bundle-options.json';
import HANDLER_ALIAS from '../build-tools/lambda-handler-alias.json';
import { startMotoServer, stopMotoServer, type MotoServer } from '../cli/moto-server';

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

const CONFIG = {
  coldSamples: envInt('BENCH_COLD_SAMPLES', 40, 15),
  firstRequestSamples: envInt('BENCH_FIRST_REQUEST_SAMPLES', 25, 1),
  warmRequests: envInt('BENCH_WARM_REQUESTS', 1000, 1),
  warmup: envInt('BENCH_WARMUP', 50, 0),
  rssRequests: envInt('BENCH_RSS_REQUESTS', 300, 1),
  rssRounds: envInt('BENCH_RSS_ROUNDS', 3, 1),
  profileSamples: envInt('BENCH_PROFILE_SAMPLES', 10, 1),
  synthSamples: envInt('BENCH_SYNTH_SAMPLES', 7, 1),
  synthProfileSamples: envInt('BENCH_SYNTH_PROFILE_SAMPLES', 3, 1),
  scaleSamples: envInt('BENCH_SCALE_SAMPLES', 3, 1),
  localStarts: envInt('BENCH_LOCAL_STARTS', 3, 1),
  localRequests: envInt('BENCH_LOCAL_REQUESTS', 300, 1),
  costItems: envInt('BENCH_COST_ITEMS', 20, 1),
  childTimeoutMs: envInt('BENCH_CHILD_TIMEOUT_MS', 120_000, 1000),
  /** The whole run is stopped (children and moto included) after this long. */
  maxSeconds: envInt('BENCH_MAX_SECONDS', 600, 10),
};

const ROOT = join(__dirname, '..');
const ITEMS_ASSET = join(ROOT, 'assets', 'items', 'index.js');
const ITEMS_SOURCE = join(ROOT, 'lambda-src', 'items', 'index.ts');
/** How build-tools/bundle-lambdas.mjs bundles the handlers (shared options plus the handlers' substitutions). */
const HANDLER_BUILD: BuildOptions = { ...(BUNDLE_OPTIONS as BuildOptions), alias: HANDLER_ALIAS, absWorkingDir: ROOT };
const TABLE = 'bench-items';
const ITEM_ID = 'bench-item';
/** A representative item body: a few fields and a short description (about 300 bytes stored). */
const ITEM_DATA = {
  name: 'Espresso machine',
  sku: 'EM-2041-BLK',
  price: 249.99,
  tags: ['kitchen', 'coffee', 'appliance'],
  description: 'Compact 15-bar pump espresso machine with a steam wand, a removable 1.2 litre tank and a stainless steel body.',
};

type Variant = 'items' | 'empty' | 'sdk' | 'powertools';
const VARIANT_LABEL: Record<Variant, string> = {
  items: 'cdk-secure-serverless items handler',
  empty: 'empty handler',
  sdk: 'plain AWS SDK v3 (DynamoDB doc client + Secrets Manager)',
  powertools: 'Powertools (Logger, Tracer, Metrics, SecretsProvider) + DynamoDB doc client',
};

interface ColdSample { readonly initMs: number; readonly firstRequestMs?: number; readonly status?: number }
interface WarmResult { readonly handlerMs: number[]; readonly rawMs: number[]; readonly peakRssBytes: number; readonly maxRssKb: number }
interface ColdSummary {
  readonly init: Summary;
  readonly initPlusFirstRequest: Summary;
  readonly processWall: Summary;
  /** Median of per-round ratios to the plain SDK baseline (see pairedRatio). */
  readonly initPairedVsSdk?: number;
  readonly initPairedVsPowertools?: number;
  readonly initPlusFirstRequestPairedVsSdk?: number;
}
interface SynthSummary {
  readonly total: Summary;
  readonly constructPlusSynth: Summary;
  readonly construct: Summary;
  readonly synth: Summary;
  readonly load: Summary;
  readonly resources: number;
  /** Median of per-round ratios of `total` to the Solutions Constructs composition's. */
  readonly totalPairedVsSolutions?: number;
}
interface SynthSample { readonly loadMs: number; readonly constructMs: number; readonly synthMs: number; readonly resources: number }

async function prepareMoto(endpoint: string): Promise<string> {
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const dynamodb = new DynamoDBClient(config);
  await dynamodb.send(new CreateTableCommand({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  const now = new Date().toISOString();
  await DynamoDBDocumentClient.from(dynamodb).send(new PutCommand({
    TableName: TABLE,
    Item: { id: ITEM_ID, data: ITEM_DATA, version: 1, createdAt: now, updatedAt: now },
  }));
  const secret = await new SecretsManagerClient(config).send(new CreateSecretCommand({
    Name: 'bench-secret',
    SecretString: JSON.stringify({ tokenSigningKey: randomBytes(32).toString('base64') }),
  }));
  dynamodb.destroy();
  return secret.ARN!;
}

/** The environment of a Lambda execution environment pointed at the emulator. */
function lambdaEnv(endpoint: string, secretArn: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_NO_WARNINGS: '1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL: endpoint,
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    TABLE_NAME: TABLE,
    SECRET_ARN: secretArn,
    POWERTOOLS_SERVICE_NAME: 'items-api',
    POWERTOOLS_METRICS_NAMESPACE: 'ItemsApi',
  };
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Cold starts: every variant once per round, the order rotated each round so drift spreads over all variants. */
async function coldStarts(assets: Record<Variant, string>, variants: readonly Variant[], rounds: number, itemId: string, env: NodeJS.ProcessEnv) {
  const samples = Object.fromEntries(variants.map((v) => [v, { initMs: [] as number[], totalMs: [] as number[], wallMs: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of rotate(variants, round)) {
      const { result, wallMs } = await runChild<ColdSample>('cold-start.ts', [assets[variant], itemId], env, CONFIG.childTimeoutMs);
      if (itemId !== '-' && result.status !== 200) throw new Error(`${variant}: first GET answered ${result.status}`);
      samples[variant].initMs.push(result.initMs);
      samples[variant].totalMs.push(result.initMs + (result.firstRequestMs ?? 0));
      samples[variant].wallMs.push(wallMs);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([variant, s]) => [variant, {
    init: summarize(s.initMs),
    initPlusFirstRequest: summarize(s.totalMs),
    processWall: summarize(s.wallMs),
    initPairedVsSdk: pairedRatio(s.initMs, samples.sdk.initMs),
    initPairedVsPowertools: samples.powertools ? pairedRatio(s.initMs, samples.powertools.initMs) : undefined,
    initPlusFirstRequestPairedVsSdk: pairedRatio(s.totalMs, samples.sdk.totalMs),
  }])) as Record<Variant, ColdSummary>;
}

async function synthesis(rounds: number) {
  const variants = ['service', 'service-dev', 'solutions', 'bare-l2'] as const;
  const samples = Object.fromEntries(variants.map((v) => [v, [] as SynthSample[]])) as Record<(typeof variants)[number], SynthSample[]>;
  for (let round = 0; round < rounds; round++) {
    for (const variant of rotate(variants, round)) {
      samples[variant].push((await runChild<SynthSample>('synth.ts', [variant], { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' }, CONFIG.childTimeoutMs)).result);
    }
  }
  const totals = (v: (typeof variants)[number]) => samples[v].map((s) => s.loadMs + s.constructMs + s.synthMs);
  return Object.fromEntries(variants.map((v) => [v, {
    totalPairedVsSolutions: pairedRatio(totals(v), totals('solutions')),
    // aws-cdk-lib loads its submodules lazily, on first use: some libraries pay that in their imports, others while
    // constructing, so only the sum of the three phases compares like with like.
    total: summarize(samples[v].map((s) => s.loadMs + s.constructMs + s.synthMs)),
    constructPlusSynth: summarize(samples[v].map((s) => s.constructMs + s.synthMs)),
    construct: summarize(samples[v].map((s) => s.constructMs)),
    synth: summarize(samples[v].map((s) => s.synthMs)),
    load: summarize(samples[v].map((s) => s.loadMs)),
    resources: samples[v][0].resources,
  }])) as Record<(typeof variants)[number], SynthSummary>;
}

/** The top-level constructors of each profiled synthesis variant. */
const PROFILED_SYNTH_ROOTS = {
  service: ['ServerlessService'],
  solutions: ['ApiGatewayToLambda', 'LambdaToDynamoDB', 'LambdaToSecretsmanager'],
} as const;

/** Profiled synthesis processes of the PROD service and the Solutions composition, alternated, attributed by part. */
async function synthesisProfiles(rounds: number, workDir: string): Promise<Record<keyof typeof PROFILED_SYNTH_ROOTS, SynthesisProfile>> {
  const variants = Object.keys(PROFILED_SYNTH_ROOTS) as (keyof typeof PROFILED_SYNTH_ROOTS)[];
  const files = Object.fromEntries(variants.map((v) => [v, [] as string[]])) as Record<(typeof variants)[number], string[]>;
  for (let round = 0; round < rounds; round++) {
    for (const variant of rotate(variants, round)) {
      const file = join(workDir, `synth-${variant}-${round}.cpuprofile`);
      await runChild('synth.ts', [variant, file], { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' }, CONFIG.childTimeoutMs);
      files[variant].push(file);
    }
  }
  return Object.fromEntries(variants.map((v) => [v, analyseSynthesisProfiles(files[v], PROFILED_SYNTH_ROOTS[v], join(ROOT, 'lib'))])) as Record<(typeof variants)[number], SynthesisProfile>;
}

/** Apps of 1, 5 and 20 prod services (one stack each): how synthesis grows with the resource count. */
const SCALE_SERVICES = [1, 5, 20] as const;

async function synthesisScale(rounds: number) {
  const samples = new Map<number, SynthSample[]>(SCALE_SERVICES.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (const n of rotate(SCALE_SERVICES, round)) {
      samples.get(n)!.push((await runChild<SynthSample>('synth.ts', [`services:${n}`], { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' }, CONFIG.childTimeoutMs)).result);
    }
  }
  return SCALE_SERVICES.map((services) => {
    const s = samples.get(services)!;
    const total = summarize(s.map((x) => x.loadMs + x.constructMs + x.synthMs));
    const construct = summarize(s.map((x) => x.constructMs));
    return { services, resources: s[0].resources, total, construct, synth: summarize(s.map((x) => x.synthMs)) };
  });
}

/** Peak RSS of a warm loop per variant, over rotated rounds: medians and the paired ratio to the plain SDK's. */
async function peakRss(assets: Record<Variant, string>, variants: readonly Variant[], env: NodeJS.ProcessEnv) {
  const peaks = Object.fromEntries(variants.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
  const maxRss = Object.fromEntries(variants.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
  for (let round = 0; round < CONFIG.rssRounds; round++) {
    for (const variant of rotate(variants, round)) {
      const r = (await runChild<WarmResult>('warm-loop.ts', [assets[variant], ITEM_ID, String(CONFIG.rssRequests), '0', 'no-raw'], env, CONFIG.childTimeoutMs)).result;
      peaks[variant].push(r.peakRssBytes / 2 ** 20);
      maxRss[variant].push(r.maxRssKb / 1024);
    }
  }
  return Object.fromEntries(variants.map((v) => [v, {
    peakRssMb: summarize(peaks[v]).median,
    maxRssMb: summarize(maxRss[v]).median,
    peakPairedVsSdk: pairedRatio(peaks[v], peaks.sdk),
  }])) as Partial<Record<Variant, { peakRssMb: number; maxRssMb: number; peakPairedVsSdk?: number }>>;
}

const ROUTES = ['create', 'get', 'update', 'list', 'delete'] as const;

/** Per route: the calls the handler made, what DynamoDB bills for them and the minimum for the same items. */
function costPerRoute(calls: readonly ObservedCall[], itemCount: number) {
  // The item as clients see it (the handler also stores the id of its last write beside it).
  const now = new Date().toISOString();
  const clientItemBytes = itemSize(marshallForSize({ id: 'cost-0000', data: ITEM_DATA, version: 1, createdAt: now, updatedAt: now }));
  return Object.fromEntries(ROUTES.map((route) => {
    const routeCalls = calls.filter((c) => c.route === route);
    const perRequest = route === 'list' ? 1 : itemCount;
    const dynamoCalls = routeCalls.filter((c) => c.unitKind !== 'none');
    const unitKind = route === 'get' || route === 'list' ? 'RCU' : 'WCU';
    // Reads and writes are billed in different units: the route's own kind is compared with the minimum, the other
    // kind (e.g. the read before a retry-safe delete) is reported beside it.
    const unitsOf = (kind: string) => dynamoCalls.filter((c) => c.unitKind === kind).reduce((sum, c) => sum + c.billedUnits, 0) / perRequest;
    const units = unitsOf(unitKind);
    const otherKind = unitKind === 'RCU' ? 'WCU' : 'RCU';
    const otherUnits = unitsOf(otherKind);
    const bytes = dynamoCalls.reduce((sum, c) => sum + c.bytes, 0) / perRequest;
    const describe = (c: ObservedCall) => c.unitKind === 'none'
      ? `${c.operation} (not DynamoDB: ${routeCalls.filter((o) => o.operation === c.operation).length} in ${perRequest} request(s), cached)`
      : `${c.operation}${c.consistentRead ? ' (strongly consistent)' : ''}${c.conditional ? ' (conditional)' : ''}`;
    const operations = [...new Set(routeCalls.map(describe))];
    const emulator = dynamoCalls.filter((c) => c.emulatorUnits !== undefined);
    const pageItems = Math.min(itemCount, 20);
    // The least any implementation pays for the route's effect on items of this size.
    const minimum = route === 'get'
      ? { any: readUnits(clientItemBytes, false), sameConsistency: readUnits(clientItemBytes, true) }
      : route === 'list'
        ? { any: readUnits(clientItemBytes * pageItems, false), sameConsistency: readUnits(clientItemBytes * pageItems, false) }
        : { any: writeUnits(clientItemBytes), sameConsistency: writeUnits(clientItemBytes) };
    return [route, {
      callsPerRequest: dynamoCalls.length / perRequest,
      operations,
      unitKind,
      billedUnits: units,
      otherUnits: otherUnits > 0 ? `${otherUnits} ${otherKind}` : undefined,
      bytesPerRequest: Math.round(bytes),
      minimumSameConsistency: minimum.sameConsistency,
      minimumAnyConsistency: minimum.any,
      emulatorReportedUnits: emulator.length ? emulator.reduce((sum, c) => sum + (c.emulatorUnits ?? 0), 0) / perRequest : undefined,
      pageItems: route === 'list' ? pageItems : undefined,
      clientItemBytes,
    }];
  })) as Record<(typeof ROUTES)[number], {
    callsPerRequest: number;
    operations: string[];
    unitKind: string;
    billedUnits: number;
    otherUnits?: string;
    bytesPerRequest: number;
    minimumSameConsistency: number;
    minimumAnyConsistency: number;
    emulatorReportedUnits?: number;
    pageItems?: number;
    clientItemBytes: number;
  }>;
}

/** DynamoDB JSON of a plain object, only as far as item sizes need it. */
function marshallForSize(value: Record<string, unknown>): Record<string, { [type: string]: unknown }> {
  const marshall = (v: unknown): { [type: string]: unknown } => {
    if (typeof v === 'string') return { S: v };
    if (typeof v === 'number') return { N: String(v) };
    if (typeof v === 'boolean') return { BOOL: v };
    if (Array.isArray(v)) return { L: v.map(marshall) };
    if (v && typeof v === 'object') return { M: marshallForSize(v as Record<string, unknown>) };
    return { NULL: true };
  };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marshall(v)]));
}

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  if (Number(process.versions.node.split('.')[0]) < 24) throw new Error(`the bench runs on Node 24 (Lambda's nodejs24.x); this is Node ${process.versions.node}`);
  if (!existsSync(ITEMS_ASSET)) throw new Error(`${ITEMS_ASSET} is missing: run "node build-tools/bundle-lambdas.mjs"`);
  if (!existsSync(join(ROOT, 'lib', 'index.js'))) throw new Error('lib/ is missing: run "npx projen compile"');
  const startedAt = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    log('bundling baselines');
    const baselines = await bundleBaselines(work);
    const assets: Record<Variant, string> = { items: ITEMS_ASSET, ...baselines };
    log('starting moto');
    moto = await startMotoServer();
    const secretArn = await prepareMoto(moto.endpoint);
    const env = lambdaEnv(moto.endpoint, secretArn);

    const allVariants: Variant[] = ['items', 'empty', 'sdk', 'powertools'];
    log(`cold start: ${CONFIG.coldSamples} rounds x ${allVariants.length} variants`);
    const cold = await coldStarts(assets, allVariants, CONFIG.coldSamples, '-', env);
    const requestVariants: Variant[] = ['items', 'sdk', 'powertools'];
    log(`first request: ${CONFIG.firstRequestSamples} rounds x ${requestVariants.length} variants`);
    const first = await coldStarts(assets, requestVariants, CONFIG.firstRequestSamples, ITEM_ID, env);

    log(`warm: ${CONFIG.warmRequests} handler requests interleaved with raw GetCommand`);
    const warm = (await runChild<WarmResult>('warm-loop.ts', [ITEMS_ASSET, ITEM_ID, String(CONFIG.warmRequests), String(CONFIG.warmup), 'raw'], env, CONFIG.childTimeoutMs)).result;
    log(`peak RSS: ${CONFIG.rssRounds} rounds x ${requestVariants.length} variants`);
    const rss = await peakRss(assets, requestVariants, env);
    log(`module init profile: ${CONFIG.profileSamples} profiled inits of the items handler`);
    const profile = await profileModuleInit(ITEMS_SOURCE, HANDLER_BUILD, work, CONFIG.profileSamples, async (bundle, profileFile) => {
      await runChild('profile-init.ts', [bundle, profileFile], env, CONFIG.childTimeoutMs);
    });
    const size = Object.fromEntries(allVariants.map((v) => {
      const code = readFileSync(assets[v]);
      return [v, { rawKb: code.length / 1024, gzipKb: gzipSync(code, { level: 9 }).length / 1024 }];
    })) as Record<Variant, { rawKb: number; gzipKb: number }>;

    log('DynamoDB cost through the counting proxy');
    proxy = await startCapacityProxy(moto.endpoint);
    await runChild('cost-scenario.ts', [ITEMS_ASSET, JSON.stringify(ITEM_DATA), String(CONFIG.costItems)], { ...env, AWS_ENDPOINT_URL: proxy.endpoint }, CONFIG.childTimeoutMs);
    const cost = costPerRoute(proxy.calls, CONFIG.costItems);

    log(`synthesis: ${CONFIG.synthSamples} rounds x 4 variants`);
    const synth = await synthesis(CONFIG.synthSamples);
    log(`synthesis profiles: ${CONFIG.synthProfileSamples} rounds x 2 variants`);
    const synthProfile = await synthesisProfiles(CONFIG.synthProfileSamples, work);
    log(`synthesis scale: ${CONFIG.scaleSamples} rounds of apps with ${SCALE_SERVICES.join(', ')} services`);
    const scale = await synthesisScale(CONFIG.scaleSamples);

    log(`local mode: ${CONFIG.localStarts} starts, ${CONFIG.localRequests} GETs through it and direct`);
    const local = await measureLocalMode(ITEMS_ASSET, CONFIG.localStarts, CONFIG.localRequests, CONFIG.warmup, CONFIG.childTimeoutMs);

    const warmSummary = { handler: summarize(warm.handlerMs), rawGetCommand: summarize(warm.rawMs) };
    // The limits of issue 18; cold-start and synthesis verdicts use paired ratios (see pairedRatio), steadier on a
    // shared machine than ratios of medians.
    const goals: GoalVerdict[] = [
      judge({ name: 'cold start: module init vs plain SDK', value: cold.items.init.median, baseline: cold.sdk.init.median, baselineName: 'plain SDK', limit: 0.8, unit: 'ms', paired: cold.items.initPairedVsSdk }),
      judge({
        name: 'cold start: init + first GET vs plain SDK',
        value: first.items.initPlusFirstRequest.median,
        baseline: first.sdk.initPlusFirstRequest.median,
        baselineName: 'plain SDK',
        limit: 0.9,
        unit: 'ms',
        paired: first.items.initPlusFirstRequestPairedVsSdk,
      }),
      judge({
        name: `synthesis, PROD ServerlessService (${synth.service.resources} resources) vs Solutions Constructs (${synth.solutions.resources})`,
        value: synth.service.total.median,
        baseline: synth.solutions.total.median,
        baselineName: 'Solutions Constructs',
        limit: 1.0,
        unit: 'ms',
        paired: synth.service.totalPairedVsSolutions,
      }),
      judge({ name: 'warm GET p50 vs raw GetCommand', value: warmSummary.handler.median, baseline: warmSummary.rawGetCommand.median, baselineName: 'raw GetCommand', limit: 1.1, unit: 'ms' }),
      judge({ name: 'warm GET p99 vs raw GetCommand', value: warmSummary.handler.p99, baseline: warmSummary.rawGetCommand.p99, baselineName: 'raw GetCommand', limit: 1.1, unit: 'ms' }),
      judge({ name: 'peak RSS of the warm handler vs plain SDK', value: rss.items!.peakRssMb, baseline: rss.sdk!.peakRssMb, baselineName: 'plain SDK', limit: 1.0, unit: 'MB', paired: rss.items!.peakPairedVsSdk }),
      judge({ name: 'cold start: module init vs Powertools', value: cold.items.init.median, baseline: cold.powertools.init.median, baselineName: 'Powertools', limit: 0.8, unit: 'ms', paired: cold.items.initPairedVsPowertools }),
      ...ROUTES.map((route) => judge({
        name: `DynamoDB ${route} vs minimum${route === 'get' ? ' (strongly consistent)' : ''}${cost[route].otherUnits ? ` (${cost[route].unitKind}; it also pays ${cost[route].otherUnits})` : ''}`,
        value: cost[route].billedUnits,
        baseline: cost[route].minimumSameConsistency,
        baselineName: 'minimum',
        limit: 1.0,
        unit: cost[route].unitKind,
      })),
    ];
    const results = {
      generatedAt: new Date().toISOString(),
      commit: gitCommit(),
      node: process.versions.node,
      cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
      config: CONFIG,
      durationSeconds: Math.round((Date.now() - startedAt) / 1000),
      variants: VARIANT_LABEL,
      coldStart: cold,
      firstRequest: first,
      warm: warmSummary,
      peakRss: rss,
      assetSize: size,
      synthesis: synth,
      synthesisScale: scale,
      synthesisProfile: synthProfile,
      moduleInit: profile,
      localMode: local,
      loadAverage: loadavg(),
      dynamodbCost: { itemData: ITEM_DATA, perRoute: cost },
      goals,
    };
    const outDir = join(__dirname, 'results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(outDir, 'latest.md'), renderReport(results));
    writeFileSync(join(outDir, 'chart.svg'), renderChart(
      goals.map((g) => ({ name: g.name, ratio: decisiveRatio(g), limit: g.limit, met: g.met })),
      scale.map((p) => ({ label: `${p.services} service${p.services > 1 ? 's' : ''}`, resources: p.resources, ms: p.total.median })),
      `npm run bench at ${results.commit}, Node ${results.node}, ${results.cpu}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    ));
    log(`done in ${results.durationSeconds} s: bench/results/latest.md`);
    process.stdout.write(`${goalTable(goals)}\n`);
  } finally {
    await releaseAll();
    rmSync(work, { recursive: true, force: true });
  }
}

/** What the run started and must stop, however it ends. */
let moto: MotoServer | undefined;
let proxy: Awaited<ReturnType<typeof startCapacityProxy>> | undefined;

async function releaseAll(): Promise<void> {
  killLiveChildren();
  await proxy?.close();
  proxy = undefined;
  if (moto) await stopMotoServer(moto);
  moto = undefined;
}

async function abort(reason: string, exitCode: number): Promise<never> {
  process.stderr.write(`[bench] ${reason}\n`);
  await releaseAll();
  process.exit(exitCode);
}

type Results = {
  generatedAt: string;
  commit: string;
  node: string;
  cpu: string;
  config: typeof CONFIG;
  durationSeconds: number;
  coldStart: Record<Variant, ColdSummary>;
  firstRequest: Partial<Record<Variant, ColdSummary>>;
  warm: { handler: Summary; rawGetCommand: Summary };
  peakRss: Partial<Record<Variant, { peakRssMb: number; maxRssMb: number; peakPairedVsSdk?: number }>>;
  synthesisScale: Awaited<ReturnType<typeof synthesisScale>>;
  synthesisProfile: Awaited<ReturnType<typeof synthesisProfiles>>;
  moduleInit: ModuleProfile;
  localMode: LocalModeResult;
  loadAverage: number[];
  assetSize: Record<Variant, { rawKb: number; gzipKb: number }>;
  synthesis: Record<string, SynthSummary>;
  dynamodbCost: { perRoute: ReturnType<typeof costPerRoute> };
  goals: GoalVerdict[];
};

function renderReport(r: Results): string {
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
    markdownTable(['handler', 'init median', 'init p90', 'vs plain SDK', 'paired', 'process median', 'bundle KB', 'gzip KB'], variants.map((v) => [
      VARIANT_LABEL[v], f(r.coldStart[v].init.median), f(r.coldStart[v].init.p90), vsSdk(r.coldStart[v].init.median, r.coldStart.sdk.init.median),
      paired(r.coldStart[v].initPairedVsSdk), f(r.coldStart[v].processWall.median), f(r.assetSize[v].rawKb, 1), f(r.assetSize[v].gzipKb, 1),
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
    markdownTable(['handler', 'median', 'p90', 'vs plain SDK', 'paired', `peak RSS MB (warm loop, median of ${r.config.rssRounds})`, 'RSS paired'],
      (Object.keys(r.firstRequest) as Variant[]).map((v) => [
        VARIANT_LABEL[v], f(r.firstRequest[v]!.initPlusFirstRequest.median), f(r.firstRequest[v]!.initPlusFirstRequest.p90),
        vsSdk(r.firstRequest[v]!.initPlusFirstRequest.median, r.firstRequest.sdk?.initPlusFirstRequest.median),
        paired(r.firstRequest[v]!.initPlusFirstRequestPairedVsSdk), f(r.peakRss[v]?.peakRssMb, 1), paired(r.peakRss[v]?.peakPairedVsSdk),
      ])),
    '',
    `## Warm \`GET /items/{id}\` (${r.config.warmRequests} requests after ${r.config.warmup} warm-up, interleaved, same process and moto server)`,
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
    ]),
    '',
    `## Synthesis (fresh process per sample, ${r.config.synthSamples} samples each)`,
    '',
    'aws-cdk-lib loads its submodules on first use, so a library that imports many of them pays in `load` what another pays ' +
    'in `construct`: the `total` column compares like with like. The Solutions Constructs are the newest versions whose ' +
    'aws-cdk-lib peer range accepts 2.257.0 (apigateway-lambda and lambda-dynamodb 2.94.0, lambda-secretsmanager 2.92.1, ' +
    'the only version the registry offers); each pins its own `@aws-solutions-constructs/core`, so two copies load ' +
    '(about 50 ms of their `library load` on an idle machine).',
    '',
    markdownTable(['stack', 'total', 'paired vs Solutions', 'library load', 'construct', 'synth', 'construct + synth', 'resources', 'total ms per resource'],
      Object.entries(r.synthesis).map(([name, s]) => [
        SYNTH_LABEL[name] ?? name, f(s.total.median), paired(s.totalPairedVsSolutions), f(s.load.median), f(s.construct.median), f(s.synth.median),
        f(s.constructPlusSynth.median), String(s.resources), f(s.total.median / s.resources),
      ])),
    '',
    `### Apps of 1, 5 and 20 PROD services (one stack each, ${r.config.scaleSamples} fresh processes each)`,
    '',
    markdownTable(['services', 'resources', 'total', 'construct', 'synth', 'total ms per resource'], r.synthesisScale.map((p) => [
      String(p.services), String(p.resources), f(p.total.median), f(p.construct.median), f(p.synth.median), f(p.total.median / p.resources),
    ])),
    '',
    synthesisProfileSection(r.synthesisProfile),
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
    '## DynamoDB cost per request (billing model applied to the calls the handler made, seen through a counting proxy)',
    '',
    `Each route exercised ${r.config.costItems} times with a representative item; the proxy in front of moto records every call, ` +
    'its consistency and condition, and the bytes read or written, and applies DynamoDB\'s billing model (reads: 4 KB units, ' +
    'halved when eventually consistent; writes: 1 KB units of the larger of old and new item). moto answers ' +
    '`ReturnConsumedCapacity: TOTAL` with fixed values, not sized ones, shown for reference. Minimum = the least any ' +
    `implementation pays for the item as clients see it (${r.dynamodbCost.perRoute.get.clientItemBytes} B; the handler stores ` +
    'the id of its last write beside it, which makes retried writes idempotent).',
    '',
    markdownTable(['route', 'DynamoDB calls', 'operations', 'handler pays', 'minimum, same consistency', 'minimum, any consistency', 'moto reports'], ROUTES.map((route) => {
      const c = r.dynamodbCost.perRoute[route];
      return [
        route === 'list' ? `list (page of ${c.pageItems})` : route, f(c.callsPerRequest), c.operations.join(', '),
        `${f(c.billedUnits)} ${c.unitKind}${c.otherUnits ? ` + ${c.otherUnits}` : ''} (${c.bytesPerRequest} B)`, `${f(c.minimumSameConsistency)} ${c.unitKind}`, `${f(c.minimumAnyConsistency)} ${c.unitKind}`,
        c.emulatorReportedUnits === undefined ? 'n/a' : f(c.emulatorReportedUnits),
      ];
    })),
    '',
  ];
  return sections.join('\n');
}

/** The profiled synthesis parts side by side: ServerlessService and the Solutions composition. */
function synthesisProfileSection(profiles: Results['synthesisProfile']): string {
  const { service, solutions } = profiles;
  const key = (p: SynthesisPart) => `${p.group}\u0000${p.name}`;
  const theirs = new Map(solutions.parts.map((p) => [key(p), p]));
  const rows = [...service.parts, ...solutions.parts.filter((p) => !service.parts.some((q) => key(q) === key(p)))].map((part) => {
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

const SYNTH_LABEL: Record<string, string> = {
  'service': 'ServerlessService (DeploymentStage.PROD)',
  'service-dev': 'ServerlessService (DeploymentStage.DEV), for scale',
  'solutions': 'Solutions Constructs: ApiGatewayToLambda + LambdaToDynamoDB + LambdaToSecretsmanager',
  'bare-l2': 'bare L2: RestApi + Function + Table + Secret (defaults)',
};

process.once('SIGINT', () => void abort('interrupted', 130));
setTimeout(() => void abort(`stopped after BENCH_MAX_SECONDS=${CONFIG.maxSeconds}`, 1), CONFIG.maxSeconds * 1000).unref();

main().catch((error) => abort(error instanceof Error ? error.stack ?? error.message : String(error), 1));

/**
 * `npm run bench`: the bundled items handler and ServerlessService measured against their baselines, in one run, on
 * Node 24. Writes bench/results/latest.json and latest.md. Sample counts come from the environment (see CONFIG):
 * BENCH_COLD_SAMPLES (>= 15), BENCH_FIRST_REQUEST_SAMPLES, BENCH_WARM_REQUESTS, BENCH_WARM_ROUNDS, BENCH_WARMUP, BENCH_RSS_REQUESTS,
 * BENCH_RSS_ROUNDS, BENCH_PROFILE_SAMPLES, BENCH_SYNTH_SAMPLES, BENCH_SYNTH_PROFILE_SAMPLES, BENCH_SCALE_SAMPLES, BENCH_LOCAL_STARTS,
 * BENCH_LOCAL_REQUESTS, BENCH_LOCAL_APP_STARTS, BENCH_LOCAL_RELOADS, BENCH_COST_ITEMS, BENCH_CHILD_TIMEOUT_MS and BENCH_MAX_SECONDS (the whole run's bound).
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
import { startCapacityProxy } from './capacity-proxy';
import { renderChart } from './chart';
import { measureLocalApps } from './local-apps';
import { measureLocalMode } from './local-mode';
import { profileModuleInit } from './module-profile';
import { installNewestCdk } from './newest-cdk';
import { killLiveChildren, runChild } from './processes';
import { VARIANT_LABEL, renderReport, type ColdSummary, type Variant } from './report';
import { ROUTES, costPerRoute } from './route-cost';
import { decisiveRatio, goalTable, judge, pairedRatio, percentile, rotate, summarize, type GoalVerdict } from './stats';
import { SCALE_SERVICES, synthesis, synthesisOnCdk, synthesisProfiles, synthesisScale, type SynthSummary } from './synthesis';
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
  warmRounds: envInt('BENCH_WARM_ROUNDS', 3, 1),
  warmup: envInt('BENCH_WARMUP', 50, 0),
  rssRequests: envInt('BENCH_RSS_REQUESTS', 300, 1),
  rssRounds: envInt('BENCH_RSS_ROUNDS', 3, 1),
  profileSamples: envInt('BENCH_PROFILE_SAMPLES', 10, 1),
  synthSamples: envInt('BENCH_SYNTH_SAMPLES', 7, 1),
  synthProfileSamples: envInt('BENCH_SYNTH_PROFILE_SAMPLES', 3, 1),
  scaleSamples: envInt('BENCH_SCALE_SAMPLES', 3, 1),
  localStarts: envInt('BENCH_LOCAL_STARTS', 3, 1),
  localRequests: envInt('BENCH_LOCAL_REQUESTS', 300, 1),
  localAppStarts: envInt('BENCH_LOCAL_APP_STARTS', 3, 1),
  localReloads: envInt('BENCH_LOCAL_RELOADS', 3, 1),
  costItems: envInt('BENCH_COST_ITEMS', 20, 1),
  childTimeoutMs: envInt('BENCH_CHILD_TIMEOUT_MS', 120_000, 1000),
  /** The whole run is stopped (children and moto included) after this long. */
  maxSeconds: envInt('BENCH_MAX_SECONDS', 900, 10),
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

interface ColdSample { readonly initMs: number; readonly firstRequestMs?: number; readonly status?: number }
interface WarmResult { readonly handlerMs: number[]; readonly rawMs: number[]; readonly peakRssBytes: number; readonly maxRssKb: number }
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
    initPairedVsAwsLite: samples['aws-lite'] ? pairedRatio(s.initMs, samples['aws-lite'].initMs) : undefined,
    initPlusFirstRequestPairedVsAwsLite: samples['aws-lite'] ? pairedRatio(s.totalMs, samples['aws-lite'].totalMs) : undefined,
  }])) as Record<Variant, ColdSummary>;
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

/** The aws-cdk-lib this checkout builds and tests with (the peer range's minimum). */
function pinnedCdkVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Issue 27's synthesis goal: total ms per resource of the PROD service at most a quarter of the Solutions composition's. */
function synthesisPerResourceGoal(cdk: string, summaries: Record<'service' | 'solutions', SynthSummary>): GoalVerdict {
  const { service, solutions } = summaries;
  return judge({
    name: `synthesis per resource on ${cdk}: PROD ServerlessService (${service.resources} resources) vs Solutions Constructs (${solutions.resources})`,
    value: service.total.median / service.resources,
    baseline: solutions.total.median / solutions.resources,
    baselineName: 'Solutions Constructs',
    limit: 0.25,
    unit: 'ms',
    paired: service.perResourcePairedVsSolutions,
  });
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

    const allVariants: Variant[] = ['items', 'empty', 'sdk', 'powertools', 'aws-lite'];
    log(`cold start: ${CONFIG.coldSamples} rounds x ${allVariants.length} variants`);
    const cold = await coldStarts(assets, allVariants, CONFIG.coldSamples, '-', env);
    const requestVariants: Variant[] = ['items', 'sdk', 'powertools', 'aws-lite'];
    log(`first request: ${CONFIG.firstRequestSamples} rounds x ${requestVariants.length} variants`);
    const first = await coldStarts(assets, requestVariants, CONFIG.firstRequestSamples, ITEM_ID, env);

    log(`warm: ${CONFIG.warmRounds} processes each of the items handler and the aws-lite baseline, ${CONFIG.warmRequests} requests interleaved with raw GetCommand`);
    const warmRounds: WarmResult[] = [];
    const awsLiteWarmRounds: WarmResult[] = [];
    const warmLoop = async (asset: string) => (await runChild<WarmResult>('warm-loop.ts', [asset, ITEM_ID, String(CONFIG.warmRequests), String(CONFIG.warmup), 'raw'], env, CONFIG.childTimeoutMs)).result;
    for (let round = 0; round < CONFIG.warmRounds; round++) {
      warmRounds.push(await warmLoop(ITEMS_ASSET));
      awsLiteWarmRounds.push(await warmLoop(assets['aws-lite']));
    }
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
    const cost = costPerRoute(proxy.calls, CONFIG.costItems, ITEM_DATA);

    log(`synthesis: ${CONFIG.synthSamples} rounds x 4 variants`);
    const synth = await synthesis(CONFIG.synthSamples, CONFIG.childTimeoutMs);
    log('installing the newest aws-cdk-lib with the packed library into a scratch folder');
    const newestCdk = installNewestCdk();
    log(`synthesis on aws-cdk-lib ${newestCdk.version}: ${CONFIG.synthSamples} rounds x 4 variants`);
    const synthOnNewest = { version: newestCdk.version, summaries: await synthesisOnCdk(newestCdk.root, CONFIG.synthSamples, CONFIG.childTimeoutMs) };
    log(`synthesis profiles: ${CONFIG.synthProfileSamples} rounds x 2 variants`);
    const synthProfile = await synthesisProfiles(CONFIG.synthProfileSamples, work, CONFIG.childTimeoutMs);
    log(`synthesis scale: ${CONFIG.scaleSamples} rounds of apps with ${SCALE_SERVICES.join(', ')} services`);
    const scale = await synthesisScale(CONFIG.scaleSamples, CONFIG.childTimeoutMs);

    log(`local mode: ${CONFIG.localStarts} starts, ${CONFIG.localRequests} GETs through it and direct`);
    const local = await measureLocalMode(ITEMS_ASSET, CONFIG.localStarts, CONFIG.localRequests, CONFIG.warmup, CONFIG.childTimeoutMs);
    log(`local mode --watch on the example and a ts-node app: ${CONFIG.localAppStarts} starts x ${CONFIG.localReloads} reloads, minimum and newest aws-cdk-lib`);
    const minimumCdk = `aws-cdk-lib ${pinnedCdkVersion()} (the minimum)`;
    const newestCdkLabel = `aws-cdk-lib ${newestCdk.version} (the newest)`;
    const localApps = await measureLocalApps([
      { cdk: minimumCdk, modules: join(ROOT, 'node_modules'), library: ROOT },
      { cdk: newestCdkLabel, modules: join(newestCdk.root, 'node_modules') },
    ], CONFIG.localAppStarts, CONFIG.localReloads, CONFIG.childTimeoutMs);

    // Tails differ from process to process (GC, the emulator): each round's percentile ratio, then their median.
    const roundRatio = (rounds: WarmResult[], p: number) =>
      pairedRatio(rounds.map((w) => percentile(w.handlerMs, p)), rounds.map((w) => percentile(w.rawMs, p)));
    const warmSummary = {
      handler: summarize(warmRounds.flatMap((w) => w.handlerMs)),
      rawGetCommand: summarize(warmRounds.flatMap((w) => w.rawMs)),
      p50Paired: roundRatio(warmRounds, 50),
      p99Paired: roundRatio(warmRounds, 99),
      awsLite: summarize(awsLiteWarmRounds.flatMap((w) => w.handlerMs)),
      awsLiteP50Paired: roundRatio(awsLiteWarmRounds, 50),
      awsLiteP99Paired: roundRatio(awsLiteWarmRounds, 99),
    };
    // The limits of issues 18 and 27; cold-start and synthesis verdicts use paired ratios (see pairedRatio), steadier on a
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
      synthesisPerResourceGoal(`aws-cdk-lib ${pinnedCdkVersion()} (the minimum)`, synth),
      synthesisPerResourceGoal(`aws-cdk-lib ${synthOnNewest.version} (the newest)`, synthOnNewest.summaries),
      judge({
        name: `synthesis scaling: ms per resource, ${SCALE_SERVICES.at(-1)} PROD services vs 1`,
        value: scale.at(-1)!.total.median / scale.at(-1)!.resources,
        baseline: scale[0].total.median / scale[0].resources,
        baselineName: '1 service',
        limit: 1.0,
        unit: 'ms',
      }),
      judge({
        name: 'warm GET p50 vs raw GetCommand',
        value: warmSummary.handler.median,
        baseline: warmSummary.rawGetCommand.median,
        baselineName: 'raw GetCommand',
        limit: 1.1,
        unit: 'ms',
        paired: warmSummary.p50Paired,
      }),
      judge({
        name: 'warm GET p99 vs raw GetCommand',
        value: warmSummary.handler.p99,
        baseline: warmSummary.rawGetCommand.p99,
        baselineName: 'raw GetCommand',
        limit: 1.1,
        unit: 'ms',
        paired: warmSummary.p99Paired,
      }),
      judge({ name: 'peak RSS of the warm handler vs plain SDK', value: rss.items!.peakRssMb, baseline: rss.sdk!.peakRssMb, baselineName: 'plain SDK', limit: 1.0, unit: 'MB', paired: rss.items!.peakPairedVsSdk }),
      judge({ name: 'cold start: module init vs aws-lite', value: cold.items.init.median, baseline: cold['aws-lite'].init.median, baselineName: 'aws-lite', limit: 1.0, unit: 'ms', paired: cold.items.initPairedVsAwsLite }),
      judge({
        name: 'cold start: init + first GET vs aws-lite',
        value: first.items.initPlusFirstRequest.median,
        baseline: first['aws-lite'].initPlusFirstRequest.median,
        baselineName: 'aws-lite',
        limit: 1.0,
        unit: 'ms',
        paired: first.items.initPlusFirstRequestPairedVsAwsLite,
      }),
      judge({ name: 'cold start: module init vs Powertools', value: cold.items.init.median, baseline: cold.powertools.init.median, baselineName: 'Powertools', limit: 0.8, unit: 'ms', paired: cold.items.initPairedVsPowertools }),
      // Issue 23 D6: absolute goals on the newest aws-cdk-lib, as a ratio to the goal (<= 1 meets it).
      ...localApps.filter((row) => row.cdk === newestCdkLabel).flatMap((row) => [
        judge({ name: `local mode first response, ${row.app}, ${row.cdk}`, value: row.firstResponse.median, baseline: 3000, baselineName: 'goal 3 s', limit: 1.0, unit: 'ms' }),
        judge({ name: `local mode --watch reload, ${row.app}, ${row.cdk}`, value: row.reload.median, baseline: 1500, baselineName: 'goal 1.5 s', limit: 1.0, unit: 'ms' }),
      ]),
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
      synthesisOnNewestCdk: synthOnNewest,
      synthesisScale: scale,
      synthesisProfile: synthProfile,
      moduleInit: profile,
      localMode: local,
      localModeApps: localApps,
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

process.once('SIGINT', () => void abort('interrupted', 130));
setTimeout(() => void abort(`stopped after BENCH_MAX_SECONDS=${CONFIG.maxSeconds}`, 1), CONFIG.maxSeconds * 1000).unref();

main().catch((error) => abort(error instanceof Error ? error.stack ?? error.message : String(error), 1));

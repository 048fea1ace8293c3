import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeXml, niceCeiling, renderChart } from '../bench/chart';
import { itemSize, readUnits, valueSize, writeUnits } from '../bench/dynamodb-cost';
import { formatNumber, goalTable, judge, markdownTable, median, pairedRatio, percentile, ratio, rotate, summarize } from '../bench/stats';
import { analyseSynthesisProfiles } from '../bench/synth-profile';
import { summarizeSynthesis } from '../bench/synthesis';

describe('bench statistics', () => {
  test('median of odd and even counts, independent of order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median: no samples');
  });

  test('percentile is nearest-rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 90)).toBe(90);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 0)).toBe(7);
    expect(() => percentile(samples, 101)).toThrow('p must be in [0, 100]');
  });

  test('summarize reports n, median, p90, p99, min and max', () => {
    expect(summarize([3, 1, 2, 10])).toEqual({ n: 4, median: 2.5, p90: 10, p99: 10, min: 1, max: 10 });
  });

  test('ratio rounds to two decimals and refuses a non-positive baseline', () => {
    expect(ratio(1.1, 1)).toBe(1.1);
    expect(ratio(2, 3)).toBe(0.67);
    expect(ratio(1, 0)).toBeUndefined();
  });

  test('judge meets a goal at the limit and misses above it', () => {
    const goal = { name: 'init', baseline: 10, baselineName: 'sdk', limit: 1.0, unit: 'ms' };
    expect(judge({ ...goal, value: 10 })).toMatchObject({ ratio: 1, met: true });
    expect(judge({ ...goal, value: 10.2 })).toMatchObject({ ratio: 1.02, met: false });
    expect(judge({ ...goal, value: 1, baseline: 0 })).toMatchObject({ ratio: undefined, met: false });
  });

  test('judge decides on the paired ratio when there is one', () => {
    const goal = { name: 'init', baseline: 10, baselineName: 'sdk', limit: 0.8, unit: 'ms' };
    expect(judge({ ...goal, value: 9, paired: 0.78 })).toMatchObject({ ratio: 0.9, met: true });
    expect(judge({ ...goal, value: 7, paired: 0.82 })).toMatchObject({ ratio: 0.7, met: false });
  });

  test('rotate starts each round with the next variant', () => {
    expect(rotate(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(rotate(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a']);
    expect(rotate([], 3)).toEqual([]);
  });

  test('markdown tables escape pipes and reject ragged rows', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |');
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow('row has 1 cells, header has 2');
  });

  test('goal table says met or missed with the ratio', () => {
    const table = goalTable([
      judge({ name: 'warm p50', value: 5.5, baseline: 5, baselineName: 'raw', limit: 1.1, unit: 'ms' }),
      judge({ name: 'warm p99', value: 12, baseline: 5, baselineName: 'raw', limit: 1.1, unit: 'ms' }),
      judge({ name: 'init', value: 12, baseline: 10, baselineName: 'sdk', limit: 1, unit: 'ms', paired: 0.95 }),
    ]);
    expect(table.split('\n')[2]).toBe('| warm p50 | 5.5 ms | 5 ms (raw) | 1.1x | n/a | <= 1.1x | met |');
    expect(table.split('\n')[3]).toBe('| warm p99 | 12 ms | 5 ms (raw) | 2.4x | n/a | <= 1.1x | missed |');
    expect(table.split('\n')[4]).toBe('| init | 12 ms | 10 ms (sdk) | 1.2x | 0.95x | <= 1x | met |');
    expect(formatNumber(undefined)).toBe('n/a');
    expect(formatNumber(1.23456, 3)).toBe('1.235');
  });
});

describe('bench DynamoDB billing model', () => {
  test('item size is attribute names plus value sizes', () => {
    expect(itemSize({ id: { S: 'abc' } })).toBe(2 + 3);
    expect(valueSize({ N: '123.45' })).toBe(4);
    expect(valueSize({ BOOL: true })).toBe(1);
    // A map: 3 bytes, plus per element 1 byte, its key and its value.
    expect(valueSize({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 1 + 2);
    expect(valueSize({ L: [{ S: 'x' }, { NULL: true }] })).toBe(3 + 2 + 1 + 1);
    expect(() => valueSize({ Z: 1 })).toThrow('unknown attribute type Z');
  });

  test('reads bill per 4 KB (half when eventually consistent), writes per 1 KB', () => {
    expect(readUnits(100, true)).toBe(1);
    expect(readUnits(100, false)).toBe(0.5);
    expect(readUnits(4096 + 1, true)).toBe(2);
    expect(readUnits(0, false)).toBe(0.5);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
  });
});

describe('bench paired ratio', () => {
  test('is the median of per-round ratios', () => {
    // Round 2 ran while the machine was busy: both variants slowed down, the ratio did not change.
    expect(pairedRatio([10, 40, 12], [10, 40, 10])).toBe(1);
    expect(pairedRatio([9, 18, 30], [10, 20, 10])).toBe(0.9);
  });

  test('skips rounds with a zero baseline and refuses unaligned rounds', () => {
    expect(pairedRatio([5, 6], [0, 6])).toBe(1);
    expect(pairedRatio([5], [0])).toBeUndefined();
    expect(() => pairedRatio([1, 2], [1])).toThrow('2 values but 1 baselines');
  });
});

describe('bench chart', () => {
  test('axis bounds are 1, 2 or 5 times a power of ten', () => {
    expect(niceCeiling(1.3)).toBe(2);
    expect(niceCeiling(0.4)).toBe(0.5);
    expect(niceCeiling(1980)).toBe(2000);
    expect(niceCeiling(5)).toBe(5);
    expect(niceCeiling(0)).toBe(1);
  });

  test('one bar per goal, green when met and red when missed, with names escaped', () => {
    const svg = renderChart(
      [{ name: 'a <b>', ratio: 0.7, limit: 0.8, met: true }, { name: 'c', ratio: 1.2, limit: 1, met: false }],
      [{ label: '1 service', resources: 99, ms: 500 }, { label: '5 services', resources: 495, ms: 1500 }],
      'caption & more',
    );
    expect(svg.match(/fill="#2e7d32"/g)).toHaveLength(1);
    expect(svg.match(/fill="#c62828"/g)).toHaveLength(1);
    expect(svg).toContain('a &lt;b&gt;');
    expect(svg).toContain('caption &amp; more');
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(escapeXml('"x" & y')).toBe('&quot;x&quot; &amp; y');
  });
});

describe('bench synthesis profile', () => {
  // A hand-built profile: each node is [id, function, url, children]; samples name leaf nodes, deltas in µs.
  const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
  const nodes = [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 9] },
    { id: 2, callFrame: frame('', 'file:///bench/children/synth.ts'), children: [3, 7, 10] },
    { id: 3, callFrame: frame('ServerlessService', 'file:///pkg/lib/serverless-service.js'), children: [4, 6] },
    { id: 4, callFrame: frame('SecureTable', 'file:///pkg/lib/secure-table.js'), children: [5] },
    { id: 5, callFrame: frame('require', 'node:internal/modules/cjs/loader'), children: [] },
    { id: 6, callFrame: frame('Topic2', 'file:///pkg/node_modules/aws-cdk-lib/aws-sns/lib/topic.js'), children: [12] },
    { id: 7, callFrame: frame('synthesize', 'file:///pkg/node_modules/aws-cdk-lib/core/lib/private/synthesis.js'), children: [8] },
    { id: 8, callFrame: frame('prepareApp', 'file:///pkg/node_modules/aws-cdk-lib/core/lib/private/prepare-app.js'), children: [11] },
    { id: 9, callFrame: frame('(garbage collector)', ''), children: [] },
    { id: 10, callFrame: frame('require', 'node:internal/modules/cjs/loader'), children: [] },
    { id: 11, callFrame: frame('resolve', 'file:///pkg/node_modules/aws-cdk-lib/core/lib/private/resolve.js'), children: [] },
    { id: 12, callFrame: frame('acknowledge', 'file:///pkg/node_modules/aws-cdk-lib/core/lib/validation/validations.js'), children: [] },
  ];
  // The first sample only starts the clock and is not counted.
  const samples = [10, 5, 5, 6, 11, 11, 11, 9, 10, 12];
  const timeDeltas = [999, 1000, 1000, 2000, 500, 500, 1000, 3000, 4000, 1000];

  test('attributes samples to phases, constructs, synthesis steps and costs across phases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-profile-'));
    try {
      const file = join(dir, 'a.cpuprofile');
      writeFileSync(file, JSON.stringify({ nodes, samples, timeDeltas }));
      const profile = analyseSynthesisProfiles([file, file], ['ServerlessService'], '/pkg/lib/');
      expect(profile.runs).toBe(2);
      // Hand sums (ms): 1 + 1 + 2 + 0.5 + 0.5 + 1 + 3 + 4 + 1 = 14 per run.
      expect(profile.sampledMs).toBeCloseTo(14);
      const part = (group: string, name: string) => profile.parts.find((p) => p.group === group && p.name === name);
      expect(part('phase', 'construction')).toEqual({ group: 'phase', name: 'construction', ms: 5, loadingMs: 2 });
      expect(part('construct', 'SecureTable')).toEqual({ group: 'construct', name: 'SecureTable', ms: 2, loadingMs: 2 });
      expect(part('construct', 'ServerlessService (its own wiring)')?.ms).toBeCloseTo(3);
      expect(part('across phases', 'acknowledgements (Validations.acknowledge)')?.ms).toBeCloseTo(1);
      expect(part('phase', 'synthesis: app.synth()')?.ms).toBeCloseTo(2);
      expect(part('synth step', 'prepare: find references (resolves every resource)')?.ms).toBeCloseTo(2);
      expect(part('across phases', 'token resolution')?.ms).toBeCloseTo(2);
      expect(part('phase', 'load libraries, App and Stack')).toEqual({ group: 'phase', name: 'load libraries, App and Stack', ms: 7, loadingMs: 4 });
      expect(part('across phases', 'module loading')?.ms).toBeCloseTo(6);
      expect(part('across phases', 'garbage collection')?.ms).toBeCloseTo(3);
      expect(profile.parts.map((p) => p.group)).toEqual([...profile.parts.map((p) => p.group)].sort((a, b) =>
        ['phase', 'construct', 'synth step', 'across phases'].indexOf(a) - ['phase', 'construct', 'synth step', 'across phases'].indexOf(b)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bench synthesis summaries', () => {
  const sample = (loadMs: number, constructMs: number, synthMs: number, resources: number) => ({ loadMs, constructMs, synthMs, resources });

  test('pairs each round with the composition, as a whole and per resource', () => {
    // Round 1: 100 resources in 400 ms (4 ms each) against 20 in 400 ms (20 ms each): 1x whole, 0.2x per resource.
    // Round 2: 100 in 600 ms (6 ms each) against 20 in 300 ms (15 ms each): 2x whole, 0.4x per resource.
    // Round 3: 100 in 500 ms (5 ms each) against 20 in 400 ms (20 ms each): 1.25x whole, 0.25x per resource.
    const solutions = [sample(100, 100, 200, 20), sample(100, 100, 100, 20), sample(200, 100, 100, 20)];
    const service = [sample(100, 100, 200, 100), sample(200, 200, 200, 100), sample(100, 100, 300, 100)];
    const summaries = summarizeSynthesis({ service, solutions }, solutions);
    expect(summaries.service.totalPairedVsSolutions).toBe(1.25);
    expect(summaries.service.perResourcePairedVsSolutions).toBe(0.25);
    expect(summaries.service.total.median).toBe(500);
    expect(summaries.solutions.perResourcePairedVsSolutions).toBe(1);
  });
});

/** Pure helpers of the bench: summary statistics, ratios against baselines, goal verdicts and the markdown report. */

/** The value below which `p` percent of the samples fall (nearest-rank on the sorted samples). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile: no samples');
  if (p < 0 || p > 100) throw new Error(`percentile: p must be in [0, 100], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, p90 and p99 of a sample set, with its size. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    median: median(samples),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

/** `value / baseline`, rounded to two decimals; undefined when the baseline is not positive. */
export function ratio(value: number, baseline: number): number | undefined {
  if (!(baseline > 0)) return undefined;
  return Math.round((value / baseline) * 100) / 100;
}

/** A goal of the form "at most `limit` x the baseline". */
export interface Goal {
  readonly name: string;
  readonly value: number;
  readonly baseline: number;
  readonly baselineName: string;
  readonly limit: number;
  readonly unit: string;
  /** The median of per-round ratios, when the samples were paired round by round: the verdict then uses it. */
  readonly paired?: number;
}

export interface GoalVerdict extends Goal {
  readonly ratio: number | undefined;
  readonly met: boolean;
}

/** Met when the paired ratio (else the ratio of the two values) is at most the limit. */
export function judge(goal: Goal): GoalVerdict {
  const r = ratio(goal.value, goal.baseline);
  const decisive = goal.paired ?? r;
  return { ...goal, ratio: r, met: decisive !== undefined && decisive <= goal.limit };
}

/** The ratio a verdict was decided on. */
export function decisiveRatio(verdict: GoalVerdict): number | undefined {
  return verdict.paired ?? verdict.ratio;
}

/** Rounds for display: at most `digits` decimals, trailing zeros dropped. */
export function formatNumber(value: number | undefined, digits = 2): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  return String(Math.round(value * 10 ** digits) / 10 ** digits);
}

/** A markdown table; cells are escaped so a `|` in a value cannot break the layout. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`markdownTable: row has ${row.length} cells, header has ${header.length}`);
  }
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The goal rows of the report: value, baseline, ratio, limit and met / missed. */
export function goalTable(verdicts: readonly GoalVerdict[]): string {
  return markdownTable(
    ['goal', 'ours', 'baseline', 'ratio of medians', 'paired ratio', 'limit', 'verdict'],
    verdicts.map((v) => [
      v.name,
      `${formatNumber(v.value)} ${v.unit}`,
      `${formatNumber(v.baseline)} ${v.unit} (${v.baselineName})`,
      v.ratio === undefined ? 'n/a' : `${formatNumber(v.ratio)}x`,
      v.paired === undefined ? 'n/a' : `${formatNumber(v.paired)}x`,
      `<= ${formatNumber(v.limit)}x`,
      v.met ? 'met' : 'missed',
    ]),
  );
}

/** Rotates `items` by `offset`, so successive rounds start with a different variant and drift spreads evenly. */
export function rotate<T>(items: readonly T[], offset: number): T[] {
  if (items.length === 0) return [];
  const shift = ((offset % items.length) + items.length) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * The median of per-round ratios `values[i] / baselines[i]`, rounded to two decimals. Samples of one round run next to
 * each other, so they share the machine's load at that moment; the paired ratio is steadier than a ratio of medians
 * on a busy machine.
 */
export function pairedRatio(values: readonly number[], baselines: readonly number[]): number | undefined {
  if (values.length !== baselines.length) throw new Error(`pairedRatio: ${values.length} values but ${baselines.length} baselines`);
  const ratios = values.flatMap((value, i) => (baselines[i] > 0 ? [value / baselines[i]] : []));
  return ratios.length ? Math.round(median(ratios) * 100) / 100 : undefined;
}

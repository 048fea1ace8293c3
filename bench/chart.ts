/**
 * The bench's chart as a standalone SVG, drawn here from the results (no charting library, no external service):
 * every goal's ratio against its limit, and synthesis time against resource count for apps of 1, 5 and 20 services.
 */
export interface ChartGoal {
  readonly name: string;
  readonly ratio: number | undefined;
  readonly limit: number;
  readonly met: boolean;
}

export interface ChartPoint {
  readonly label: string;
  readonly resources: number;
  readonly ms: number;
}

const WIDTH = 760;
const ROW = 22;
const LABEL_WIDTH = 330;
const BAR_WIDTH = WIDTH - LABEL_WIDTH - 60;
const SCATTER_HEIGHT = 260;
const COLORS = { met: '#2e7d32', missed: '#c62828', limit: '#212121', axis: '#757575', line: '#1565c0' };

/** Text safe inside an SVG element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((bound) => bound >= value)!;
}

function goalPanel(goals: readonly ChartGoal[], top: number): { svg: string[]; height: number } {
  const maxRatio = niceCeiling(Math.max(1.2, ...goals.map((g) => Math.max(g.ratio ?? 0, g.limit))));
  const x = (r: number) => LABEL_WIDTH + (r / maxRatio) * BAR_WIDTH;
  const svg = [`<text x="10" y="${top + 14}" font-weight="bold">Goals: ratio to the baseline (bar) and the limit (black tick); green = met</text>`];
  goals.forEach((goal, i) => {
    const y = top + 26 + i * ROW;
    const ratio = goal.ratio ?? 0;
    svg.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 14}" text-anchor="end">${escapeXml(goal.name)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${round(x(ratio) - LABEL_WIDTH)}" height="${ROW - 8}" fill="${goal.met ? COLORS.met : COLORS.missed}"/>`,
      `<line x1="${round(x(goal.limit))}" x2="${round(x(goal.limit))}" y1="${y}" y2="${y + ROW - 2}" stroke="${COLORS.limit}" stroke-width="2"/>`,
      `<text x="${round(x(ratio) + 4)}" y="${y + 14}">${goal.ratio === undefined ? 'n/a' : `${goal.ratio}x`}</text>`,
    );
  });
  const axisY = top + 26 + goals.length * ROW + 4;
  svg.push(`<line x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH + BAR_WIDTH}" y1="${axisY}" y2="${axisY}" stroke="${COLORS.axis}"/>`);
  for (let t = 0; t <= 4; t++) {
    const value = (maxRatio * t) / 4;
    svg.push(`<text x="${round(x(value))}" y="${axisY + 14}" text-anchor="middle" fill="${COLORS.axis}">${round(value)}x</text>`);
  }
  return { svg, height: axisY + 24 - top };
}

function scatterPanel(points: readonly ChartPoint[], top: number): { svg: string[]; height: number } {
  const left = 80;
  const plotWidth = WIDTH - left - 40;
  const plotTop = top + 30;
  const maxX = niceCeiling(Math.max(1, ...points.map((p) => p.resources)));
  const maxY = niceCeiling(Math.max(1, ...points.map((p) => p.ms)));
  const x = (v: number) => left + (v / maxX) * plotWidth;
  const y = (v: number) => plotTop + SCATTER_HEIGHT - (v / maxY) * SCATTER_HEIGHT;
  const svg = [
    `<text x="10" y="${top + 14}" font-weight="bold">Synthesis (load + construct + synth, ms) against CloudFormation resources in one app</text>`,
    `<line x1="${left}" x2="${left + plotWidth}" y1="${y(0)}" y2="${y(0)}" stroke="${COLORS.axis}"/>`,
    `<line x1="${left}" x2="${left}" y1="${plotTop}" y2="${y(0)}" stroke="${COLORS.axis}"/>`,
  ];
  for (let t = 0; t <= 4; t++) {
    svg.push(
      `<text x="${round(x((maxX * t) / 4))}" y="${y(0) + 16}" text-anchor="middle" fill="${COLORS.axis}">${round((maxX * t) / 4)}</text>`,
      `<text x="${left - 6}" y="${round(y((maxY * t) / 4) + 4)}" text-anchor="end" fill="${COLORS.axis}">${round((maxY * t) / 4)}</text>`,
    );
  }
  svg.push(`<text x="${left + plotWidth / 2}" y="${y(0) + 32}" text-anchor="middle" fill="${COLORS.axis}">resources</text>`);
  const sorted = [...points].sort((a, b) => a.resources - b.resources);
  if (sorted.length > 1) {
    svg.push(`<polyline fill="none" stroke="${COLORS.line}" stroke-width="2" points="${sorted.map((p) => `${round(x(p.resources))},${round(y(p.ms))}`).join(' ')}"/>`);
  }
  for (const p of sorted) {
    svg.push(
      `<circle cx="${round(x(p.resources))}" cy="${round(y(p.ms))}" r="4" fill="${COLORS.line}"/>`,
      `<text x="${round(x(p.resources) + 8)}" y="${round(y(p.ms) - 6)}">${escapeXml(`${p.label}: ${Math.round(p.ms)} ms, ${p.resources} resources`)}</text>`,
    );
  }
  return { svg, height: SCATTER_HEIGHT + 70 };
}

/** The whole chart: the goal panel above the scaling panel. */
export function renderChart(goals: readonly ChartGoal[], points: readonly ChartPoint[], caption: string): string {
  const goalPart = goalPanel(goals, 10);
  const scatterTop = 10 + goalPart.height + 20;
  const scatterPart = scatterPanel(points, scatterTop);
  const height = scatterTop + scatterPart.height + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...goalPart.svg,
    ...scatterPart.svg,
    `<text x="10" y="${height - 8}" fill="${COLORS.axis}">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

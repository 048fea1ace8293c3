import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { FINDING_FAMILIES, FindingFamily } from '../../src/core/acknowledgements';

/** The compliance document whose "cdk-nag acknowledgements" table is rendered from the acknowledgements module. */
export const COMPLIANCE_DOC_PATH = join(__dirname, '..', '..', 'docs', 'compliance.md');

const TABLE_HEADING = '## cdk-nag acknowledgements';

const TABLE_HEADER = ['| finding | where | reason |', '|---|---|---|'];

function row(family: FindingFamily): string {
  const ids = family.ids.map((id) => `\`${id}\``).join(', ');
  const finding = family.reported ? `${ids} (not acknowledged: reported)` : ids;
  return `| ${finding} | ${family.where} | ${family.reason.replace(/\|/g, '\\|')} |`;
}

/** The acknowledgement table, header included, one row per finding family in the module's order. */
export function renderAcknowledgementTable(): string[] {
  return [...TABLE_HEADER, ...Object.values(FINDING_FAMILIES).map(row)];
}

/** Where the table is in the document's lines: its header, up to the first line that is not a table row. */
export function acknowledgementTableRange(lines: string[]): { start: number; end: number } {
  const start = lines.findIndex((line, i) => line === TABLE_HEADER[0] && lines.slice(0, i).includes(TABLE_HEADING));
  if (start < 0) throw new Error(`docs/compliance.md has no "${TABLE_HEADING}" table`);
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return { start, end };
}

/** The document with its acknowledgement table replaced by the rendering; the prose around it is kept. */
export function docWithRenderedTable(doc: string): string {
  const lines = doc.split('\n');
  const { start, end } = acknowledgementTableRange(lines);
  return [...lines.slice(0, start), ...renderAcknowledgementTable(), ...lines.slice(end)].join('\n');
}

// `npx ts-node -P tsconfig.dev.json test/harness/acknowledgement-table.ts` rewrites the table in docs/compliance.md.
if (require.main === module) {
  writeFileSync(COMPLIANCE_DOC_PATH, docWithRenderedTable(readFileSync(COMPLIANCE_DOC_PATH, 'utf8')));
}

import { readFileSync } from 'fs';
import { acknowledgementTableRange, COMPLIANCE_DOC_PATH, docWithRenderedTable, renderAcknowledgementTable } from './harness/acknowledgement-table';
import { FINDING_FAMILIES } from '../src/core/acknowledgements';

const doc = readFileSync(COMPLIANCE_DOC_PATH, 'utf8');

describe('docs/compliance.md cdk-nag acknowledgements table', () => {
  test('is the rendering of the acknowledgements module (regenerate: npx ts-node -P tsconfig.dev.json test/harness/acknowledgement-table.ts)', () => {
    const lines = doc.split('\n');
    const { start, end } = acknowledgementTableRange(lines);
    expect(lines.slice(start, end)).toEqual(renderAcknowledgementTable());
  });

  test('a family changed in the module no longer matches the document', () => {
    const family = FINDING_FAMILIES.apiCache as { reason: string };
    const reason = family.reason;
    family.reason = `${reason} (changed)`;
    try {
      expect(docWithRenderedTable(doc)).not.toEqual(doc);
    } finally {
      family.reason = reason;
    }
  });
});

import { readFileSync } from 'fs';
import { acknowledgementTableRange, README_PATH, readmeWithRenderedTable, renderAcknowledgementTable } from './harness/acknowledgement-table';
import { FINDING_FAMILIES } from '../src/private/acknowledgements';

const readme = readFileSync(README_PATH, 'utf8');

describe('README cdk-nag acknowledgements table', () => {
  test('is the rendering of the acknowledgements module (regenerate: npx ts-node -P tsconfig.dev.json test/harness/acknowledgement-table.ts)', () => {
    const lines = readme.split('\n');
    const { start, end } = acknowledgementTableRange(lines);
    expect(lines.slice(start, end)).toEqual(renderAcknowledgementTable());
  });

  test('a family changed in the module no longer matches the README', () => {
    const family = FINDING_FAMILIES.apiCache as { reason: string };
    const reason = family.reason;
    family.reason = `${reason} (changed)`;
    try {
      expect(readmeWithRenderedTable(readme)).not.toEqual(readme);
    } finally {
      family.reason = reason;
    }
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScannedApp, SCANNED_ENV, ScannedStack, writeTemplates } from './scanned-stacks';
import { TOLERATED_SCANNER_FINDINGS, toleratedFindingLines } from './tolerated-scanner-findings';
import { runCfnLintWithServerlessRules, runCheckov, runControlTowerRules, ScannerFinding } from '../harness/scanners';

// Each stack is synthesized once and each scanner runs once over all templates (checkov alone takes seconds to start).
let dir: string;
let stacks: ScannedStack[];
let findings: ScannerFinding[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scanned-'));
  stacks = writeTemplates(buildScannedApp(), dir);
  findings = [...runCheckov(dir), ...runControlTowerRules(dir), ...runCfnLintWithServerlessRules(dir, SCANNED_ENV.region)];
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `scanner id resource @ stack`, the resource named by its construct path as in the tolerated list. */
function findingLine(finding: ScannerFinding): string {
  const resource = stacks.find((s) => s.stackName === finding.stack)?.resourceOf.get(finding.resource) ?? finding.resource;
  return `${finding.scanner} ${finding.id} ${resource} @ ${finding.stack}`;
}

const sorted = (lines: string[]) => [...new Set(lines)].sort();

test('the example stacks and a default stack of each public construct are scanned', () => {
  expect(stacks.map((s) => s.stackName).sort()).toEqual([
    'default-artifact-bucket', 'default-encrypted-function', 'default-secure-table', 'default-serverless-service',
    'default-stack-protection', 'default-validated-rest-api', 'orders-dev', 'orders-prod', 'orders-staging',
  ]);
  // Each scanner read every template (a scanner that silently scanned nothing would report nothing).
  for (const scanner of ['checkov', 'control-tower', 'cfn-lint']) {
    expect(findings.filter((f) => f.scanner === scanner).length).toBeGreaterThan(0);
  }
});

test('checkov, the Control Tower controls and cfn-lint-serverless report exactly the tolerated findings', () => {
  expect(sorted(findings.map(findingLine))).toEqual(sorted(toleratedFindingLines()));
});

test('orders-prod: none of the security review\'s findings is left', () => {
  const review = findings.filter((f) => f.stack === 'orders-prod').map(findingLine).filter((line) =>
    /^checkov CKV_AWS_364 |^control-tower CT\.KMS\.PR\.3 |^control-tower CT\.LAMBDA\.PR\.2 SecretRotation|^cfn-lint W3005 Handler\/DeploymentGroup/.test(line));
  expect(review).toEqual([]);
});

test('no template hides a finding with suppression metadata', () => {
  for (const file of readdirSync(dir)) {
    const template = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const metadata = [template.Metadata, ...Object.values(template.Resources ?? {}).map((r: any) => r.Metadata)].filter(Boolean);
    const suppressions = metadata.flatMap((m) => Object.keys(m)).filter((key) => /checkov|cfn[-_]?lint|cfn_nag|guard/i.test(key));
    expect({ file, suppressions }).toEqual({ file, suppressions: [] });
  }
});

test('docs/compliance.md lists every tolerated finding id', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'compliance.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Tolerated scanner findings'), doc.indexOf('## cdk-nag acknowledgements'));
  const missing = [...new Set(TOLERATED_SCANNER_FINDINGS.map((f) => f.id))].filter((id) => !section.includes(`\`${id}\``));
  expect(missing).toEqual([]);
});

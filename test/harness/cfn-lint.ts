import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPython } from '../../cli/python';

/** One cfn-lint match. */
export interface CfnLintFinding {
  /** Rule id such as `E3002` or `W3005`. */
  readonly rule: string;
  /** `Error`, `Warning` or `Informational`. */
  readonly level: string;
  readonly message: string;
  readonly path: ReadonlyArray<string | number>;
}

/** CDK emits a DependsOn that a GetAtt already implies; this is the one finding tolerated. */
export const TOLERATED_CFN_LINT_RULES: ReadonlySet<string> = new Set(['W3005']);

/** Runs the project's pinned cfn-lint over a synthesized template and returns its findings. */
export function runCfnLint(template: unknown, regions: string[] = ['us-east-1']): CfnLintFinding[] {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
  try {
    const file = join(dir, 'template.json');
    writeFileSync(file, JSON.stringify(template));
    const result = spawnSync(
      projectPython(),
      ['-c', 'import sys; from cfnlint.runner import main; sys.exit(main())', '--format', 'json', '--regions', ...regions, '--', file],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.error) throw result.error;
    // cfn-lint exits non-zero whenever it finds something; a crash prints no JSON.
    const stdout = result.stdout.trim();
    if (!stdout.startsWith('[')) {
      throw new Error(`cfn-lint did not run (exit ${result.status}): ${result.stderr || stdout}`);
    }
    return (JSON.parse(stdout) as any[]).map((m) => ({
      rule: m.Rule.Id,
      level: m.Level,
      message: m.Message,
      path: m.Location?.Path ?? [],
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The findings that are not tolerated, formatted for readable test failures. */
export function untoleratedCfnLintFindings(template: unknown, regions?: string[]): string[] {
  return runCfnLint(template, regions)
    .filter((f) => !TOLERATED_CFN_LINT_RULES.has(f.rule))
    .map((f) => `${f.rule} ${f.level} at ${f.path.join('/')}: ${f.message}`);
}

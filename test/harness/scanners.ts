import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectPython } from '../../cli/python';

/** One finding of a third-party scanner on one resource of one template. */
export interface ScannerFinding {
  /** `checkov`, `control-tower` or `cfn-lint`. */
  readonly scanner: string;
  /** The scanner's id: `CKV_AWS_117`, `CT.LAMBDA.PR.3`, `WS1004`. */
  readonly id: string;
  /** The template's file name without `.template.json`: the stack name. */
  readonly stack: string;
  /** Logical id of the resource, or `-` for a template-level finding. */
  readonly resource: string;
  readonly message: string;
}

const TEMPLATE_SUFFIX = '.template.json';

function stackOf(file: string): string {
  return file.split('/').pop()!.replace(TEMPLATE_SUFFIX, '');
}

function templateFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(TEMPLATE_SUFFIX)).map((f) => join(dir, f)).sort();
}

/**
 * Runs a scanner and parses its JSON report. Scanners exit non-zero whenever they find something, so the exit status
 * says nothing: a run that printed no JSON report failed.
 */
function runForJson(command: string, args: string[], env: NodeJS.ProcessEnv = {}): any {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`${command} ${args.slice(0, 4).join(' ')} printed no JSON report (exit ${result.status}): ${result.stderr || result.stdout}`);
  }
}

/** Checkov's CloudFormation checks over every template of `dir`, offline (no platform calls, no downloads). */
export function runCheckov(dir: string): ScannerFinding[] {
  const output = runForJson(projectPython(), [
    '-m', 'checkov.main', '--framework', 'cloudformation', '--directory', dir, '--output', 'json', '--quiet', '--compact', '--skip-download',
  ], {
    // No calls out: no platform mapping download, no check for a newer release on the package index.
    BC_SKIP_MAPPING: 'TRUE',
    CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true',
    LOG_LEVEL: 'WARNING',
  });
  // One report per framework; a list when checkov ran more than one.
  const reports = [output].flat() as any[];
  return reports.flatMap((report) => (report.results?.failed_checks ?? []).map((check: any) => ({
    scanner: 'checkov',
    id: check.check_id as string,
    stack: stackOf(check.file_path),
    resource: String(check.resource).split('.').pop()!,
    message: check.check_name as string,
  })));
}

const CFN_GUARD_PACKAGE = dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));

/** The cfn-guard binary bundled in `@cdklabs/cdk-validator-cfnguard` for this machine. */
function cfnGuardBinary(): string {
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  const os = process.platform === 'darwin' ? 'macos' : 'ubuntu';
  return join(CFN_GUARD_PACKAGE, 'bin', os, arch, 'cfn-guard');
}

/** Logical ids of the resources a cfn-guard result points at (`/Resources/<id>/...` paths). */
function resourcesIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const child of node) resourcesIn(child, found);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const match = key === 'path' && typeof value === 'string' ? /^\/Resources\/([^/]+)/.exec(value) : null;
      if (match) found.add(match[1]);
      else resourcesIn(value, found);
    }
  }
  return found;
}

/** The AWS Control Tower proactive controls shipped in `@cdklabs/cdk-validator-cfnguard`, over every template of `dir`. */
export function runControlTowerRules(dir: string): ScannerFinding[] {
  const rulesDir = join(CFN_GUARD_PACKAGE, 'rules', 'control-tower', 'cfn-guard');
  const reports: any[] = runForJson(cfnGuardBinary(), ['validate', '--rules', rulesDir, '--data', dir, '--output-format', 'json', '--show-summary', 'none', '--structured']);
  return reports.flatMap((report) => (report.not_compliant ?? []).flatMap((rule: any) => {
    const text = JSON.stringify(rule);
    const ids = [...new Set([...text.matchAll(/\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/g)].map((m) => m[1]))];
    const resources = [...resourcesIn(rule)];
    return ids.flatMap((id) => resources.map((resource) => ({
      scanner: 'control-tower',
      id,
      stack: stackOf(report.name),
      resource,
      message: /\[CT\.[^\]]+\]: ([^\n]*)/.exec(text.replace(/\\n/g, '\n'))?.[1] ?? rule.Rule?.name ?? '',
    })));
  }));
}

/** cfn-lint (the pinned release) with the rules of cfn-lint-serverless, over every template of `dir`. */
export function runCfnLintWithServerlessRules(dir: string, region: string): ScannerFinding[] {
  const matches: any[] = runForJson(projectPython(), [
    '-c', 'import sys; from cfnlint.runner import main; sys.exit(main())',
    '--append-rules', 'cfn_lint_serverless.rules', '--format', 'json', '--regions', region, '--', ...templateFiles(dir),
  ]);
  return matches.map((match) => ({
    scanner: 'cfn-lint',
    id: match.Rule.Id as string,
    stack: stackOf(match.Filename),
    resource: match.Location?.Path?.[0] === 'Resources' ? String(match.Location.Path[1]) : '-',
    message: match.Message as string,
  }));
}

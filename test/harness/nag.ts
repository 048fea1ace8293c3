import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { IConstruct } from 'constructs';

/** One cdk-nag finding on one construct. */
export interface NagFinding {
  /** Pack name, e.g. `AwsSolutions`. */
  readonly pack: string;
  /** Rule id, e.g. `AwsSolutions-S1`, or `AwsSolutions-IAM5[Resource::*]` for a granular finding. */
  readonly ruleId: string;
  /** `error` or `warning`. */
  readonly severity: string;
  /** Construct path of the violating resource. */
  readonly path: string;
  readonly description: string;
}

export const NAG_PACKS: ReadonlyArray<() => NagPack> = [
  () => new AwsSolutionsChecks(),
  () => new HIPAASecurityChecks(),
  () => new NIST80053R4Checks(),
  () => new NIST80053R5Checks(),
  () => new PCIDSS321Checks(),
  () => new ServerlessChecks(),
];

/** Runs all six cdk-nag v3 packs over the construct tree and returns every unacknowledged finding. */
export function runNagPacks(scope: IConstruct): NagFinding[] {
  const findings: NagFinding[] = [];
  for (const makePack of NAG_PACKS) {
    const pack = makePack();
    const report = pack.validateScope(scope);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        findings.push({
          pack: pack.readPackName,
          ruleId: violation.ruleName,
          severity: violation.severity ?? 'error',
          path: resource.constructPath ?? resource.resourceLogicalId ?? '',
          description: violation.description,
        });
      }
    }
  }
  return findings;
}

/** Findings on constructs at or below the given path prefix, formatted for readable test failures. */
export function findingsUnder(findings: NagFinding[], pathPrefix: string): string[] {
  return findings
    .filter((f) => f.path === pathPrefix || f.path.startsWith(`${pathPrefix}/`))
    .map((f) => `${f.severity} ${f.ruleId} at ${f.path}: ${f.description}`);
}

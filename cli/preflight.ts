import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PreflightCommandOptions } from './arguments';
import { appSource, synthesize } from './assembly';
import type { AwsClientSettings, CheckResult, PreflightStack } from './preflight-checks';
import { providePreflightSdk } from './preflight-sdk';

/** The checks, loaded only when preflight runs, once the SDK clients they call are available (see preflight-sdk). */
function loadChecks(): typeof import('./preflight-checks') {
  providePreflightSdk();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./preflight-checks');
}

/** The default qualifier's bootstrap version parameter, when the manifest names none. */
const DEFAULT_BOOTSTRAP_PARAMETER = '/cdk-bootstrap/hnb659fds/version';

/** The stacks of a cloud assembly as preflight reads them: template, environment and bootstrap requirement. */
export function readPreflightStacks(assemblyDir: string): PreflightStack[] {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => {
      const template = JSON.parse(readFileSync(join(assemblyDir, artifact.properties.templateFile), 'utf8'));
      const [, account, region] = /^aws:\/\/([^/]*)\/(.*)$/.exec(artifact.environment ?? '') ?? [];
      const requiredVersion = artifact.properties.requiresBootstrapStackVersion;
      return {
        stackName: artifact.properties.stackName ?? id,
        template: { Resources: template.Resources ?? {} },
        account: account ?? 'unknown-account',
        region: region ?? 'unknown-region',
        bootstrap: typeof requiredVersion === 'number'
          ? { requiredVersion, parameterName: artifact.properties.bootstrapStackVersionSsmParameter ?? DEFAULT_BOOTSTRAP_PARAMETER }
          : undefined,
      };
    });
}

/** The stack to check: `--stack`, or the app's only stack. */
export function choosePreflightStack(stacks: PreflightStack[], stackName: string | undefined): PreflightStack {
  const names = stacks.map((s) => s.stackName).join(', ');
  if (stackName !== undefined) {
    const stack = stacks.find((s) => s.stackName === stackName);
    if (!stack) throw new Error(`No stack "${stackName}" in the app; its stacks: ${names}.`);
    return stack;
  }
  if (stacks.length !== 1) throw new Error(`Choose a stack with --stack; the app's stacks: ${names}.`);
  return stacks[0];
}

/** The region to check: `--region`, else the stack's, else the SDK's environment. */
export function preflightRegion(stack: PreflightStack, region: string | undefined): string {
  const chosen = region ?? (stack.region.startsWith('unknown-') ? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION : stack.region);
  if (!chosen) throw new Error(`The stack ${stack.stackName} has no region: give --region (or set AWS_REGION).`);
  return chosen;
}

/** The report: every check with what it saw, each problem with its fix, and the verdict. */
export function formatPreflightReport(stack: PreflightStack, region: string, results: CheckResult[]): string {
  const lines = [`Preflight of ${stack.stackName} in ${region}:`];
  for (const result of results) {
    lines.push(`  ${result.problems.length === 0 ? 'ok     ' : 'PROBLEM'} ${result.check}: ${result.checked}`);
    for (const problem of result.problems) {
      lines.push(`          ${problem.blocking ? 'blocks the deployment' : 'warning'}: ${problem.message}`, `          fix: ${problem.fix}`);
    }
  }
  const blocking = results.flatMap((r) => r.problems).filter((p) => p.blocking).length;
  lines.push(blocking === 0 ? 'Nothing blocks a deployment.' : `${blocking} problem(s) block the deployment.`);
  return lines.join('\n');
}

/**
 * `cdk-secure-serverless preflight`: synthesizes the app, checks the account and region with read-only calls, prints
 * the report; resolves with 1 when a problem blocks the deployment.
 */
export async function runPreflight(options: PreflightCommandOptions, settings: Partial<AwsClientSettings> = {}): Promise<number> {
  try {
    const source = appSource(options.app, process.cwd());
    const assemblyDir = await synthesize(source);
    let stack: PreflightStack;
    try {
      stack = choosePreflightStack(readPreflightStacks(assemblyDir), options.stack);
    } finally {
      if (!source.assemblyDir) rmSync(assemblyDir, { recursive: true, force: true });
    }
    const region = preflightRegion(stack, options.region);
    const results = await loadChecks().runPreflightChecks(stack, { ...settings, region, profile: options.profile });
    process.stdout.write(`${formatPreflightReport(stack, region, results)}\n`);
    return results.some((r) => r.problems.some((p) => p.blocking)) ? 1 : 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

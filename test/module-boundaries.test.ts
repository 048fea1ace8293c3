import { join } from 'node:path';
// The ESLint class that reads .eslintrc.json (what `npx projen eslint` uses, with ESLINT_USE_FLAT_CONFIG=false).
import { LegacyESLint } from 'eslint/use-at-your-own-risk';

const root = join(__dirname, '..');

/** The rules that draw the module boundaries (configured in .projenrc.ts). */
const BOUNDARY_RULES = ['import/no-restricted-paths', 'no-restricted-imports', '@typescript-eslint/no-restricted-imports'];

const project = new LegacyESLint({ cwd: root });

/**
 * Lints `code` as if it were the file at `filePath`, with the project's settings for that path, keeping only the
 * boundary rules (the type-aware rules need the file on disk).
 */
async function boundaryViolations(filePath: string, code: string): Promise<string[]> {
  const config = await project.calculateConfigForFile(filePath);
  const rules = Object.fromEntries(BOUNDARY_RULES.filter((rule) => config.rules?.[rule]).map((rule) => [rule, config.rules![rule]]));
  const eslint = new LegacyESLint({
    cwd: root,
    useEslintrc: false,
    baseConfig: { parser: config.parser ?? undefined, plugins: config.plugins, settings: config.settings, parserOptions: { ecmaVersion: 2022, sourceType: 'module' }, rules },
  });
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('module boundaries', () => {
  test.each([
    ['lambda-src/items/probe.ts', "import { SecureTable } from '../../src/secure-table';"],
    ['lambda-src/items/probe.ts', "import { bundledHandlerCode } from '../../src/private/bundled-code';"],
    ['src/items-contract/probe.ts', "import { Duration } from 'aws-cdk-lib';"],
    ['src/items-contract/probe.ts', "import { Construct } from 'constructs';"],
    ['src/items-contract/probe.ts', "import { SecureTable } from '../secure-table';"],
    ['cli/probe.ts', "import { SecureTable } from '../src/secure-table';"],
    ['cli/probe.ts', "import { createRotatedKey } from '../lib/private/keys';"],
    ['cli/probe.ts', "import { dispatch } from '../lambda-src/items/routes';"],
    ['test/probe.test.ts', "import { untoleratedCfnLintFindings } from './harness/cfn-lint';"],
    ['test/probe.test.ts', "import { startMotoServer } from '../cli/moto-server';"],
    ['src/private/probe.ts', "import { SecureTable } from '../secure-table';"],
  ])('%s may not: %s', async (filePath, importLine) => {
    expect(await boundaryViolations(filePath, `${importLine}\n`)).toEqual([expect.stringMatching(/restricted/)]);
  });

  test.each([
    ['lambda-src/items/probe.ts', "import { validateSchema } from '../../src/items-contract';"],
    ['src/serverless-service-probe.ts', "import { createItemRequestSchema } from './items-contract';"],
    ['cli/probe.ts', "import { ServerlessService } from '../lib';"],
    ['cli/probe.ts', "import { validateSchema } from '../lib/items-contract';"],
    ['test/compliance/probe.test.ts', "import { untoleratedCfnLintFindings } from '../harness/cfn-lint';"],
    ['src/private/probe.ts', "import type { SecureTable } from '../secure-table';"],
    ['src/private/probe.ts', "import { GATEWAY_ERRORS } from '../items-contract';"],
  ])('%s may: %s', async (filePath, importLine) => {
    expect(await boundaryViolations(filePath, `${importLine}\n`)).toEqual([]);
  });
});

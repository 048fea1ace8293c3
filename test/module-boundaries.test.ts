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
    ['lambda-src/items/probe.ts', "import { SecureTable } from '../../src/table';"],
    ['lambda-src/items/probe.ts', "import { bundledHandlerCode } from '../../src/core';"],
    ['src/contract/probe.ts', "import { Duration } from 'aws-cdk-lib';"],
    ['src/contract/probe.ts', "import { Construct } from 'constructs';"],
    ['src/contract/probe.ts', "import { SecureTable } from '../table';"],
    ['src/openapi/probe.ts', "import { SecureTable } from '../table';"],
    ['cli/probe.ts', "import { SecureTable } from '../src/table';"],
    ['cli/probe.ts', "import { createRotatedKey } from '../lib/core/keys';"],
    ['cli/probe.ts', "import { dispatch } from '../lambda-src/items/routes';"],
    ['test/probe.test.ts', "import { untoleratedCfnLintFindings } from './harness/cfn-lint';"],
    ['test/probe.test.ts', "import { startMotoServer } from '../cli/moto-server';"],
    ['src/items-service/probe.ts', "import { createTableAlarms } from '../table/table-alarms';"],
    ['src/core/probe.ts', "import { SecureTable } from '../table';"],
    ['src/table/probe.ts', "import { SecureTable } from './secure-table';"],
  ])('%s may not: %s', async (filePath, importLine) => {
    expect(await boundaryViolations(filePath, `${importLine}\n`)).toEqual([expect.stringMatching(/restricted/)]);
  });

  test.each([
    ['lambda-src/items/probe.ts', "import { validateSchema } from '../../src/contract';"],
    ['lambda-src/items/probe.ts', "import { createItemRequestSchema } from '../../src/contract/items';"],
    ['src/items-service/probe.ts', "import { SecureTable } from '../table';"],
    ['src/items-service/probe.ts', "import { createItemRequestSchema } from '../contract/items';"],
    ['cli/probe.ts', "import { ServerlessService } from '../lib';"],
    ['cli/probe.ts', "import { validateSchema } from '../lib/contract/items';"],
    ['cli/probe.ts', "import { openApiDocument } from '../lib/openapi';"],
    ['test/compliance/probe.test.ts', "import { untoleratedCfnLintFindings } from '../harness/cfn-lint';"],
    ['src/table/probe.ts', "import type { SecureTable } from './secure-table';"],
    ['src/rest-api/probe.ts', "import { GATEWAY_ERRORS } from '../contract';"],
  ])('%s may: %s', async (filePath, importLine) => {
    expect(await boundaryViolations(filePath, `${importLine}\n`)).toEqual([]);
  });
});

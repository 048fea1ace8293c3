import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
// The ESLint class that reads .eslintrc.json (what `npx projen eslint` uses, with ESLINT_USE_FLAT_CONFIG=false).
import { LegacyESLint } from 'eslint/use-at-your-own-risk';
import * as ts from 'typescript';

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
    ['test/table/probe.test.ts', "import { startMotoServer } from '../../cli/moto-server';"],
    ['test/lambda/probe.test.ts', "import { startMotoServer } from '../../cli/moto-server';"],
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
    ['test/compliance/probe.emulator.test.ts', "import { untoleratedCfnLintFindings } from '../harness/cfn-lint';"],
    ['src/table/probe.ts', "import type { SecureTable } from './secure-table';"],
    ['src/rest-api/probe.ts', "import { GATEWAY_ERRORS } from '../contract';"],
  ])('%s may: %s', async (filePath, importLine) => {
    expect(await boundaryViolations(filePath, `${importLine}\n`)).toEqual([]);
  });
});

/** Every relative import of each src/ module, type-only imports included (`ts.preProcessFile` reads them all). */
function sourceImportGraph(): Map<string, string[]> {
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts')).map((file) => join('src', file));
  const resolve = (from: string, specifier: string): string | undefined => {
    const target = join(dirname(from), specifier);
    return [`${target}.ts`, join(target, 'index.ts')].find((candidate) => files.includes(candidate));
  };
  return new Map(files.map((file) => [file, ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(file, specifier))
    .filter((target): target is string => target !== undefined)]));
}

/** The import cycles of `graph`: its strongly connected components of more than one module (Tarjan). */
function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (module: string): void => {
    index.set(module, index.size);
    low.set(module, index.get(module)!);
    stack.push(module);
    for (const next of graph.get(module) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(module, Math.min(low.get(module)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(module, Math.min(low.get(module)!, index.get(next)!));
      }
    }
    if (low.get(module) === index.get(module)) {
      const component = stack.splice(stack.indexOf(module));
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const module of graph.keys()) if (!index.has(module)) visit(module);
  return cycles;
}

describe('import cycles in src/', () => {
  test('there are none, counting type-only imports: a helper never imports its construct', () => {
    expect(importCycles(sourceImportGraph())).toEqual([]);
  });

  test('a helper importing its construct would be found', () => {
    const graph = sourceImportGraph();
    graph.set('src/table/table-alarms.ts', [...graph.get('src/table/table-alarms.ts')!, 'src/table/secure-table.ts']);
    expect(importCycles(graph)).toEqual([expect.arrayContaining(['src/table/secure-table.ts', 'src/table/table-alarms.ts'])]);
  });
});

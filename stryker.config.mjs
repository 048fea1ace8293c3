// Mutation testing (`npx projen mutation`, one scope: `npx projen mutation:lambda-src` etc.): StrykerJS changes the
// sources one small mistake at a time and runs the tests that cover each change; a mutant no test kills is a behaviour
// no test holds. Results: docs/mutation.md (build-tools/mutation-report.mjs), reports/mutation/<scope>/.
//
// Each scope mutates one folder and runs only the tests that load that folder's sources in-process: the handler tests
// load lambda-src/ through ts-jest (not the bundle in assets/), the local-mode tests import cli/ (the suites that
// spawn the compiled lib-cli/ never see a mutant and are left out), the construct tests import src/.

import { readFileSync } from 'node:fs';

/** The feature folders of src/ whose tests build constructs (the other test/ suites read build outputs: .jsii, lib/). */
const CONSTRUCT_FEATURES = ['core', 'table', 'bucket', 'function', 'rest-api', 'items-service', 'stack-protection'];

/**
 * One scope per src/ feature folder: `src-<feature>` mutates `modules` and runs test/<feature>/, with the two suites of
 * test/core/ that hold every construct's checks in one table each: token-props ("must be a literal") and
 * documented-bounds (each AWS limit at the limit and one step beyond); `src-core` runs every feature's tests.
 */
function srcFeatureScopes(modulesByFeature) {
  return Object.fromEntries(Object.entries(modulesByFeature).map(([feature, modules]) => [`src-${feature}`, {
    mutate: modules,
    // core/ is what every feature validates with: a mistake there shows in any feature's suite, so core runs them all;
    // against test/core/ alone, 6 of its 17 mutants survived.
    tests: feature === 'core' ? CONSTRUCT_FEATURES.map((name) => `test/${name}/*.test.ts`)
      : [`test/${feature}/*.test.ts`, 'test/core/token-props.test.ts', 'test/core/documented-bounds.test.ts'],
    // construct-errors scans the sources for throw statements, and finds Stryker's own in the instrumented ones.
    ignoredTests: ['/test/core/construct-errors\\.test\\.ts$'],
    tsconfigFile: 'tsconfig.dev.json',
    moto: false,
  }]));
}

const SCOPES = {
  'lambda-src': {
    mutate: ['lambda-src/**/*.ts'],
    tests: ['test/lambda/**/*.test.ts'],
    ignoredTests: [
      // They test the bundle in assets/, which a mutant of the sources does not reach.
      '/test/lambda/items-bundle\\.emulator\\.test\\.ts$', '/test/lambda/cold-start-trims\\.emulator\\.test\\.ts$',
    ],
    tsconfigFile: 'lambda-src/tsconfig.json',
    moto: true,
  },
  'cli': {
    mutate: ['cli/**/*.ts', '!cli/main.ts', '!cli/watch.ts', '!cli/python.ts', '!cli/moto-server.ts'],
    tests: ['test/cli/local-gateway.emulator.test.ts', 'test/cli/local-hostile.emulator.test.ts', 'test/cli/gateway-fidelity.emulator.test.ts',
      'test/cli/local-authorizer.emulator.test.ts', 'test/cli/commands.emulator.test.ts', 'test/cli/emulated-resources.emulator.test.ts',
      'test/cli/preflight.emulator.test.ts', 'test/cli/arguments.emulator.test.ts', 'test/cli/emulated-attributes.emulator.test.ts',
      'test/cli/sigv4-malformed.emulator.test.ts', 'test/cli/api-docs.emulator.test.ts', 'test/cli/api-selection.emulator.test.ts',
      'test/cli/auth-instructions.emulator.test.ts', 'test/cli/example-body.emulator.test.ts', 'test/cli/function-loader.emulator.test.ts',
      'test/cli/warm-synthesizer.emulator.test.ts', 'test/cli/synth-worker.emulator.test.ts', 'test/cli/emulated-resource-types.emulator.test.ts',
      'test/cli/preflight-denied.emulator.test.ts', 'test/cli/sigv4-incomplete.emulator.test.ts'],
    ignoredTests: [],
    tsconfigFile: 'cli/tsconfig.json',
    moto: true,
  },
  // src/ is one scope per feature: each feature's validation and policy modules against that feature's own tests
  // (test/<feature>/). Every construct test runs the validation, so one src scope ran all of them for each mutant
  // (about 25 s a mutant, 4 to 7 hours for the folder); a feature's own suite takes 3 to 17 s.
  // The modules of each feature: build-tools/mutation-src-modules.json, which .projenrc.ts reads for the task list.
  ...srcFeatureScopes(JSON.parse(readFileSync(new URL('./build-tools/mutation-src-modules.json', import.meta.url), 'utf8'))),
};

const scopeName = process.env.MUTATION_SCOPE ?? 'lambda-src';
const scope = SCOPES[scopeName];
if (!scope) throw new Error(`MUTATION_SCOPE "${scopeName}" is not one of ${Object.keys(SCOPES).join(', ')}`);
const reportDir = `reports/mutation/${scopeName}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  checkers: ['typescript'],
  tsconfigFile: scope.tsconfigFile,
  mutate: scope.mutate,
  jest: {
    projectType: 'custom',
    // The handler suites load lambda-src/ through a computed path (items-fixture.ts: require(ITEMS_HANDLER_SOURCE)),
    // which jest's --findRelatedTests cannot see: with it, the first run ran 5 of 10 suites and left most mutants
    // untested. Per-test coverage already picks the tests that reach each mutant.
    enableFindRelatedTests: false,
    config: {
      // Stryker merges this over package.json's jest config key by key: without this, package.json's two `projects`
      // win over testMatch, every suite of the repository runs, and the emulator project's globalTeardown stops the
      // worker's moto after each run, so the next run's suites fail their setup on a dead endpoint.
      projects: null,
      testMatch: scope.tests.map((pattern) => `<rootDir>/${pattern}`),
      testPathIgnorePatterns: ['/node_modules/', ...scope.ignoredTests],
      testTimeout: 120_000,
      clearMocks: true,
      moduleNameMapper: { '^cdk-secure-serverless$': '<rootDir>/src/index.ts' },
      transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] },
      // One moto server per Stryker worker, kept across its test runs (test/harness/moto-once-setup.ts).
      ...(scope.moto ? { globalSetup: '<rootDir>/test/harness/moto-once-setup.ts' } : {}),
    },
  },
  coverageAnalysis: 'perTest',
  // Code run while a suite loads the handler or fills its table (beforeAll) is "static" to Stryker: each such mutant
  // reloads everything and runs every test. On lambda-src/items that was 41 % of the mutants and 75 % of the time (a
  // first run estimated at 40 minutes on two shared cores), so static mutants are skipped; docs/mutation.md counts them.
  ignoreStatic: true,
  // ts-jest type-checks nothing here; the checker drops mutants that do not compile, and the mutated files carry
  // @ts-nocheck so ts-jest transpiles them.
  disableTypeChecks: '{lambda-src,cli,src}/**/*.ts',
  ignorePatterns: ['.venv', 'dist', 'cdk.out', 'examples/cdk.out', 'test/integ/*.snapshot', 'test/languages', 'bench/results',
    'test-reports', 'coverage', '.cache', '.schemathesis', '.jsii', 'tsconfig.tsbuildinfo'],
  // The machine is shared: one test runner and one checker.
  concurrency: 1,
  timeoutMS: 30_000,
  incremental: true,
  incrementalFile: `${reportDir}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  htmlReporter: { fileName: `${reportDir}/mutation.html` },
  clearTextReporter: { allowColor: false, logTests: false },
  tempDirName: '.stryker-tmp',
};

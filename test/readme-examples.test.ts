import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The README's TypeScript blocks and the `@example` of every construct class are what Construct Hub shows, in every
 * language, as jsii-rosetta translates them (post-compile runs `jsii-rosetta extract --strict --compile`). Rosetta
 * compiles them with no fixture, so each must be a whole app: its own imports, an `App`, no `this`.
 */

const root = join(__dirname, '..');

/** The construct classes whose doc comment carries the construct's narrative and a longer example. */
const CONSTRUCTS = ['ServerlessService', 'SecureTable', 'ArtifactBucket', 'EncryptedFunction', 'ValidatedRestApi', 'StackProtection', 'DeploymentStage'];

function expectWholeApp(code: string): void {
  expect(code).toMatch(/^import .* from 'aws-cdk-lib';$/m);
  expect(code).toMatch(/new App\(/);
  expect(code).not.toMatch(/\bthis\b/);
}

test('every TypeScript example in the README is a whole app: rosetta compiles it with no fixture to supply imports or `this`', () => {
  expect(existsSync(join(root, 'rosetta', 'default.ts-fixture'))).toBe(false);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts(.*)\n([\s\S]*?)^```$/gm)];
  expect(blocks.length).toBeGreaterThan(5);
  for (const [, info, code] of blocks) {
    expect(info).not.toMatch(/fixture=/);
    expectWholeApp(code);
  }
});

test('every construct class has an @example in the assembly, a whole app using that construct', () => {
  const assemblyFile = join(root, '.jsii');
  if (!existsSync(assemblyFile)) throw new Error('.jsii is missing: run "npx projen compile" before this test.');
  const types: Record<string, { docs?: { example?: string } }> = JSON.parse(readFileSync(assemblyFile, 'utf8')).types;
  for (const name of CONSTRUCTS) {
    const example = types[`cdk-secure-serverless.${name}`]?.docs?.example;
    expect({ name, hasExample: typeof example === 'string' }).toEqual({ name, hasExample: true });
    expectWholeApp(example!);
    expect(example).toMatch(new RegExp(`\\b${name}\\b`));
  }
});

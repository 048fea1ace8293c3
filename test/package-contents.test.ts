import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

test('the npm tarball ships the compiled library, bundled handlers and the local-mode command, and no sources, tests, examples or documentation beyond README.md and API.md', () => {
  if (!existsSync(join(root, 'lib', 'index.js')) || !existsSync(join(root, '.jsii'))) {
    throw new Error('lib/ or .jsii is missing: run "npx projen compile" before this test (npx projen build does).');
  }
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
  const files: string[] = packed.files.map((f: { path: string }) => f.path);

  for (const required of ['lib/index.js', 'lib/index.d.ts', '.jsii', 'API.md', 'README.md', 'LICENSE', 'assets/items/index.js', 'bin/cdk-secure-serverless', 'lib-cli/main.js']) {
    expect(files).toContain(required);
  }
  expect(JSON.parse(execFileSync('npm', ['pkg', 'get', 'bin'], { cwd: root, encoding: 'utf8' }))).toEqual({ 'cdk-secure-serverless': 'bin/cdk-secure-serverless' });
  const forbidden = files.filter((f) => /^(lambda-src|test|examples|bench|scripts|build-tools|src|cli|\.ci|\.venv|rosetta|docs)\//.test(f) || f === 'CONTRIBUTING.md');
  expect(forbidden).toEqual([]);
});

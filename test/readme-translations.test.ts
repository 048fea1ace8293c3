import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The README's Install section shows one app in TypeScript and, below it, in Python, Java and C#. Those blocks must
 * be jsii-rosetta's translations of the TypeScript block (the tablet `jsii-rosetta extract` writes at post-compile),
 * so they cannot drift from the API or from the TypeScript example.
 */

const root = join(__dirname, '..');

/** The fenced code blocks of the README's `## Install` section, in order, with their info string. */
function installSectionBlocks(): { info: string; code: string }[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Install\n'));
  if (!section) throw new Error('README.md has no "## Install" section');
  return [...section.matchAll(/^```(.*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1].trim(), code: m[2].trimEnd() }));
}

function tabletTranslations(typescript: string): Record<string, string> {
  const tablet = join(root, '.jsii.tabl.json');
  if (!existsSync(tablet)) {
    throw new Error('.jsii.tabl.json is missing: run "npx projen compile" (its post-compile runs jsii-rosetta extract).');
  }
  const snippets: Record<string, { translations: Record<string, { source: string }> }> = JSON.parse(readFileSync(tablet, 'utf8')).snippets;
  const snippet = Object.values(snippets).find((s) => s.translations.$.source.trimEnd() === typescript);
  if (!snippet) {
    throw new Error('the README\'s TypeScript install example is not in .jsii.tabl.json: run "npx projen compile" after editing README.md.');
  }
  return Object.fromEntries(Object.entries(snippet.translations).map(([language, t]) => [language, t.source.trimEnd()]));
}

test('the Python, Java and C# install examples are rosetta\'s translations of the TypeScript one', () => {
  const blocks = installSectionBlocks();
  const typescript = blocks.find((b) => b.info.startsWith('ts'));
  expect(typescript).toBeDefined();
  const translations = tabletTranslations(typescript!.code);

  const shown = Object.fromEntries(blocks.filter((b) => ['python', 'java', 'csharp'].includes(b.info)).map((b) => [b.info, b.code]));
  expect(shown).toEqual({ python: translations.python, java: translations.java, csharp: translations.csharp });
});

test('every TypeScript example in the README is a whole app: rosetta compiles it with no fixture to supply imports or `this`', () => {
  expect(existsSync(join(root, 'rosetta', 'default.ts-fixture'))).toBe(false);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts(.*)\n([\s\S]*?)^```$/gm)];
  expect(blocks.length).toBeGreaterThan(5);
  for (const [, info, code] of blocks) {
    expect(info).not.toMatch(/fixture=/);
    expect(code).toMatch(/^import .* from 'aws-cdk-lib';$/m);
    expect(code).toMatch(/new App\(/);
    expect(code).not.toMatch(/\bthis\b/);
  }
});

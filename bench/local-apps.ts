import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, stop, type Running } from './local-mode';
import { summarize, type Summary } from './stats';

/**
 * Local mode on the apps users run, on one aws-cdk-lib: time to first response of `local --watch` and the time from
 * saving the app's source to the "Reloaded" line, for the example (JavaScript) and a TypeScript consumer app run
 * with ts-node (issue 23 D6).
 */
export interface AppStartReload {
  readonly app: string;
  readonly firstResponse: Summary;
  readonly reload: Summary;
}

const ROOT = join(__dirname, '..');
const POLL_MS = 20;

/** A TypeScript CDK app as a user writes it: one ServerlessService, run by ts-node as `cdk init app --language typescript` does. */
const TS_APP = `import { App, Stack } from 'aws-cdk-lib';
import { DeploymentStage, ServerlessService } from 'cdk-secure-serverless';

const app = new App();
const stack = new Stack(app, 'tickets', { env: { account: '111111111111', region: 'eu-central-1' } });
new ServerlessService(stack, 'Tickets', { serviceName: 'tickets', stage: DeploymentStage.DEV });
app.synth();
`;
const TS_CONFIG = JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true } });
/** ts-node from the app's own node_modules (`npx ts-node` would look for a .bin folder the linked packages lack). */
const TS_NODE_APP = JSON.stringify({ app: 'node -r ts-node/register app.ts' });
const LINKED_PACKAGES = ['aws-cdk-lib', 'constructs', 'ts-node', 'typescript', 'cdk-secure-serverless'];

/** The apps measured, each written into a scratch folder; `app.ts` is the file a reload edits. */
export const LOCAL_APPS: Record<string, Record<string, string>> = {
  'example (examples/)': {
    'app.ts': readFileSync(join(ROOT, 'examples', 'app.ts'), 'utf8'),
    'service-app.ts': readFileSync(join(ROOT, 'examples', 'service-app.ts'), 'utf8'),
    'tsconfig.json': readFileSync(join(ROOT, 'examples', 'tsconfig.json'), 'utf8'),
    'cdk.json': TS_NODE_APP,
  },
  'ts-node consumer app': { 'app.ts': TS_APP, 'tsconfig.json': TS_CONFIG, 'cdk.json': TS_NODE_APP },
};

/**
 * Writes `files` into a scratch folder whose node_modules link aws-cdk-lib, constructs, ts-node, typescript and
 * cdk-secure-serverless from `modules` (a node_modules folder); `library` overrides where the library comes from.
 */
export function writeApp(files: Record<string, string>, modules: string, library = join(modules, 'cdk-secure-serverless')): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-local-app-'));
  mkdirSync(join(dir, 'node_modules'));
  for (const name of LINKED_PACKAGES) {
    symlinkSync(name === 'cdk-secure-serverless' ? library : join(modules, name), join(dir, 'node_modules', name), 'dir');
  }
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

async function waitForReload(running: Running, reloadsBefore: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const output = running.output();
    if (/^Reload failed/m.test(output)) throw new Error(`local mode failed to reload:\n${output}`);
    if ((output.match(/^Reloaded /gm) ?? []).length > reloadsBefore) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`local mode did not reload within ${timeoutMs} ms:\n${running.output()}`);
}

/**
 * `starts` timed starts of `local --watch --app appDir` after one untimed warm-up start; on each, `reloads` edits of
 * the app's `app.ts` (a comment appended), timed from the write to the "Reloaded" line. Removes `appDir` at the end.
 */
export async function measureStartAndReload(
  label: string, appDir: string, starts: number, reloads: number, timeoutMs: number,
): Promise<AppStartReload> {
  const sourceFile = join(appDir, 'app.ts');
  const original = readFileSync(sourceFile, 'utf8');
  const args = ['--watch', '--app', appDir];
  await stop((await start(timeoutMs, args)).running);
  const firstResponseMs: number[] = [];
  const reloadMs: number[] = [];
  try {
    for (let i = 0; i < starts; i++) {
      const { running, firstResponseMs: ms } = await start(timeoutMs, args);
      firstResponseMs.push(ms);
      try {
        await waitForOutput(running, /^Watching /m, timeoutMs);
        for (let r = 0; r < reloads; r++) {
          const before = (running.output().match(/^Reloaded /gm) ?? []).length;
          const savedAt = process.hrtime.bigint();
          writeFileSync(sourceFile, `${original}// bench edit ${i}.${r}\n`);
          await waitForReload(running, before, timeoutMs);
          reloadMs.push(Number(process.hrtime.bigint() - savedAt) / 1e6);
        }
      } finally {
        await stop(running);
      }
    }
  } finally {
    rmSync(appDir, { recursive: true, force: true });
  }
  return { app: label, firstResponse: summarize(firstResponseMs), reload: summarize(reloadMs) };
}

async function waitForOutput(running: Running, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(running.output())) {
    if (Date.now() > deadline) throw new Error(`local mode did not print ${pattern}:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** An aws-cdk-lib to run the apps on: its label and the node_modules (and library) the apps link. */
export interface CdkInstall {
  readonly cdk: string;
  readonly modules: string;
  readonly library?: string;
}

export interface LocalAppRow extends AppStartReload {
  readonly cdk: string;
}

/** Every app of LOCAL_APPS on every install, one after the other (so their processes do not compete). */
export async function measureLocalApps(installs: readonly CdkInstall[], starts: number, reloads: number, timeoutMs: number): Promise<LocalAppRow[]> {
  const rows: LocalAppRow[] = [];
  for (const install of installs) {
    for (const [label, files] of Object.entries(LOCAL_APPS)) {
      const dir = writeApp(files, install.modules, install.library);
      rows.push({ cdk: install.cdk, ...await measureStartAndReload(label, dir, starts, reloads, timeoutMs) });
    }
  }
  return rows;
}

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppSource } from '../../cli/assembly';
import { WarmSynthesizer } from '../../cli/warm-synthesizer';

/**
 * `--watch` keeps the app's process between reloads (docs/local-mode.md, item 7): the first synthesis runs the app
 * command as the CDK CLI does, with a preload that offers the process on local mode's socket; each reload then asks
 * that process for a new cloud assembly; an app whose process is not kept, or dies, is started afresh.
 *
 * The app here is a stand-in Node.js script that speaks the worker's side of the socket (one JSON request a line:
 * `{ outdir, context }`, answered by `{}` or `{ error }`), so no aws-cdk-lib app is needed; it records what it was given.
 */
const FAKE_APP = `
const { appendFileSync, existsSync, writeFileSync } = require('node:fs');
const { connect } = require('node:net');
const { join } = require('node:path');
const [mode] = process.argv.slice(2);
function synth(outdir, context) {
  appendFileSync('runs.jsonl', JSON.stringify({ pid: process.pid, outdir, context, nodeOptions: process.env.APP_NODE_OPTIONS,
    socket: process.env.CDK_SECURE_SERVERLESS_SYNTH_SOCKET }) + '\\n');
  if (mode !== 'no-manifest') writeFileSync(join(outdir, 'manifest.json'), '{}');
}
synth(process.env.CDK_OUTDIR, process.env.CDK_CONTEXT_JSON);
if (mode === 'fail') { process.stderr.write('Error: the app threw\\n'); process.exit(3); }
if (mode === 'stay') {
  const socket = connect(process.env.CDK_SECURE_SERVERLESS_SYNTH_SOCKET);
  let buffered = '';
  socket.on('data', (chunk) => {
    buffered += chunk;
    for (let newline; (newline = buffered.indexOf('\\n')) >= 0; buffered = buffered.slice(newline + 1)) {
      const request = JSON.parse(buffered.slice(0, newline));
      if (existsSync('die')) { process.stderr.write('dying words\\n'); process.exit(7); }
      if (existsSync('throw')) { writeFileSync('failed-outdir', request.outdir); socket.write(JSON.stringify({ error: 'Error: the app threw on reload' }) + '\\n'); continue; }
      synth(request.outdir, request.context);
      socket.write('{}\\n');
    }
  });
  socket.on('close', () => process.exit(0));
}
`;

let app: string;
const synthesizers: WarmSynthesizer[] = [];
const savedNodeOptions = process.env.NODE_OPTIONS;

beforeEach(() => {
  app = mkdtempSync(join(tmpdir(), 'warm-synthesizer-'));
  writeFileSync(join(app, 'app.js'), FAKE_APP);
});

afterEach(() => {
  for (const started of synthesizers.splice(0)) started.close();
  process.env.NODE_OPTIONS = savedNodeOptions;
  rmSync(app, { recursive: true, force: true });
});

/** A synthesizer of the stand-in app run in `mode` (the app sees local mode's NODE_OPTIONS as APP_NODE_OPTIONS). */
function synthesizer(mode: 'stay' | 'exit' | 'fail' | 'no-manifest', afterApp = ''): WarmSynthesizer {
  const source: AppSource = {
    description: 'the app command "fake"',
    command: `APP_NODE_OPTIONS="$NODE_OPTIONS" NODE_OPTIONS= "${process.execPath}" app.js ${mode}${afterApp}`,
    cwd: app,
    context: { stage: 'dev' },
  };
  const created = new WarmSynthesizer(source);
  synthesizers.push(created);
  return created;
}

interface Run {
  readonly pid: number;
  readonly outdir: string;
  readonly context: string;
  readonly nodeOptions: string;
  readonly socket: string;
}

function runs(): Run[] {
  return readFileSync(join(app, 'runs.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

/** Resolves once the process `pid` is gone. */
async function exited(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the synthesis of --watch', () => {
  test('a cloud assembly directory is served as it is: nothing runs', async () => {
    const assembly = mkdtempSync(join(tmpdir(), 'warm-synthesizer-assembly-'));
    try {
      const source: AppSource = { description: `the cloud assembly ${assembly}`, assemblyDir: assembly, cwd: app, context: {} };
      const warm = new WarmSynthesizer(source);
      synthesizers.push(warm);
      expect(await warm.synthesize()).toBe(assembly);
    } finally {
      rmSync(assembly, { recursive: true, force: true });
    }
  });

  test('the first synthesis runs the command as the CDK CLI does, with the worker preload added to NODE_OPTIONS', async () => {
    process.env.NODE_OPTIONS = '--max-old-space-size=512';
    const warm = synthesizer('stay');
    const outdir = await warm.synthesize();
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(true);
    const [run] = runs();
    // The CDK CLI hands the app its output directory and context in CDK_OUTDIR and CDK_CONTEXT_JSON
    // (https://docs.aws.amazon.com/cdk/v2/guide/apps.html, "The app lifecycle"), with the context of cdk.json and asset
    // metadata on, which tells local mode where each function's code is.
    expect(run.outdir).toBe(outdir);
    expect(JSON.parse(run.context)).toMatchObject({ 'stage': 'dev', 'aws:cdk:enable-asset-metadata': true });
    // The user's own NODE_OPTIONS are kept; node --require takes a path (https://nodejs.org/api/cli.html#-r---require-module).
    expect(run.nodeOptions).toMatch(/^--max-old-space-size=512 --require "[^"]+[\\/]synth-worker\.js"$/);
    // A socket of this process's own, in the temporary folder.
    expect(run.socket.startsWith(tmpdir())).toBe(true);
    expect(run.socket).toMatch(new RegExp(`cdk-secure-serverless-synth-${process.pid}-[0-9a-f]{8}\\.sock$`));
  });

  test('without NODE_OPTIONS of its own, the app gets only the preload', async () => {
    delete process.env.NODE_OPTIONS;
    await synthesizer('stay').synthesize();
    expect(runs()[0].nodeOptions).toMatch(/^--require "[^"]+[\\/]synth-worker\.js"$/);
  });

  test('a reload asks the kept process for a new cloud assembly, with the same context; it is not started again', async () => {
    const warm = synthesizer('stay');
    const first = await warm.synthesize();
    const second = await warm.synthesize();
    const third = await warm.synthesize();
    expect(new Set([first, second, third]).size).toBe(3);
    for (const outdir of [second, third]) expect(existsSync(join(outdir, 'manifest.json'))).toBe(true);
    const [start, ...reloads] = runs();
    expect(reloads.map((run) => run.outdir)).toEqual([second, third]);
    for (const reload of reloads) {
      expect(reload.pid).toBe(start.pid);
      expect(reload.context).toBe(start.context);
    }
  });

  test('a reload the app fails reports the app\'s error, leaves no assembly behind, and the process stays for the next', async () => {
    const warm = synthesizer('stay');
    await warm.synthesize();
    writeFileSync(join(app, 'throw'), '');
    await expect(warm.synthesize()).rejects.toThrow('Synthesizing the app command "fake" failed: Error: the app threw on reload');
    rmSync(join(app, 'throw'));
    await warm.synthesize();
    const [start, ...reloads] = runs();
    expect(reloads.map((run) => run.pid)).toEqual([start.pid]);
    expect(existsSync(readFileSync(join(app, 'failed-outdir'), 'utf8'))).toBe(false);
  });

  test('a kept process that dies during a reload gives its exit code and output; the next synthesis starts the app afresh', async () => {
    const warm = synthesizer('stay');
    await warm.synthesize();
    writeFileSync(join(app, 'die'), '');
    await expect(warm.synthesize()).rejects.toThrow(/^Synthesizing the app command "fake" failed: the app's process exited \(code 7\):\ndying words/);
    rmSync(join(app, 'die'));
    await warm.synthesize();
    const [start, restart] = runs();
    expect(restart.pid).not.toBe(start.pid);
  });

  /**
   * Whether local mode has seen the command exit when the next reload comes is a race: the app's process may be a child of
   * the command's shell (`npx ts-node ...`), which outlives it for a while. `; sleep 1` holds that window open.
   */
  test.each([['', 'its command\'s exit seen'], ['; sleep 1', 'its command still running']])('a kept process that died between reloads is started afresh (command "app.js stay%s": %s)', async (afterApp) => {
    const warm = synthesizer('stay', afterApp);
    await warm.synthesize();
    const [start] = runs();
    process.kill(start.pid);
    await exited(start.pid);
    const outdir = await warm.synthesize();
    const [, restart] = runs();
    expect(restart.pid).not.toBe(start.pid);
    expect(restart.outdir).toBe(outdir);
  });

  test('an app whose process exits by itself is run again for each synthesis', async () => {
    const warm = synthesizer('exit');
    const first = await warm.synthesize();
    const second = await warm.synthesize();
    const [one, two] = runs();
    expect([one.outdir, two.outdir]).toEqual([first, second]);
    expect(two.pid).not.toBe(one.pid);
  });

  test('an app that fails, or writes no cloud assembly, is an error with its exit code and output, and leaves no directory', async () => {
    await expect(synthesizer('fail').synthesize()).rejects.toThrow(/^Synthesizing the app command "fake" failed \(exit code 3\):\nError: the app threw/);
    expect(existsSync(runs()[0].outdir)).toBe(false);
    rmSync(join(app, 'runs.jsonl'));
    await expect(synthesizer('no-manifest').synthesize()).rejects.toThrow(/^Synthesizing the app command "fake" failed \(exit code 0\)/);
    expect(existsSync(runs()[0].outdir)).toBe(false);
  });

  test('a connection local mode did not ask for is closed', async () => {
    const warm = synthesizer('stay');
    await warm.synthesize();
    const stranger = connect(runs()[0].socket);
    await new Promise<void>((resolve, reject) => {
      stranger.once('close', () => resolve());
      stranger.once('error', reject);
    });
    // The kept process still serves reloads.
    await warm.synthesize();
    expect(runs()).toHaveLength(2);
  });

  test('close stops the kept process', async () => {
    const warm = synthesizer('stay');
    await warm.synthesize();
    warm.close();
    await exited(runs()[0].pid);
  });
});

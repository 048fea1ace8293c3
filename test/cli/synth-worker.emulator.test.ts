import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { Server, Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { SynthRequest, answerReloads, appMainModule, isAppFile, pendingWork, runAgain, serveReloads, settled } from '../../cli/synth-worker';

/**
 * The worker that `--watch` preloads into the app's process (docs/local-mode.md, item 7: "The app's process is kept
 * between reloads (Node.js apps with a CommonJS main module): aws-cdk-lib, TypeScript and other packages stay loaded
 * and each reload runs the app's own files (under its folder) again"). The process side is in
 * test/cli/watch.emulator.test.ts; here its parts run in this process.
 */

/** Node.js's own CommonJS loader (Jest's require is not it; Jest's node:module is a copy of it with the same cache). */
const loader = nodeModule.Module as unknown as { _cache: Record<string, unknown>; _load(request: string, parent: unknown, isMain: boolean): unknown };
const nodeLoader = Object.getPrototypeOf(nodeModule.Module) as { workerProcess?: NodeJS.Process };

/**
 * runAgain evicts modules from Node.js's own require cache, the one Jest and the test tooling load through: a mistake
 * in which modules it evicts must fail a test, not reach past this file. Each test puts back what it evicted.
 */
let cachedBefore: Record<string, unknown>;
beforeEach(() => {
  cachedBefore = { ...loader._cache };
});
afterEach(() => {
  for (const [file, cached] of Object.entries(cachedBefore)) if (!(file in loader._cache)) loader._cache[file] = cached;
});

describe('the app\'s own files', () => {
  const app = join(sep, 'home', 'me', 'orders-app');
  test.each([
    [join(app, 'bin', 'app.js'), true],
    [join(app, 'lib', 'stack.ts'), true],
    [join(app, 'node_modules', 'aws-cdk-lib', 'index.js'), false],
    [join(app, 'packages', 'shared', 'node_modules', 'left-pad', 'index.js'), false],
    [join(`${app}-old`, 'bin', 'app.js'), false],
    [join(sep, 'home', 'me', 'lib', 'app.js'), false],
  ])('%s: %s', (file, own) => {
    expect(isAppFile(file, app)).toBe(own);
  });
});

/**
 * Resolves once the event loop's resources stay the same for 50 ms: Jest's own sockets closing while a test counts
 * pending work would look like the test's work finishing (a TCP socket of the harness closes as the first test starts).
 */
async function quietEventLoop(): Promise<void> {
  let last = '';
  for (let same = 0; same < 5; await new Promise((resolve) => setTimeout(resolve, 10))) {
    const now = process.getActiveResourcesInfo().filter((type) => type !== 'Timeout').join();
    same = now === last ? same + 1 : 0;
    last = now;
  }
}

describe('waiting for the app\'s asynchronous work', () => {
  beforeEach(quietEventLoop);

  test('a timer counts as pending work, a setImmediate does not', () => {
    const baseline = pendingWork();
    const immediate = setImmediate(() => undefined);
    expect(pendingWork()).toBe(baseline);
    const timer = setTimeout(() => undefined, 1000);
    expect(pendingWork()).toBe(baseline + 1);
    clearTimeout(timer);
    clearImmediate(immediate);
  });

  /**
   * What settled counts is the whole process's: in a test process, an unrelated socket closing while the app's work runs
   * looks like that work ending, and a CI run saw settled return early once. Here the process reports a list that only
   * the stand-in app changes, so the count cannot move for any other reason; a permanent setImmediate is in it too.
   */
  test('settled resolves once the work started after the baseline is done, and not before', async () => {
    const active = ['PipeWrap', 'TTYWrap', 'Immediate'];
    const reported = jest.spyOn(process, 'getActiveResourcesInfo').mockImplementation(() => [...active]);
    try {
      const baseline = pendingWork();
      const done: string[] = [];
      const later = (name: string, then?: () => void) => {
        active.push('Timeout');
        setTimeout(() => {
          active.splice(active.indexOf('Timeout'), 1);
          done.push(name);
          then?.();
        }, 30);
      };
      later('first', () => later('second'));
      await settled(baseline);
      expect(done).toEqual(['first', 'second']);
    } finally {
      reported.mockRestore();
    }
  });
});

/**
 * The stand-in app: `app.js` (the main module) requires its own `stack.js` and the package `lib`, and synthesizes as
 * its `mode` file says. Jest gives this test, and the worker code it loads, a process object of its own, while the app
 * is loaded by Node.js itself: the app uses the worker's process (Module.workerProcess), which a real app shares.
 */
const APP_FILES: Record<string, string> = {
  'app.js': `
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const proc = require('node:module').workerProcess;
const stack = require('./stack');
const lib = require('lib');
proc.runs.push({ isMain: require.main === module, stack: stack.evaluation, lib: lib.evaluation });
const synth = (extra) => writeFileSync(join(proc.env.CDK_OUTDIR, 'manifest.json'), JSON.stringify({ context: proc.env.CDK_CONTEXT_JSON, ...extra }));
const mode = readFileSync(join(__dirname, 'mode'), 'utf8');
if (mode === 'sync') synth();
if (mode === 'beforeExit') {
  // As aws-cdk-lib's App: it synthesizes at beforeExit, after the app's asynchronous work.
  setTimeout(() => { proc.asyncDone = true; }, 30);
  proc.once('beforeExit', () => synth({ asyncDone: proc.asyncDone === true }));
}
if (mode === 'exit-code') { synth(); proc.exitCode = 2; }
if (mode === 'throw') { proc.once('beforeExit', () => synth()); throw new Error('the app threw'); }
`,
  'stack.js': 'const proc = require(\'node:module\').workerProcess; exports.evaluation = proc.count(\'stack\');',
  'node_modules/lib/index.js': 'const proc = require(\'node:module\').workerProcess; exports.evaluation = proc.count(\'lib\');',
};

describe('a reload runs the app\'s main module again', () => {
  type WorkerProcess = NodeJS.Process & { runs: unknown[]; asyncDone?: boolean; count(name: string): number };
  const worker = process as WorkerProcess;
  const counts = new Map<string, number>();
  const cwd = process.cwd();
  const savedEnv = { ...process.env };
  let app: string;

  beforeEach(async () => {
    await quietEventLoop();
    app = mkdtempSync(join(tmpdir(), 'synth-worker-app-'));
    for (const [path, content] of Object.entries(APP_FILES)) {
      mkdirSync(dirname(join(app, path)), { recursive: true });
      writeFileSync(join(app, path), content);
    }
    counts.clear();
    Object.assign(worker, { runs: [], count: (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1).get(name), asyncDone: undefined });
    nodeLoader.workerProcess = process;
    // The app's folder is the worker's current directory: the app command runs there.
    process.chdir(app);
  });

  afterEach(() => {
    delete nodeLoader.workerProcess;
    process.chdir(cwd);
    process.env = { ...savedEnv };
    process.exitCode = undefined;
    rmSync(app, { recursive: true, force: true });
  });

  /** Runs the app in `mode` into a new directory and returns the request. */
  async function reload(mode: string, context = '{"stage":"dev"}'): Promise<SynthRequest> {
    writeFileSync(join(app, 'mode'), mode);
    const request = { outdir: mkdtempSync(join(app, 'cdk.out-')), context };
    await runAgain(join(app, 'app.js'), request);
    return request;
  }

  const manifest = (request: SynthRequest) => JSON.parse(readFileSync(join(request.outdir, 'manifest.json'), 'utf8'));

  test('into the request\'s directory with its context (CDK_OUTDIR, CDK_CONTEXT_JSON), as the main module', async () => {
    const request = await reload('sync', '{"stage":"prod"}');
    expect(manifest(request)).toEqual({ context: '{"stage":"prod"}' });
    expect(process.env.CDK_OUTDIR).toBe(request.outdir);
    expect(worker.runs).toEqual([{ isMain: true, stack: 1, lib: 1 }]);
  });

  test('each time loading the app\'s own files afresh and keeping its packages loaded', async () => {
    await reload('sync');
    const second = await reload('sync', '{"stage":"staging"}');
    expect(manifest(second)).toEqual({ context: '{"stage":"staging"}' });
    expect(worker.runs).toEqual([{ isMain: true, stack: 1, lib: 1 }, { isMain: true, stack: 2, lib: 1 }]);
  });

  test('after its asynchronous work, runs the beforeExit listeners it added (where aws-cdk-lib synthesizes), and only those', async () => {
    const others: number[] = [];
    const own = (code: number) => others.push(code);
    process.on('beforeExit', own);
    try {
      const request = await reload('beforeExit');
      expect(manifest(request)).toEqual({ context: '{"stage":"dev"}', asyncDone: true });
      expect(others).toEqual([]);
      expect(process.listeners('beforeExit')).toEqual([own]);
    } finally {
      process.removeListener('beforeExit', own);
    }
  });

  test('an app that throws fails the reload and leaves no listener of its own behind', async () => {
    const before = process.listeners('beforeExit');
    await expect(reload('throw')).rejects.toThrow('the app threw');
    expect(process.listeners('beforeExit')).toEqual(before);
  });

  test('an app that sets a non-zero exit code fails the reload, and the kept process\'s exit code is cleared', async () => {
    await expect(reload('exit-code')).rejects.toThrow('The app set a non-zero exit code.');
    expect(process.exitCode).toBeUndefined();
    await expect(reload('sync')).resolves.toBeDefined();
  });

  test('an app that writes no cloud assembly fails the reload, saying what it is missing', async () => {
    await expect(reload('none')).rejects.toThrow('The app wrote no cloud assembly (does it call app.synth()?).');
  });
});

describe('the process that ran the app', () => {
  const legacy = process as { mainModule?: { filename: string } };
  const savedMain = legacy.mainModule;
  const savedEnv = { ...process.env };
  const cwd = process.cwd();
  let app: string;
  let exit: jest.SpyInstance;
  let cdkModule: string | undefined;

  beforeEach(() => {
    app = mkdtempSync(join(tmpdir(), 'synth-worker-serve-'));
    for (const [path, content] of Object.entries(APP_FILES)) {
      mkdirSync(dirname(join(app, path)), { recursive: true });
      writeFileSync(join(app, path), content);
    }
    writeFileSync(join(app, 'mode'), 'sync');
    nodeLoader.workerProcess = process;
    Object.assign(process, { runs: [], count: () => 1 });
    process.chdir(app);
    // It ran app.js as its main module, loaded aws-cdk-lib and wrote a cloud assembly.
    legacy.mainModule = { filename: join(app, 'app.js') };
    const first = mkdtempSync(join(app, 'cdk.out-'));
    writeFileSync(join(first, 'manifest.json'), '{}');
    process.env.CDK_OUTDIR = first;
    const file = require.resolve('aws-cdk-lib/package.json');
    if (!(file in loader._cache)) {
      loader._load(file, null, false);
      cdkModule = file;
    }
    // Local mode closing the socket ends the process, as the app would have ended.
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as () => never);
  });

  afterEach(() => {
    exit.mockRestore();
    if (cdkModule) delete loader._cache[cdkModule];
    cdkModule = undefined;
    delete nodeLoader.workerProcess;
    legacy.mainModule = savedMain;
    process.env = { ...savedEnv };
    process.chdir(cwd);
    rmSync(app, { recursive: true, force: true });
  });

  async function exitCalled(): Promise<void> {
    while (exit.mock.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  test('connects to local mode\'s socket, serves its reloads, and exits with 0 when local mode closes the socket', async () => {
    const server = createServer();
    const path = join(app, 'synth.sock');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const accepted = once(server, 'connection');
      serveReloads(path);
      const [localMode] = await accepted as [Socket];
      const outdir = mkdtempSync(join(app, 'cdk.out-'));
      localMode.write(`${JSON.stringify({ outdir, context: '{"stage":"dev"}' })}\n`);
      const [reply] = await once(localMode, 'data');
      expect(String(reply)).toBe('{}\n');
      expect(existsSync(join(outdir, 'manifest.json'))).toBe(true);
      expect(exit).not.toHaveBeenCalled();
      localMode.destroy();
      await exitCalled();
      expect(exit).toHaveBeenCalledWith(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('exits with 0 when local mode\'s socket is not there (local mode stopped)', async () => {
    serveReloads(join(app, 'no-such.sock'));
    await exitCalled();
    expect(exit).toHaveBeenCalledWith(0);
  });

  test('a process that did not run the app does not connect', async () => {
    legacy.mainModule = undefined;
    const server = createServer();
    const path = join(app, 'synth.sock');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      let connections = 0;
      server.on('connection', (socket) => {
        connections++;
        socket.destroy();
      });
      serveReloads(path);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(connections).toBe(0);
      expect(exit).not.toHaveBeenCalled();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('which process becomes the worker', () => {
  const legacy = process as { mainModule?: { filename: string } };
  const savedMain = legacy.mainModule;
  const savedEnv = { ...process.env };
  let outdir: string;
  let cdkModule: string | undefined;

  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'synth-worker-out-'));
    writeFileSync(join(outdir, 'manifest.json'), '{}');
    process.env.CDK_OUTDIR = outdir;
    legacy.mainModule = { filename: '/app/bin/app.js' };
    // This process loads a module of aws-cdk-lib with Node.js's own loader, as the app did.
    const file = require.resolve('aws-cdk-lib/package.json');
    if (!(file in loader._cache)) {
      loader._load(file, null, false);
      cdkModule = file;
    }
  });

  afterEach(() => {
    legacy.mainModule = savedMain;
    process.env = { ...savedEnv };
    process.exitCode = undefined;
    if (cdkModule) delete loader._cache[cdkModule];
    cdkModule = undefined;
    rmSync(outdir, { recursive: true, force: true });
  });

  test('the one that ran the app: its main module loaded aws-cdk-lib and wrote a cloud assembly to CDK_OUTDIR', () => {
    expect(appMainModule()).toBe('/app/bin/app.js');
  });

  test('not a process without a main module (e.g. node -e), nor one that failed', () => {
    legacy.mainModule = undefined;
    expect(appMainModule()).toBeUndefined();
    legacy.mainModule = { filename: '/app/bin/app.js' };
    process.exitCode = 1;
    expect(appMainModule()).toBeUndefined();
  });

  test('not a process that wrote no cloud assembly, or has no CDK_OUTDIR (npx, a child of the app)', () => {
    rmSync(join(outdir, 'manifest.json'));
    expect(appMainModule()).toBeUndefined();
    delete process.env.CDK_OUTDIR;
    expect(appMainModule()).toBeUndefined();
  });

  test('not a process that loaded no aws-cdk-lib', () => {
    const loaded = Object.keys(loader._cache).filter((file) => /[\\/]aws-cdk-lib[\\/]/.test(file));
    const saved = loaded.map((file) => [file, loader._cache[file]] as const);
    for (const file of loaded) delete loader._cache[file];
    try {
      expect(appMainModule()).toBeUndefined();
    } finally {
      for (const [file, module] of saved) loader._cache[file] = module;
    }
  });
});

describe('the worker\'s side of the socket', () => {
  let server: Server;
  let path: string;
  let localMode: Socket;
  let worker: Socket;
  let replies: string;

  beforeEach(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'synth-worker-socket-')), 'synth.sock');
    server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    worker = connect(path);
    localMode = await accepted;
    replies = '';
    localMode.on('data', (chunk) => (replies += chunk.toString()));
  });

  afterEach(async () => {
    worker.destroy();
    localMode.destroy();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dirname(path), { recursive: true, force: true });
  });

  /** Resolves once local mode received `count` reply lines, with them. */
  async function replyLines(count: number): Promise<unknown[]> {
    while (replies.split('\n').length <= count) await new Promise((resolve) => setTimeout(resolve, 5));
    return replies.trim().split('\n').map((line) => JSON.parse(line));
  }

  const request = (n: number): SynthRequest => ({ outdir: `/tmp/out-${n}`, context: `{"n":${n}}` });

  test('one request a line, whatever the chunks, answered {} in order, one reload at a time', async () => {
    const events: string[] = [];
    answerReloads(worker, async (received) => {
      events.push(`start ${received.outdir}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`end ${received.outdir}`);
    });
    const lines = [1, 2, 3].map((n) => JSON.stringify(request(n))).join('\n') + '\n';
    const cut = lines.indexOf('\n') + 10;
    localMode.write(lines.slice(0, cut));
    await new Promise((resolve) => setTimeout(resolve, 10));
    localMode.write(lines.slice(cut));
    expect(await replyLines(3)).toEqual([{}, {}, {}]);
    expect(events).toEqual(['start /tmp/out-1', 'end /tmp/out-1', 'start /tmp/out-2', 'end /tmp/out-2', 'start /tmp/out-3', 'end /tmp/out-3']);
  });

  test('the requests reach the reload whole', async () => {
    const received: SynthRequest[] = [];
    answerReloads(worker, async (r) => void received.push(r));
    localMode.write(`${JSON.stringify(request(7))}\n${JSON.stringify(request(8))}\n`);
    await replyLines(2);
    expect(received).toEqual([request(7), request(8)]);
  });

  test('a failed reload is answered with its error\'s stack (or message, or the value thrown), and the next is served', async () => {
    const failures: unknown[] = [new Error('the app threw'), Object.assign(new Error('no stack here'), { stack: undefined }), 'a string thrown'];
    answerReloads(worker, async () => {
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
    });
    localMode.write([1, 2, 3, 4].map((n) => `${JSON.stringify(request(n))}\n`).join(''));
    const [first, second, third, fourth] = await replyLines(4) as Array<{ error?: string }>;
    expect(first.error).toMatch(/^Error: the app threw\n\s+at /);
    expect(second).toEqual({ error: 'no stack here' });
    expect(third).toEqual({ error: 'a string thrown' });
    expect(fourth).toEqual({});
  });
});


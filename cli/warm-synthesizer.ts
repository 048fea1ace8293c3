import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { Server, Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppSource, cloudAssemblyContext, newAssemblyDir, spawnSynthesis, synthesize } from './assembly';
import { SYNTH_SOCKET_VARIABLE, SynthRequest } from './synth-worker';

/** The preload that turns the app's process into a worker (compiled beside this file). */
const WORKER_PRELOAD = join(__dirname, 'synth-worker.js');

/** A socket path private to this process: a named pipe on Windows, a Unix socket elsewhere. */
function socketPath(): string {
  const name = `cdk-secure-serverless-synth-${process.pid}-${randomBytes(4).toString('hex')}`;
  return process.platform === 'win32' ? `\\\\.\\pipe\\${name}` : join(tmpdir(), `${name}.sock`);
}

/** The app process kept alive after its first synthesis, with the socket it takes requests on. */
interface Worker {
  readonly child: ChildProcess;
  readonly socket: Socket;
  readonly errors: () => string;
}

/**
 * Synthesizes the app for `--watch`: the first time as `synthesize` does, with a preload that keeps the app's process
 * (aws-cdk-lib, TypeScript and the library loaded) for the next ones; each reload then runs only the app's own code
 * again in it. When the process cannot be kept (an ES module app, an app that exits by itself) or dies, the next
 * synthesis starts the command afresh, so every reload still synthesizes the app as the command does.
 */
export class WarmSynthesizer {
  private server?: Server;
  private readonly path = socketPath();
  private worker?: Worker;
  private connected?: (socket: Socket) => void;

  constructor(private readonly source: AppSource) {}

  /** Synthesizes into a fresh temporary directory and returns it; throws with the app's error output. */
  async synthesize(): Promise<string> {
    if (!this.source.command) return synthesize(this.source);
    const outdir = newAssemblyDir();
    try {
      // A kept process that died since the last reload never got the request: the app is started afresh instead.
      const rerun = this.worker && await this.rerun(this.worker, { outdir, context: cloudAssemblyContext(this.source) });
      if (!rerun) await this.start(outdir);
      return outdir;
    } catch (error) {
      rmSync(outdir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops the worker and the socket. */
  close(): void {
    this.worker?.socket.destroy();
    this.worker?.child.kill();
    this.server?.close();
  }

  private async listen(): Promise<Server> {
    if (this.server) return this.server;
    if (process.platform !== 'win32') rmSync(this.path, { force: true });
    const server = createServer((socket) => (this.connected ? this.connected(socket) : socket.destroy()));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.path, resolve));
    server.unref();
    this.server = server;
    return server;
  }

  /** Runs the app command; resolves when it exited after synthesizing, or when its process offered to stay. */
  private async start(outdir: string): Promise<void> {
    await this.listen();
    const preload = `--require ${JSON.stringify(WORKER_PRELOAD)}`;
    const { child, exited, errors } = spawnSynthesis(this.source, outdir, {
      NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '),
      [SYNTH_SOCKET_VARIABLE]: this.path,
    });
    const offered = new Promise<Socket>((resolve) => (this.connected = resolve));
    const first = await Promise.race([exited, offered]);
    this.connected = undefined;
    if (first instanceof Socket) {
      const worker = { child, socket: first, errors };
      this.worker = worker;
      const forget = () => {
        if (this.worker === worker) this.worker = undefined;
      };
      child.once('exit', forget);
      // A write to the socket of a process that died fails (EPIPE); rerun reads that from the write's callback.
      first.on('error', forget);
      return;
    }
    if (first !== 0 || !existsSync(join(outdir, 'manifest.json'))) {
      throw new Error(`Synthesizing ${this.source.description} failed (exit code ${first}):\n${errors()}`);
    }
  }

  /**
   * Asks the worker to run the app again. Returns false when the request could not be delivered (the process had died
   * since the last reload); a failure of the app is thrown, and a worker that dies after taking the request gives its output.
   */
  private async rerun(worker: Worker, request: SynthRequest): Promise<boolean> {
    const reply = new Promise<{ error?: string }>((resolve) => {
      let buffered = '';
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString();
        if (!buffered.includes('\n')) return;
        worker.child.off('exit', onExit);
        worker.socket.off('data', onData);
        resolve(JSON.parse(buffered.slice(0, buffered.indexOf('\n'))));
      };
      const onExit = (code: number | null) => {
        worker.socket.off('data', onData);
        resolve({ error: `the app's process exited (code ${code}):\n${worker.errors()}` });
      };
      worker.socket.on('data', onData);
      worker.child.once('exit', onExit);
    });
    const delivered = await new Promise<boolean>((resolve) => worker.socket.write(`${JSON.stringify(request)}\n`, (error) => resolve(!error)));
    if (!delivered) {
      this.worker = undefined;
      worker.child.kill();
      return false;
    }
    const { error } = await reply;
    if (error) throw new Error(`Synthesizing ${this.source.description} failed: ${error}`);
    return true;
  }
}

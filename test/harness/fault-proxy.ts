import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to a request it is told to fault. */
export type Fault =
  /** 400 ThrottlingException, without forwarding. */
  | 'throttle'
  /** 400 ProvisionedThroughputExceededException, without forwarding. */
  | 'throughput'
  /** 500 InternalServerError, without forwarding. */
  | 'server-error'
  /** 503 ServiceUnavailable, without forwarding. */
  | 'unavailable'
  /** Holds the request without an answer (longer than any client timeout), without forwarding. */
  | 'stall'
  /** Forwards (the write happens) and answers 500 instead of the real response: a lost response. */
  | 'lose-response'
  /** Forwards (the write happens) and never answers: a response lost to a timeout. */
  | 'stall-after-forward';

/** Decides per request; `undefined` forwards it untouched. */
export type FaultPlan = (request: { readonly target: string; readonly index: number; readonly body: string }) => Fault | undefined;

export interface FaultProxyStats {
  forwarded: number;
  faulted: Record<Fault, number>;
}

/** A deterministic pseudo-random source (Park-Miller), so a faulty run can be replayed. */
export function seededRandom(seed: number): () => number {
  const modulus = 2_147_483_647;
  let state = (Math.abs(Math.floor(seed)) % (modulus - 1)) + 1;
  return () => {
    state = (state * 48_271) % modulus;
    return (state - 1) / (modulus - 1);
  };
}

/** A plan that faults each request whose X-Amz-Target starts with `targetPrefix` with the given probabilities. */
export function randomFaults(seed: number, rates: Partial<Record<Fault, number>>, targetPrefix = 'DynamoDB_20120810.'): FaultPlan {
  const random = seededRandom(seed);
  return ({ target }) => {
    if (!target.startsWith(targetPrefix)) return undefined;
    let roll = random();
    for (const [fault, rate] of Object.entries(rates) as [Fault, number][]) {
      if (roll < rate) return fault;
      roll -= rate;
    }
    return undefined;
  };
}

const ERROR_TYPES: Partial<Record<Fault, { status: number; type: string }>> = {
  'throttle': { status: 400, type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException' },
  'throughput': { status: 400, type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException' },
  'server-error': { status: 500, type: 'com.amazonaws.dynamodb.v20120810#InternalServerError' },
  'unavailable': { status: 503, type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable' },
  'lose-response': { status: 500, type: 'com.amazonaws.dynamodb.v20120810#InternalServerError' },
};

/**
 * A local HTTP proxy in front of the moto server that injects the failures AWS produces under load: throttling, 5xx,
 * stalls, and responses lost after the write happened. Point an SDK client's endpoint at `endpoint`.
 */
export class FaultProxy {
  static async start(targetEndpoint: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(targetEndpoint));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** Decides the fate of each request; forwards everything until set. */
  plan: FaultPlan;
  /** Awaited before a request is forwarded: another client's write landing between two calls of the code under test. */
  beforeForward: (request: { readonly target: string; readonly body: string }) => Promise<void>;
  readonly stats: FaultProxyStats = { forwarded: 0, faulted: {} as Record<Fault, number> };
  /** Every request's target and arrival time (ms, monotonic), in arrival order: what retries look like on the wire. */
  readonly arrivals: { readonly target: string; readonly atMs: number }[] = [];
  private readonly server: Server;
  private readonly stalled = new Set<ServerResponse>();
  private index = 0;

  private constructor(private readonly target: URL) {
    this.plan = () => undefined;
    this.beforeForward = async () => undefined;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  resetStats(): void {
    this.stats.forwarded = 0;
    this.stats.faulted = {} as Record<Fault, number>;
    this.arrivals.length = 0;
  }

  async close(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.arrivals.push({ target: String(req.headers['x-amz-target'] ?? ''), atMs: performance.now() });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = String(req.headers['x-amz-target'] ?? '');
    const fault = this.plan({ target, index: this.index++, body: body.toString('utf8') });
    if (fault) this.stats.faulted[fault] = (this.stats.faulted[fault] ?? 0) + 1;
    else this.stats.forwarded++;

    if (fault === 'stall') return this.stall(res);
    if (fault && fault !== 'lose-response' && fault !== 'stall-after-forward') return this.answerError(res, fault);

    await this.beforeForward({ target, body: body.toString('utf8') });
    const upstream = await this.forward(req, body);
    if (fault === 'stall-after-forward') return this.stall(res);
    if (fault === 'lose-response') return this.answerError(res, fault);
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  private stall(res: ServerResponse): void {
    this.stalled.add(res);
    res.on('close', () => this.stalled.delete(res));
  }

  private answerError(res: ServerResponse, fault: Fault): void {
    const error = ERROR_TYPES[fault]!;
    res.writeHead(error.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-${this.index}` });
    res.end(JSON.stringify({ __type: error.type, message: `injected ${fault}` }));
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest({
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({
          status: response.statusCode ?? 502,
          headers: response.headers as Record<string, string | string[]>,
          body: Buffer.concat(chunks),
        }));
        response.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

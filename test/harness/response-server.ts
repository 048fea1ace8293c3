import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request received by the response server. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A loopback HTTP server standing in for the pre-signed S3 URL CloudFormation gives custom resources. */
export class ResponseServer {
  public static async start(): Promise<ResponseServer> {
    const received: ReceivedRequest[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        // `?status=NNN` in the URL makes the server answer with that status, like S3 rejecting a stale signature.
        const status = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('status') ?? 200);
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new ResponseServer(server, received);
  }

  private constructor(private readonly server: Server, public readonly received: ReceivedRequest[]) {}

  /** A response URL on this server, unique per test. */
  public url(path: string, status = 200): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/${path}?X-Amz-Signature=test${status === 200 ? '' : `&status=${status}`}`;
  }

  /** The JSON bodies PUT to the given path. */
  public bodiesFor(path: string): any[] {
    return this.received.filter((r) => r.url.startsWith(`/${path}?`)).map((r) => JSON.parse(r.body));
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}

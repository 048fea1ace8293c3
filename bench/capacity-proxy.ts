import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { itemSize, readUnits, writeUnits, type WireItem } from './dynamodb-cost';

/** One DynamoDB call the handler made, as seen on the wire, with what DynamoDB would bill for it. */
export interface ObservedCall {
  /** The route the bench was exercising when the call was made. */
  readonly route: string;
  readonly operation: string;
  readonly consistentRead: boolean;
  readonly conditional: boolean;
  readonly status: number;
  /** Bytes of the item(s) the call read or wrote (for a write, the larger of old and new). */
  readonly bytes: number;
  /** Units DynamoDB bills for the call, from the billing model. */
  readonly billedUnits: number;
  readonly unitKind: 'RCU' | 'WCU' | 'none';
  /** What the emulator reported with ReturnConsumedCapacity TOTAL (moto reports fixed values, not size-based). */
  readonly emulatorUnits?: number;
}

/** A counting proxy in front of moto: forwards every call, asks for ConsumedCapacity and records each DynamoDB call. */
export interface CapacityProxy {
  readonly endpoint: string;
  readonly calls: ObservedCall[];
  close(): Promise<void>;
}

function jsonOrUndefined(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function startCapacityProxy(upstream: string): Promise<CapacityProxy> {
  const target = new URL(upstream);
  const calls: ObservedCall[] = [];
  // Stored item sizes by key, so an update or delete bills the size of the item it replaced.
  const storedBytes = new Map<string, number>();
  let currentRoute = 'setup';

  const observe = (operation: string, request: any, response: any, status: number): void => {
    const keyOf = (item: WireItem | undefined) => JSON.stringify(item?.id ?? request.Key?.id);
    const emulatorUnits = response?.ConsumedCapacity?.CapacityUnits as number | undefined;
    const base = {
      route: currentRoute,
      operation,
      status,
      emulatorUnits,
      consistentRead: request.ConsistentRead === true,
      conditional: Boolean(request.ConditionExpression),
    };
    const ok = status === 200;
    if (operation === 'GetItem') {
      const bytes = response?.Item ? itemSize(response.Item) : 0;
      calls.push({ ...base, bytes, billedUnits: readUnits(bytes, base.consistentRead), unitKind: 'RCU' });
    } else if (operation === 'Scan' || operation === 'Query') {
      const bytes = (response?.Items ?? []).reduce((sum: number, item: WireItem) => sum + itemSize(item), 0);
      calls.push({ ...base, bytes, billedUnits: readUnits(bytes, base.consistentRead), unitKind: 'RCU' });
    } else if (operation === 'PutItem') {
      const key = keyOf(request.Item);
      const bytes = Math.max(itemSize(request.Item), storedBytes.get(key) ?? 0);
      if (ok) storedBytes.set(key, itemSize(request.Item));
      calls.push({ ...base, bytes, billedUnits: writeUnits(bytes), unitKind: 'WCU' });
    } else if (operation === 'UpdateItem') {
      const key = keyOf(undefined);
      const newBytes = response?.Attributes ? itemSize(response.Attributes) : 0;
      const bytes = Math.max(newBytes, storedBytes.get(key) ?? 0);
      if (ok) storedBytes.set(key, newBytes);
      calls.push({ ...base, bytes, billedUnits: writeUnits(bytes), unitKind: 'WCU' });
    } else if (operation === 'DeleteItem') {
      const key = keyOf(undefined);
      const bytes = storedBytes.get(key) ?? 0;
      if (ok) storedBytes.delete(key);
      calls.push({ ...base, bytes, billedUnits: writeUnits(bytes), unitKind: 'WCU' });
    } else {
      calls.push({ ...base, bytes: 0, billedUnits: 0, unitKind: 'none' });
    }
  };

  const server: Server = createServer((req, res) => {
    // The scenario names the route it is about to exercise (it calls the handler one route at a time).
    const routeMark = /^\/__bench\/route\/([\w-]+)$/.exec(req.url ?? '');
    if (routeMark) {
      currentRoute = routeMark[1];
      req.resume();
      res.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const targetHeader = String(req.headers['x-amz-target'] ?? '');
      const [service, operation] = targetHeader.split('.');
      const isDynamoDb = service === 'DynamoDB_20120810';
      let body = Buffer.concat(chunks);
      const request = isDynamoDb ? jsonOrUndefined(body.toString('utf8')) : undefined;
      if (request) {
        // moto does not verify signatures, so asking for the consumed capacity does not break the signed request.
        body = Buffer.from(JSON.stringify({ ...request, ReturnConsumedCapacity: 'TOTAL' }));
      }
      const headers = { ...req.headers, 'content-length': String(body.length), 'host': target.host };
      const options = { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers };
      const upstreamRequest = httpRequest(options, (upstreamResponse) => {
        const responseChunks: Buffer[] = [];
        upstreamResponse.on('data', (chunk: Buffer) => responseChunks.push(chunk));
        upstreamResponse.on('end', () => {
          const responseBody = Buffer.concat(responseChunks);
          const status = upstreamResponse.statusCode ?? 500;
          if (isDynamoDb && request) observe(operation, request, jsonOrUndefined(responseBody.toString('utf8')), status);
          else if (targetHeader) calls.push({ route: currentRoute, operation: targetHeader.split('.').pop() ?? targetHeader, status, consistentRead: false, conditional: false, bytes: 0, billedUnits: 0, unitKind: 'none' });
          res.writeHead(status, { ...upstreamResponse.headers, 'content-length': String(responseBody.length) });
          res.end(responseBody);
        });
      });
      upstreamRequest.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      upstreamRequest.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

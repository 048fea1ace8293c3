import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';

/**
 * X-Ray subsegments for AWS calls, sent to the Lambda X-Ray daemon over UDP the way the X-Ray SDK does, in a few
 * lines instead of aws-xray-sdk-core (and its cold-start cost). Each subsegment covers one call including its
 * retries and records operation, table, AWS request id, retry count and error/throttle/fault flags.
 */
interface TraceContext {
  readonly traceId: string;
  readonly parentId: string;
}

/** Root and parent of the current invocation, when Lambda's active tracing sampled it. */
export function currentTraceContext(env: NodeJS.ProcessEnv = process.env): TraceContext | undefined {
  const header = env._X_AMZN_TRACE_ID;
  if (!header) return undefined;
  const fields = Object.fromEntries(header.split(';').map((part) => part.split('=', 2) as [string, string]));
  if (!fields.Root || !fields.Parent || fields.Sampled !== '1') return undefined;
  return { traceId: fields.Root, parentId: fields.Parent };
}

/** The UDP address of the daemon: `host:port` or the `tcp:host:port udp:host:port` form. */
function daemonAddress(env: NodeJS.ProcessEnv): { host: string; port: number } | undefined {
  const raw = env.AWS_XRAY_DAEMON_ADDRESS;
  if (!raw) return undefined;
  const udp = raw.split(' ').find((part) => part.startsWith('udp:'))?.slice(4) ?? raw;
  const separator = udp.lastIndexOf(':');
  const port = Number(udp.slice(separator + 1));
  return separator > 0 && Number.isInteger(port) ? { host: udp.slice(0, separator), port } : undefined;
}

let socket: Socket | undefined;

function send(document: Record<string, unknown>): void {
  const address = daemonAddress(process.env);
  if (!address) return;
  if (!socket) {
    // dgram is loaded on the first sampled trace, not at init: unsampled and untraced invocations never need it.
    socket = process.getBuiltinModule('node:dgram').createSocket('udp4');
    // Never keep the event loop (or a test run) alive for tracing.
    socket.unref();
  }
  const packet = Buffer.from(`{"format":"json","version":1}\n${JSON.stringify(document)}`);
  socket.send(packet, address.port, address.host, () => undefined);
}

/** What a subsegment records of one AWS call (all its attempts). */
export interface TracedCall {
  readonly service: string;
  readonly operation: string;
  /** Epoch seconds. */
  readonly startTime: number;
  readonly tableName?: string;
}

interface CallMetadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly attempts?: number;
}

/** X-Ray's classification: error (4xx), fault (5xx or no response), throttle. */
function errorFlags(status: number | undefined, name: string): Record<string, boolean> {
  return {
    error: status !== undefined && status < 500,
    fault: status === undefined || status >= 500,
    throttle: status === 429 || /Throttl|ProvisionedThroughput/.test(name),
  };
}

/** Sends the subsegment of a finished AWS call, when the invocation is sampled; `errorName` when it failed. */
export function recordSubsegment(call: TracedCall, metadata: CallMetadata | undefined, errorName?: string): void {
  const trace = currentTraceContext();
  if (!trace) return;
  const status = metadata?.httpStatusCode;
  send({
    id: randomBytes(8).toString('hex'),
    trace_id: trace.traceId,
    parent_id: trace.parentId,
    type: 'subsegment',
    name: call.service,
    namespace: 'aws',
    start_time: call.startTime,
    end_time: Date.now() / 1000,
    aws: {
      operation: call.operation,
      region: process.env.AWS_REGION,
      request_id: metadata?.requestId,
      retries: Math.max(0, (metadata?.attempts ?? 1) - 1),
      ...(call.tableName ? { table_name: call.tableName } : {}),
    },
    ...(status ? { http: { response: { status } } } : {}),
    ...(errorName !== undefined ? errorFlags(status, errorName) : {}),
  });
}

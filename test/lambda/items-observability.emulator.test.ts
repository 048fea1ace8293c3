import { randomUUID } from 'node:crypto';
import {
  apiEvent, capturedOutput, captureStdout, createItemsBackend, handlerEnv, invoke, ITEMS_HANDLER_SOURCE, loadHandler,
  type ItemsBackend, type ItemsHandler,
} from './items-fixture';

/**
 * The per-request log line and EMF metrics docs/items-api.md ("Observability") promises: ClientErrors counts 4xx,
 * ServerErrors 5xx, ColdStart only the first invocation of an execution environment (as Powertools' metrics do:
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/metrics/#capturing-a-cold-start-invocation-metric),
 * and the log carries the Lambda request id and the X-Ray trace id.
 */
jest.setTimeout(60_000);
captureStdout();

let backend: ItemsBackend;
let handler: ItemsHandler;

beforeAll(async () => {
  backend = await createItemsBackend('observability');
  handler = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend));
});

function metricsOf(requestId: string): Record<string, unknown> {
  const document = capturedOutput.find((line: any) => line?._aws && line.requestId === requestId);
  if (!document) throw new Error(`no EMF document for ${requestId}`);
  return document as Record<string, unknown>;
}

test('ColdStart is counted on the first invocation of an environment only', async () => {
  const fresh = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend));
  const first = await invoke(fresh, { method: 'GET', path: '/items/absent' });
  const second = await invoke(fresh, { method: 'GET', path: '/items/absent' });
  expect(metricsOf(first.requestId).ColdStart).toBe(1);
  expect(metricsOf(second.requestId)).not.toHaveProperty('ColdStart');
});

test.each([
  // 400: the lowest client error (RFC 9110 section 15.5); limit 0 is outside 1..100.
  ['a 400', { method: 'GET', path: '/items', query: { limit: '0' } }, 400, { ClientErrors: 1, ServerErrors: 0 }],
  ['a 404', { method: 'GET', path: '/items/absent' }, 404, { ClientErrors: 1, ServerErrors: 0 }],
  ['a 200', { method: 'GET', path: '/items' }, 200, { ClientErrors: 0, ServerErrors: 0 }],
])('%s counts in ClientErrors / ServerErrors as a client error or not', async (_name, request, status, counts) => {
  const response = await invoke(handler, request);
  expect(response.statusCode).toBe(status);
  expect(metricsOf(response.requestId)).toMatchObject({ Requests: 1, ...counts });
});

test('a 500 counts in ServerErrors, not ClientErrors', async () => {
  // 500: the lowest server error (RFC 9110 section 15.6); a table that does not exist is not transient.
  const broken = loadHandler(ITEMS_HANDLER_SOURCE, handlerEnv(backend, { TABLE_NAME: 'no-such-table' }));
  const response = await invoke(broken, { method: 'GET', path: '/items/x' });
  expect(response.statusCode).toBe(500);
  expect(metricsOf(response.requestId)).toMatchObject({ Requests: 1, ClientErrors: 0, ServerErrors: 1 });
});

test('the log line names the Lambda request id and the X-Ray trace id of the invocation', async () => {
  // The tracing header Lambda puts in _X_AMZN_TRACE_ID (https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader).
  process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
  try {
    const event = apiEvent({ method: 'GET', path: '/items/absent' });
    const lambdaRequestId = randomUUID();
    await handler(event, { awsRequestId: lambdaRequestId });
    expect(capturedOutput).toContainEqual(expect.objectContaining({
      message: 'request completed', requestId: event.requestContext.requestId, lambdaRequestId, xrayTraceId: '1-5759e988-bd862e3fe1be46a994272793',
    }));
  } finally {
    delete process.env._X_AMZN_TRACE_ID;
  }
});

describe('direct invokes without API Gateway request context (docs/items-api.md: RouteNotFound on direct invokes)', () => {
  test('the error body and the log line carry the Lambda request id, so the two can be matched', async () => {
    const lambdaRequestId = randomUUID();
    const response = await handler({ httpMethod: 'GET', path: '/things' } as any, { awsRequestId: lambdaRequestId } as any);
    expect({ status: response.statusCode, error: JSON.parse(response.body).error })
      .toEqual({ status: 404, error: expect.objectContaining({ code: 'RouteNotFound', requestId: lambdaRequestId }) });
    expect(capturedOutput).toContainEqual(expect.objectContaining({ message: 'request completed', requestId: lambdaRequestId, status: 404 }));
    expect(metricsOf(lambdaRequestId)).toMatchObject({ Requests: 1, ClientErrors: 1, ServerErrors: 0 });
  });

  test('an empty event (no method, no path) is a 4xx JSON error, never a failed invocation', async () => {
    for (const event of [null, {}]) {
      const response = await handler(event as any, { awsRequestId: randomUUID() } as any);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(JSON.parse(response.body).error.code).toEqual(expect.any(String));
    }
  });
});

test('Latency is the request\'s duration in milliseconds, declared as such in the EMF metadata', async () => {
  // EMF: each metric value is a root member named as in CloudWatchMetrics[].Metrics[].Name, with its Unit
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
  const before = Date.now();
  const response = await invoke(handler, { method: 'GET', path: '/items/absent' });
  const elapsed = Date.now() - before;
  const document = metricsOf(response.requestId) as any;
  expect(document._aws.CloudWatchMetrics[0].Metrics).toContainEqual({ Name: 'Latency', Unit: 'Milliseconds' });
  // Measured around the call: the handler's own duration lies within it.
  expect(document.Latency).toBeGreaterThanOrEqual(0);
  expect(document.Latency).toBeLessThanOrEqual(elapsed);
});

test('the EMF timestamp is the request\'s time in milliseconds since the epoch', async () => {
  // EMF specification, metadata: "Timestamp ... MUST be expressed as the number of milliseconds after Jan 1, 1970
  // 00:00:00 UTC" (CloudWatch rejects data points more than two weeks in the past).
  const before = Date.now();
  const response = await invoke(handler, { method: 'GET', path: '/items/absent' });
  const after = Date.now();
  const { _aws: metadata } = metricsOf(response.requestId) as { _aws: { Timestamp: number } };
  expect(metadata.Timestamp).toBeGreaterThanOrEqual(before);
  expect(metadata.Timestamp).toBeLessThanOrEqual(after);
});

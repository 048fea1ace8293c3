import { createSocket, type Socket } from 'node:dgram';
import { recordSubsegment } from '../../lambda-src/shared/tracing';

/**
 * The error flags of a failed call's subsegment, from the X-Ray segment document reference ("Errors and exceptions",
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html#api-segmentdocuments-errors): `error`
 * for a 4XX client error, `throttle` for 429 Too Many Requests, `fault` for a 5XX server error.
 */
describe('subsegment error flags', () => {
  let daemon: Socket;
  const documents: any[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    daemon = createSocket('udp4');
    daemon.on('message', (message) => documents.push(JSON.parse(message.toString().split('\n')[1])));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${daemon.address().port}`;
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
  });
  afterAll(() => {
    process.env = saved;
    daemon.close();
  });

  async function flagsOf(status: number | undefined, errorName: string): Promise<Record<string, unknown>> {
    documents.length = 0;
    recordSubsegment({ service: 'DynamoDB', operation: 'GetItem', startTime: Date.now() / 1000 }, status === undefined ? { attempts: 1 } : { httpStatusCode: status }, errorName);
    for (let wait = 0; documents.length === 0 && wait < 100; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
    const [document] = documents;
    return { error: document.error, fault: document.fault, throttle: document.throttle };
  }

  test.each([
    [500, 'InternalServerError', { error: false, fault: true, throttle: false }],
    [503, 'ServiceUnavailable', { error: false, fault: true, throttle: false }],
    [400, 'ConditionalCheckFailedException', { error: true, fault: false, throttle: false }],
    [499, 'UnknownError', { error: true, fault: false, throttle: false }],
    [429, 'TooManyRequestsException', { error: true, fault: false, throttle: true }],
    [400, 'ProvisionedThroughputExceededException', { error: true, fault: false, throttle: true }],
    [undefined, 'TimeoutError', { error: false, fault: true, throttle: false }],
  ])('status %s (%s)', async (status, name, flags) => {
    expect(await flagsOf(status, name)).toEqual(flags);
  });

  test('a call that succeeded carries no flags', async () => {
    documents.length = 0;
    recordSubsegment({ service: 'DynamoDB', operation: 'GetItem', startTime: Date.now() / 1000 }, { httpStatusCode: 200 });
    for (let wait = 0; documents.length === 0 && wait < 100; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(documents[0]).toMatchObject({ http: { response: { status: 200 } } });
    expect(documents[0]).not.toHaveProperty('error');
    expect(documents[0]).not.toHaveProperty('fault');
  });
});

import { randomUUID } from 'node:crypto';
import { createItemsBackend, type ItemsBackend } from './items-fixture';
import { IdempotencyStore, validIdempotencyKey, type IdempotencyClaim, type IdempotencyStart } from '../../lambda-src/items/idempotency';
import { AwsJsonClient, DYNAMODB } from '../../lambda-src/shared/aws-json-client';
import { HttpError } from '../../lambda-src/shared/http';
import { motoClientConfig } from '../harness/moto';

/**
 * The idempotency store against DynamoDB (moto), with a clock of its own. The flow is the one docs/items-api.md
 * promises ("Idempotency-Key") and the Powertools idempotency utility follows
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/): an INPROGRESS claim blocks a
 * retry until it expires (the invocation's remaining time), after which another request may take the key over.
 */
jest.setTimeout(60_000);

const WINDOW_SECONDS = 3600;
const IN_PROGRESS_MS = 10_000;
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);

let backend: ItemsBackend;
let client: AwsJsonClient;
let clock = T0;

beforeAll(async () => {
  const { endpoint, region, credentials } = motoClientConfig();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  });
  backend = await createItemsBackend('idem-store');
  client = new AwsJsonClient(DYNAMODB, { maxAttempts: 3, connectionTimeoutMs: 5_000, requestTimeoutMs: 10_000 });
});

function store(tableName = backend.tableName): IdempotencyStore {
  return new IdempotencyStore(client, tableName, WINDOW_SECONDS, () => clock);
}

function claimed(start: IdempotencyStart): IdempotencyClaim {
  if (start.kind !== 'claimed') throw new Error(`expected a claim, got ${JSON.stringify(start)}`);
  return start;
}

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return error;
}

test('a retry while the claim runs is 409 IdempotencyKeyInProgress with a Retry-After in seconds', async () => {
  const key = randomUUID();
  clock = T0;
  claimed(await store().start('POST /items', key, '{"data":{}}', 'write-1', IN_PROGRESS_MS));
  clock = T0 + IN_PROGRESS_MS / 2;
  const error = await refusal(store().start('POST /items', key, '{"data":{}}', 'write-2', IN_PROGRESS_MS));
  expect({ status: error.statusCode, code: error.code }).toEqual({ status: 409, code: 'IdempotencyKeyInProgress' });
  // RFC 9110 section 10.2.3: Retry-After = HTTP-date / delay-seconds, delay-seconds = 1*DIGIT.
  expect(error.headers['retry-after']).toMatch(/^[0-9]+$/);
  expect(error.message).toMatch(/Idempotency-Key/);
});

test('a claim whose request died is taken over once its in-progress time has passed; the first release then keeps it', async () => {
  const key = randomUUID();
  clock = T0;
  const first = claimed(await store().start('POST /items', key, '{"data":{}}', 'write-1', IN_PROGRESS_MS));
  clock = T0 + IN_PROGRESS_MS + 1;
  const second = claimed(await store().start('POST /items', key, '{"data":{}}', 'write-2', IN_PROGRESS_MS));
  expect(second).toEqual({ kind: 'claimed', recordId: first.recordId, writeId: 'write-2' });

  // The first request fails late and releases: the key is no longer its own, so nothing happens and nothing throws.
  await expect(store().release(first)).resolves.toBeUndefined();
  const third = await refusal(store().start('POST /items', key, '{"data":{}}', 'write-3', IN_PROGRESS_MS));
  expect(third.code).toBe('IdempotencyKeyInProgress');
});

test('a replay is the stored response, headers included, marked Idempotent-Replayed', async () => {
  const key = randomUUID();
  clock = T0;
  const claim = claimed(await store().start('PUT /items/{id}', key, '{"data":{},"version":1}', 'write-1', IN_PROGRESS_MS));
  const response = { statusCode: 200, headers: { 'content-type': 'application/json', 'etag': '"2"' }, body: '{"id":"a","version":2}' };
  await store().complete(claim, response);
  clock = T0 + 1_000;
  const replay = await store().start('PUT /items/{id}', key, '{"data":{},"version":1}', 'write-2', IN_PROGRESS_MS);
  expect(replay).toEqual({
    kind: 'replay',
    response: { statusCode: 200, headers: { 'content-type': 'application/json', 'etag': '"2"', 'idempotent-replayed': 'true' }, body: response.body },
  });
});

test('the same key with another body is 422 IdempotencyKeyReused, naming the key', async () => {
  const key = randomUUID();
  clock = T0;
  claimed(await store().start('POST /items', key, '{"data":{"a":1}}', 'write-1', IN_PROGRESS_MS));
  const error = await refusal(store().start('POST /items', key, '{"data":{"a":2}}', 'write-2', IN_PROGRESS_MS));
  expect({ status: error.statusCode, code: error.code }).toEqual({ status: 422, code: 'IdempotencyKeyReused' });
  expect(error.message).toMatch(/Idempotency-Key/);
});

test('a release that DynamoDB refuses for another reason than the condition fails', async () => {
  const claim: IdempotencyClaim = { kind: 'claimed', recordId: '#idempotency#' + '0'.repeat(64), writeId: 'write-1' };
  await expect(store(`missing-${randomUUID()}`).release(claim)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

test('a malformed Idempotency-Key is 400 and the message names the header', () => {
  let error: unknown;
  try {
    validIdempotencyKey('has space');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(HttpError);
  expect({ status: (error as HttpError).statusCode, code: (error as HttpError).code }).toEqual({ status: 400, code: 'InvalidIdempotencyKey' });
  expect((error as HttpError).message).toMatch(/Idempotency-Key/);
});

describe('Idempotency-Key format: 1 to 255 visible ASCII characters (docs/items-api.md)', () => {
  // Visible ASCII is VCHAR, %x21-7E (RFC 5234 appendix B.1).
  test.each(['!', '~', 'x'.repeat(255), `!${'a'.repeat(253)}~`])('%j is a key', (key) => {
    expect(validIdempotencyKey(key)).toBe(key);
  });

  test('no header is no key', () => {
    expect(validIdempotencyKey(undefined)).toBeUndefined();
  });

  test.each(['', ' ', 'x'.repeat(256), 'a\u007f', '\u007fa', 'a\u0020b', 'a\nb', 'é'])('%j is 400 InvalidIdempotencyKey', (key) => {
    let error: unknown;
    try {
      validIdempotencyKey(key);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect({ status: (error as HttpError).statusCode, code: (error as HttpError).code }).toEqual({ status: 400, code: 'InvalidIdempotencyKey' });
    expect((error as HttpError).message).toMatch(/1 to 255/);
  });
});

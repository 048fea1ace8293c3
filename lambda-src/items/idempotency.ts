import { createHash } from 'node:crypto';
import type { AttributeValue, DeleteItemInput, PutItemInput, UpdateItemInput } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { EXPIRES_AT_ATTRIBUTE } from '../../src/contract/items';
import { isServiceError, type AwsJsonClient } from '../shared/aws-json-client';
import { HttpError } from '../shared/http';

/**
 * `Idempotency-Key` records, kept in the items table beside the items (their ids start with `#`, which no item id
 * can) and removed by the table's TTL on `expiresAt`. The flow is the one of the Powertools idempotency utility: a
 * conditional put claims the key (INPROGRESS), the operation runs, the record is completed with the response; a
 * retry within the window gets the stored response, a different payload under the same key a 422, and a failed
 * operation releases the key so the client may retry.
 */
export const IDEMPOTENCY_ID_PREFIX = '#idempotency#';

const RECORD_ID = new RegExp(`^${IDEMPOTENCY_ID_PREFIX}[0-9a-f]{64}$`);
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

export function isIdempotencyRecordId(id: unknown): boolean {
  return typeof id === 'string' && RECORD_ID.test(id);
}

/** The `Idempotency-Key` header: 1 to 255 visible ASCII characters. */
export function validIdempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!KEY_FORMAT.test(raw)) throw new HttpError(400, 'InvalidIdempotencyKey', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
  return raw;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A claimed key: the operation may run, then `complete` or `release` it. */
export interface IdempotencyClaim {
  readonly kind: 'claimed';
  readonly recordId: string;
  readonly writeId: string;
}

export type IdempotencyStart = IdempotencyClaim | { readonly kind: 'replay'; readonly response: APIGatewayProxyResult };

interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export class IdempotencyStore {
  constructor(
    private readonly client: AwsJsonClient,
    private readonly tableName: string,
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Claims `key` for one operation (`scope`: method and route) and its payload. `inProgressMs` bounds how long a
   * claim whose request died blocks retries (the invocation's remaining time).
   */
  async start(scope: string, key: string, payload: string, writeId: string, inProgressMs: number): Promise<IdempotencyStart> {
    const recordId = `${IDEMPOTENCY_ID_PREFIX}${sha256(`${scope}\n${key}`)}`;
    const now = this.now();
    try {
      await this.client.call('PutItem', {
        TableName: this.tableName,
        Item: {
          id: { S: recordId },
          status: { S: 'INPROGRESS' },
          payloadHash: { S: sha256(payload) },
          writeId: { S: writeId },
          inProgressExpiresAt: { N: String(now + inProgressMs) },
          [EXPIRES_AT_ATTRIBUTE]: { N: String(Math.ceil(now / 1000) + this.windowSeconds) },
        },
        ConditionExpression: 'attribute_not_exists(#id) OR #expiresAt < :nowSeconds OR (#status = :inProgress AND #inProgressExpiresAt < :now)',
        ExpressionAttributeNames: { '#id': 'id', '#expiresAt': EXPIRES_AT_ATTRIBUTE, '#status': 'status', '#inProgressExpiresAt': 'inProgressExpiresAt' },
        // The TTL attribute is whole epoch seconds (rounded up); the comparison uses the exact time.
        ExpressionAttributeValues: { ':nowSeconds': { N: String(now / 1000) }, ':now': { N: String(now) }, ':inProgress': { S: 'INPROGRESS' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      } satisfies PutItemInput);
    } catch (error) {
      if (!isServiceError(error, 'ConditionalCheckFailedException')) throw error;
      return this.existing(error.fields.Item as Record<string, AttributeValue> | undefined, recordId, writeId, sha256(payload));
    }
    return { kind: 'claimed', recordId, writeId };
  }

  /** Stores the response of a claimed key. */
  async complete(claim: IdempotencyClaim, response: APIGatewayProxyResult): Promise<void> {
    const stored: StoredResponse = { statusCode: response.statusCode, headers: stringHeaders(response.headers), body: response.body };
    await this.client.call('UpdateItem', {
      TableName: this.tableName,
      Key: { id: { S: claim.recordId } },
      UpdateExpression: 'SET #status = :completed, #response = :response',
      ConditionExpression: '#writeId = :writeId',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response', '#writeId': 'writeId' },
      ExpressionAttributeValues: { ':completed': { S: 'COMPLETED' }, ':response': { S: JSON.stringify(stored) }, ':writeId': { S: claim.writeId } },
    } satisfies UpdateItemInput);
  }

  /** Releases a claimed key after a failed operation, so a retry runs it again. */
  async release(claim: IdempotencyClaim): Promise<void> {
    try {
      await this.client.call('DeleteItem', {
        TableName: this.tableName,
        Key: { id: { S: claim.recordId } },
        ConditionExpression: '#writeId = :writeId',
        ExpressionAttributeNames: { '#writeId': 'writeId' },
        ExpressionAttributeValues: { ':writeId': { S: claim.writeId } },
      } satisfies DeleteItemInput);
    } catch (error) {
      if (!isServiceError(error, 'ConditionalCheckFailedException')) throw error;
    }
  }

  private existing(record: Record<string, AttributeValue> | undefined, recordId: string, writeId: string, payloadHash: string): IdempotencyStart {
    // Our own claim, written by an attempt whose response was lost and retried by the client.
    // start() writes every record whole (status, payloadHash, writeId in one PutItem); the condition fails only on an
    // existing record, which ALL_OLD returns; complete() sets status COMPLETED and response in one UpdateItem.
    // Stryker disable next-line OptionalChaining: equivalent, a record always has writeId (see above)
    if (record?.writeId?.S === writeId) return { kind: 'claimed', recordId, writeId };
    // Stryker disable next-line OptionalChaining: equivalent, a record always has payloadHash (see above)
    if (record?.payloadHash?.S !== payloadHash) {
      throw new HttpError(422, 'IdempotencyKeyReused', 'This Idempotency-Key was used with a different request; use a new key.');
    }
    // Stryker disable next-line OptionalChaining: equivalent, no record is a 422 above; COMPLETED comes with its response
    if (record?.status?.S === 'COMPLETED' && record.response?.S !== undefined) {
      const stored = JSON.parse(record.response.S) as StoredResponse;
      return { kind: 'replay', response: { statusCode: stored.statusCode, headers: { ...stored.headers, 'idempotent-replayed': 'true' }, body: stored.body } };
    }
    throw new HttpError(409, 'IdempotencyKeyInProgress', 'A request with this Idempotency-Key is still in progress; retry later.', undefined, { 'retry-after': '1' });
  }
}

function stringHeaders(headers: APIGatewayProxyResult['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}

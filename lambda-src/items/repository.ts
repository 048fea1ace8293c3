import type {
  AttributeValue, DeleteItemInput, GetItemInput, GetItemOutput, PutItemInput, ScanInput, ScanOutput, UpdateItemInput, UpdateItemOutput,
} from '@aws-sdk/client-dynamodb';
import { fromAttributeValue, toAttributeValue } from './attribute-values';
import type { PageKey } from './pagination';
import { isItemId } from './validation';
import { isServiceError, type AwsJsonClient } from '../shared/aws-json-client';

/** An item as clients see it. */
export interface Item {
  readonly id: string;
  readonly data: Record<string, unknown>;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Stored beside the item: the id of the request that last wrote it. When a write succeeded but its response was lost
 * (timeout, 5xx) the client retries it, and the retry fails its condition against our own write; the matching write id
 * tells "my earlier attempt won" (success) apart from "someone else's write won" (conflict).
 */
const WRITE_ID = 'lastWriteId';

export type CreateResult = { readonly created: true; readonly item: Item } | { readonly created: false };
export type UpdateResult =
  | { readonly outcome: 'updated'; readonly item: Item }
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'conflict'; readonly currentVersion: number };
export type DeleteResult =
  | { readonly outcome: 'deleted' }
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'conflict'; readonly currentVersion: number };

export interface ItemsPage {
  readonly items: Item[];
  readonly lastKey?: PageKey;
}

function toItem(stored: Record<string, AttributeValue>): Item {
  return {
    id: stored.id.S!,
    data: fromAttributeValue(stored.data) as Record<string, unknown>,
    version: Number(stored.version.N),
    createdAt: stored.createdAt.S!,
    updatedAt: stored.updatedAt.S!,
  };
}

function storedItem(item: Item, writeId: string): Record<string, AttributeValue> {
  return {
    id: { S: item.id },
    data: toAttributeValue(item.data),
    version: { N: String(item.version) },
    createdAt: { S: item.createdAt },
    updatedAt: { S: item.updatedAt },
    [WRITE_ID]: { S: writeId },
  };
}

const CONDITION_FAILED = 'ConditionalCheckFailedException';

/** The item a failed condition check returned (ALL_OLD), still in DynamoDB's attribute-value form. */
function conditionFailureItem(error: unknown): Record<string, AttributeValue> | undefined {
  return isServiceError(error, CONDITION_FAILED) ? error.fields.Item as Record<string, AttributeValue> | undefined : undefined;
}

/**
 * Items in a table keyed by `id`. Every write is conditional (no lost update, no silent overwrite), every value a
 * client supplies travels in ExpressionAttributeValues, and expressions are constant strings.
 */
export class ItemsRepository {
  constructor(private readonly client: AwsJsonClient, private readonly tableName: string) {}

  /** Creates the item unless its id exists. */
  async create(item: Item, writeId: string): Promise<CreateResult> {
    try {
      await this.client.call('PutItem', {
        TableName: this.tableName,
        Item: storedItem(item, writeId),
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      } satisfies PutItemInput);
      return { created: true, item };
    } catch (error) {
      if (!isServiceError(error, CONDITION_FAILED)) throw error;
      const existing = conditionFailureItem(error);
      return existing?.[WRITE_ID]?.S === writeId ? { created: true, item } : { created: false };
    }
  }

  /** One strongly consistent GetItem, so a client reads the version its last write produced. */
  async get(id: string): Promise<Item | undefined> {
    const result = await this.client.call<GetItemOutput>('GetItem', { TableName: this.tableName, Key: { id: { S: id } }, ConsistentRead: true } satisfies GetItemInput);
    return result.Item ? toItem(result.Item) : undefined;
  }

  /** Replaces the data when the stored version is `expectedVersion`, and increments the version. */
  async update(id: string, data: Record<string, unknown>, expectedVersion: number, now: string, writeId: string): Promise<UpdateResult> {
    try {
      const result = await this.client.call<UpdateItemOutput>('UpdateItem', {
        TableName: this.tableName,
        Key: { id: { S: id } },
        UpdateExpression: 'SET #data = :data, #version = :next, #updatedAt = :now, #writeId = :writeId',
        ConditionExpression: 'attribute_exists(#id) AND #version = :expected',
        ExpressionAttributeNames: { '#id': 'id', '#data': 'data', '#version': 'version', '#updatedAt': 'updatedAt', '#writeId': WRITE_ID },
        ExpressionAttributeValues: {
          ':data': toAttributeValue(data),
          ':next': { N: String(expectedVersion + 1) },
          ':now': { S: now },
          ':expected': { N: String(expectedVersion) },
          ':writeId': { S: writeId },
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      } satisfies UpdateItemInput);
      return { outcome: 'updated', item: toItem(result.Attributes ?? {}) };
    } catch (error) {
      if (!isServiceError(error, CONDITION_FAILED)) throw error;
      const current = conditionFailureItem(error);
      if (!current) return { outcome: 'not-found' };
      const currentVersion = Number(current.version?.N);
      if (current[WRITE_ID]?.S === writeId && currentVersion === expectedVersion + 1) {
        return { outcome: 'updated', item: { id, data, version: currentVersion, createdAt: current.createdAt?.S ?? now, updatedAt: now } };
      }
      return { outcome: 'conflict', currentVersion };
    }
  }

  /**
   * Deletes the item, only at `expectedVersion` when one is given. The item is read first: once this request has seen
   * it, a delete whose condition then finds no item means it is gone (the client retried a delete whose response was
   * lost, or a concurrent delete won), which is a success, never a 404.
   */
  async delete(id: string, expectedVersion?: number): Promise<DeleteResult> {
    const seen = await this.get(id);
    if (!seen) return { outcome: 'not-found' };
    if (expectedVersion !== undefined && seen.version !== expectedVersion) return { outcome: 'conflict', currentVersion: seen.version };
    try {
      await this.client.call('DeleteItem', {
        TableName: this.tableName,
        Key: { id: { S: id } },
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } }
          : {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
          }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      } satisfies DeleteItemInput);
      return { outcome: 'deleted' };
    } catch (error) {
      if (!isServiceError(error, CONDITION_FAILED)) throw error;
      const current = conditionFailureItem(error);
      return current ? { outcome: 'conflict', currentVersion: Number(current.version?.N) } : { outcome: 'deleted' };
    }
  }

  /** One page of a Scan bounded by `limit`, starting after `startKey`; the table's other records are not items. */
  async list(limit: number, startKey?: PageKey): Promise<ItemsPage> {
    const result = await this.client.call<ScanOutput>('Scan', {
      TableName: this.tableName,
      Limit: limit,
      ExclusiveStartKey: startKey ? { id: { S: startKey.id } } : undefined,
    } satisfies ScanInput);
    const lastId = result.LastEvaluatedKey?.id?.S;
    return {
      items: (result.Items ?? []).filter((stored) => isItemId(stored.id?.S)).map(toItem),
      lastKey: lastId === undefined ? undefined : { id: lastId },
    };
  }
}

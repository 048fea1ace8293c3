import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PageKey } from './pagination';

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
 * (timeout, 5xx) the SDK retries it, and the retry fails its condition against our own write; the matching write id
 * tells "my earlier attempt won" (success) apart from "someone else's write won" (conflict).
 */
const WRITE_ID = 'lastWriteId';

export type CreateResult = { readonly created: true; readonly item: Item } | { readonly created: false };
export type UpdateResult =
  | { readonly outcome: 'updated'; readonly item: Item }
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'conflict'; readonly currentVersion: number };

export interface ItemsPage {
  readonly items: Item[];
  readonly lastKey?: PageKey;
}

function toItem(stored: Record<string, unknown>): Item {
  return {
    id: stored.id as string,
    data: stored.data as Record<string, unknown>,
    version: stored.version as number,
    createdAt: stored.createdAt as string,
    updatedAt: stored.updatedAt as string,
  };
}

/** The item a failed condition check returned (ALL_OLD), still in DynamoDB's attribute-value form. */
function conditionFailureItem(error: unknown): Record<string, AttributeValue> | undefined {
  return error instanceof ConditionalCheckFailedException ? error.Item : undefined;
}

/**
 * Items in a table keyed by `id`. Every write is conditional (no lost update, no silent overwrite), every value a
 * client supplies travels in ExpressionAttributeValues, and expressions are constant strings.
 */
export class ItemsRepository {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Creates the item unless its id exists. */
  async create(item: Item, writeId: string): Promise<CreateResult> {
    try {
      await this.client.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...item, [WRITE_ID]: writeId },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
      return { created: true, item };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = conditionFailureItem(error);
      return existing?.[WRITE_ID]?.S === writeId ? { created: true, item } : { created: false };
    }
  }

  /** One strongly consistent GetItem, so a client reads the version its last write produced. */
  async get(id: string): Promise<Item | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return result.Item ? toItem(result.Item) : undefined;
  }

  /** Replaces the data when the stored version is `expectedVersion`, and increments the version. */
  async update(id: string, data: Record<string, unknown>, expectedVersion: number, now: string, writeId: string): Promise<UpdateResult> {
    try {
      const result = await this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { id },
        UpdateExpression: 'SET #data = :data, #version = :next, #updatedAt = :now, #writeId = :writeId',
        ConditionExpression: 'attribute_exists(#id) AND #version = :expected',
        ExpressionAttributeNames: { '#id': 'id', '#data': 'data', '#version': 'version', '#updatedAt': 'updatedAt', '#writeId': WRITE_ID },
        ExpressionAttributeValues: { ':data': data, ':next': expectedVersion + 1, ':now': now, ':expected': expectedVersion, ':writeId': writeId },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
      return { outcome: 'updated', item: toItem(result.Attributes ?? {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = conditionFailureItem(error);
      if (!current) return { outcome: 'not-found' };
      const currentVersion = Number(current.version?.N);
      if (current[WRITE_ID]?.S === writeId && currentVersion === expectedVersion + 1) {
        return { outcome: 'updated', item: { id, data, version: currentVersion, createdAt: current.createdAt?.S ?? now, updatedAt: now } };
      }
      return { outcome: 'conflict', currentVersion };
    }
  }

  /** Deletes the item; false when there was none. */
  async delete(id: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteCommand({
        TableName: this.tableName,
        Key: { id },
        ConditionExpression: 'attribute_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** One page of a Scan bounded by `limit`, starting after `startKey`. */
  async list(limit: number, startKey?: PageKey): Promise<ItemsPage> {
    const result = await this.client.send(new ScanCommand({
      TableName: this.tableName,
      Limit: limit,
      ExclusiveStartKey: startKey ? { id: startKey.id } : undefined,
    }));
    const lastId = result.LastEvaluatedKey?.id;
    return {
      items: (result.Items ?? []).map(toItem),
      lastKey: typeof lastId === 'string' ? { id: lastId } : undefined,
    };
  }
}

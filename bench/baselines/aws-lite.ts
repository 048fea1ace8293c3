/// <reference types="@aws-lite/dynamodb-types" />
import awsLite from '@aws-lite/client';
// @ts-expect-error the plugin ships no types of its own; @aws-lite/dynamodb-types adds its methods to the client's.
import dynamodb from '@aws-lite/dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * Baseline: the lightest AWS client a user would pick for cold start. The items GET route written by hand with
 * `@aws-lite/client` and its DynamoDB plugin: the id checked against the items contract's pattern, one strongly
 * consistent GetItem, and the Secrets Manager signing key that list needs (read on first use, as the items handler
 * does). aws-lite builds its client asynchronously, so init starts that promise and the first request awaits it.
 * No logging, metrics, tracing, timeouts or retry budget.
 */
const ITEM_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const endpoint = process.env.AWS_ENDPOINT_URL;
const client = awsLite({ plugins: [dynamodb], ...(endpoint ? { endpoint } : {}) });
const tableName = process.env.TABLE_NAME;
let signingKey: Promise<string> | undefined;

/** The list route's token signing key, read once from the secret (unused by GET, present as in the items handler). */
export function tokenSigningKey(): Promise<string> {
  signingKey ??= client.then(async (aws) => {
    const response = await aws({
      service: 'secretsmanager',
      headers: { 'X-Amz-Target': 'secretsmanager.GetSecretValue', 'Content-Type': 'application/x-amz-json-1.1' },
      payload: { SecretId: process.env.SECRET_ARN },
    });
    return JSON.parse((response.payload as { SecretString: string }).SecretString).tokenSigningKey as string;
  });
  return signingKey;
}

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const id = event.pathParameters?.id;
  if (!id || !ITEM_ID.test(id)) return json(400, { error: { code: 'InvalidItemId', message: 'invalid item id' } });
  const aws = await client;
  const result = await aws.DynamoDB.GetItem({ TableName: tableName!, Key: { id }, ConsistentRead: true });
  const item = result.Item as { id: string; data: Record<string, unknown>; version: number; createdAt: string; updatedAt: string } | undefined;
  if (!item) return json(404, { error: { code: 'ItemNotFound', message: 'item not found' } });
  return json(200, { id: item.id, ...item.data, version: item.version, createdAt: item.createdAt, updatedAt: item.updatedAt });
}

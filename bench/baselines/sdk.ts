import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * Baseline: what a team writes by hand with the plain AWS SDK v3: a DynamoDB document client and a Secrets Manager
 * client created at init, and `GET /items/{id}` as one GetItem. No validation, logging, metrics or tracing.
 */
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const secretsManager = new SecretsManagerClient({});
const tableName = process.env.TABLE_NAME;

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const result = await documentClient.send(new GetCommand({ TableName: tableName, Key: { id: event.pathParameters?.id }, ConsistentRead: true }));
  return result.Item
    ? { statusCode: 200, body: JSON.stringify(result.Item) }
    : { statusCode: 404, body: JSON.stringify({ error: 'not found' }) };
}

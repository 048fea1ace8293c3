import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/**
 * Baseline: the same `GET /items/{id}` with Powertools for AWS Lambda: structured logs, EMF metrics, X-Ray tracing of
 * the SDK client, and the Parameters utility's SecretsProvider for the secret, all created at init.
 */
const logger = new Logger({ serviceName: 'items-api' });
const metrics = new Metrics({ namespace: 'ItemsApi', serviceName: 'items-api' });
const tracer = new Tracer({ serviceName: 'items-api' });
export const secrets = new SecretsProvider();
const documentClient = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
const tableName = process.env.TABLE_NAME;

export async function handler(event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context ?? ({ awsRequestId: event.requestContext?.requestId } as Context));
  metrics.captureColdStartMetric();
  const result = await documentClient.send(new GetCommand({ TableName: tableName, Key: { id: event.pathParameters?.id }, ConsistentRead: true }));
  const statusCode = result.Item ? 200 : 404;
  metrics.addMetric('Requests', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  logger.info('request completed', { status: statusCode });
  return { statusCode, body: JSON.stringify(result.Item ?? { error: 'not found' }) };
}

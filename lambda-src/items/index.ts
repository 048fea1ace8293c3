import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * Placeholder items handler: proves the lambda-src -> assets -> Code.fromAsset path end to end.
 * The real CRUD handler replaces it.
 */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  return {
    statusCode: 501,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: { code: 'NotImplemented', message: 'Not implemented', requestId: event.requestContext?.requestId } }),
  };
}

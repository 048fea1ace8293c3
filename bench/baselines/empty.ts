import type { APIGatewayProxyResult } from 'aws-lambda';

/** Baseline: the cost of a Node.js Lambda module that does nothing. */
export async function handler(): Promise<APIGatewayProxyResult> {
  return { statusCode: 200, body: '{}' };
}

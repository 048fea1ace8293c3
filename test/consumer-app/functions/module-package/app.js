// ESM by its package.json "type": "module", importing the runtime's SDK with import.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const region = await new DynamoDBClient({}).config.region();

export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ format: 'esm', region }) });

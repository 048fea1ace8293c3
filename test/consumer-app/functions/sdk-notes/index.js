// Uses the AWS SDK v3 the Lambda Node.js runtime provides; nothing is bundled.
const { DynamoDBClient, GetItemCommand, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const client = new DynamoDBClient({});

exports.handler = async (event) => {
  const key = { id: { S: event.pathParameters.id } };
  if (event.httpMethod === 'PUT') {
    await client.send(new PutItemCommand({ TableName: process.env.NOTES_TABLE, Item: { ...key, text: { S: JSON.parse(event.body).text } } }));
    return { statusCode: 204 };
  }
  const { Item } = await client.send(new GetItemCommand({ TableName: process.env.NOTES_TABLE, Key: key }));
  return Item
    ? { statusCode: 200, body: JSON.stringify({ id: Item.id.S, text: Item.text.S }) }
    : { statusCode: 404, body: JSON.stringify({ code: 'NotFound' }) };
};

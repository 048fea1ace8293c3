import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEmulatedResources } from '../../cli/emulated-resources';
import { CfnTemplate, ResolutionContext } from '../../cli/template';
import { proxyMethod, serveRestApi, ServedRestApi, thingsApiResources } from '../fixtures/rest-api-template';
import { motoClientConfig, motoEndpoint } from '../harness/moto';

// What API Gateway does that local mode must do too (API Gateway developer guide: "Set up a proxy integration",
// "Request validation", "Models"; DynamoDB CreateTable/UpdateTimeToLive): each case below failed to be noticed by the
// earlier tests when broken on purpose.

const template: CfnTemplate = {
  Resources: {
    ...thingsApiResources('fidelity'),
    Create: proxyMethod('Things', 'POST', { RequestModels: { 'application/json': { Ref: 'Model' } }, RequestValidatorId: { Ref: 'Validator' } }),
    Show: proxyMethod('Thing', 'GET'),
    Fn: { Type: 'AWS::Lambda::Function', Metadata: { 'aws:asset:path': 'asset.echo' }, Properties: { Handler: 'index.handler', Timeout: 3 } },
  },
};

const ECHO_HANDLER = 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ pathParameters: event.pathParameters, body: event.body }) });';

describe('local gateway, as API Gateway', () => {
  let served: ServedRestApi;
  let url: string;

  beforeAll(async () => {
    served = await serveRestApi(template, 'asset.echo', ECHO_HANDLER, { region: 'us-east-1', accountId: '123456789012', stackName: 'fidelity', resources: new Map() });
    url = served.url;
  });

  afterAll(() => served.close());

  test('path parameters reach the handler URL-decoded', async () => {
    for (const [sent, received] of [['a%20b', 'a b'], ['%C3%A9t%C3%A9', 'été'], ['x%2By', 'x+y']]) {
      const response = await fetch(`${url}/things/${sent}`);
      expect(response.status).toBe(200);
      expect((await response.json() as any).pathParameters).toEqual({ thingId: received });
    }
  });

  test.each(['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON'])(
    'the application/json model applies to %s', async (contentType) => {
      const rejected = await fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': contentType }, body: '{"nom":"x"}' });
      expect(rejected.status).toBe(400);
      expect(rejected.headers.get('x-amzn-errortype')).toBe('BAD_REQUEST_BODY');
      const accepted = await fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': contentType }, body: '{"name":"x"}' });
      expect(accepted.status).toBe(200);
    });
});

describe('emulated tables, as the template defines them', () => {
  const tableTemplate = (type: string): CfnTemplate => ({
    Resources: {
      Table: {
        Type: type,
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'status', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'N' }],
          GlobalSecondaryIndexes: [{
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          }],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        },
      },
    },
  });

  test.each(['AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table'])('%s gets its TTL attribute and its indexes in moto', async (type) => {
    const context: ResolutionContext = { region: 'us-east-1', accountId: '123456789012', stackName: `ttl-${type.length}`, resources: new Map() };
    await createEmulatedResources(motoEndpoint(), tableTemplate(type), context);
    const tableName = context.resources.get('Table')!.ref;
    const dynamodb = new DynamoDBClient(motoClientConfig());
    const { TimeToLiveDescription } = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Table!.GlobalSecondaryIndexes!.map((index) => ({
      name: index.IndexName, keys: index.KeySchema, projection: index.Projection!.ProjectionType,
    }));
    expect(indexes).toEqual([{ name: 'byStatus', keys: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], projection: 'KEYS_ONLY' }]);
  });
});

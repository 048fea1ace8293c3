import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulatedResource } from '../../cli/emulated-resources';
import { MotoClient } from '../../cli/moto-client';
import { ResolutionContext } from '../../cli/template';
import { motoEndpoint } from '../harness/moto';

/**
 * What `Fn::GetAtt` of an emulated resource resolves to, against CloudFormation's documented return values, and the
 * protocol of the calls that create it.
 */
const REGION = 'eu-west-3';
const ACCOUNT = '123456789012';

const context = (): ResolutionContext => ({ region: REGION, accountId: ACCOUNT, stackName: 'attributes', resources: new Map() });

/** A name no earlier run left in moto (Stryker keeps one moto server across its test runs). */
const unique = (base: string) => `${base}-${randomBytes(4).toString('hex')}`;

const KEY = { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] };

/** One call to moto's DynamoDB JSON API. */
function dynamodb(operation: string, body: unknown): Promise<any> {
  return new MotoClient(motoEndpoint(), REGION).json('dynamodb', `DynamoDB_20120810.${operation}`, '1.0', body);
}

describe('DynamoDB table attributes', () => {
  // AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable return values (CloudFormation user guide): Arn is the table's
  // ARN, arn:aws:dynamodb:<region>:<account>:table/<name>; StreamArn the ARN of its stream, e.g.
  // arn:aws:dynamodb:us-east-1:123456789012:table/testddbstack-myDynamoDBTable-012A1SL7SMP5Q/stream/2015-11-30T20:10:00.000
  // (moto's stream label has microseconds).
  test.each(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'])('a %s with a stream resolves Arn and StreamArn to the table\'s and its stream\'s', async (type) => {
    const name = unique(`streamed-${type.split('::')[2].toLowerCase()}`);
    const resolved = await createEmulatedResource(new MotoClient(motoEndpoint(), REGION), 'Orders', {
      Type: type, Properties: { TableName: name, ...KEY, StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } },
    }, context());
    const tableArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
    expect(resolved.ref).toBe(name);
    expect(resolved.attributes.Arn).toBe(tableArn);
    expect(resolved.attributes.StreamArn).toMatch(new RegExp(`^${tableArn}/stream/\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d+$`));
    const { Table } = await dynamodb('DescribeTable', { TableName: name });
    expect(Table.LatestStreamArn).toBe(resolved.attributes.StreamArn);
    expect(Table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  test('a table without a stream has no stream ARN', async () => {
    const name = unique('no-stream');
    const resolved = await createEmulatedResource(new MotoClient(motoEndpoint(), REGION), 'Plain', {
      Type: 'AWS::DynamoDB::Table', Properties: { TableName: name, ...KEY },
    }, context());
    expect(resolved.attributes.Arn).toBe(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`);
    expect(resolved.attributes.StreamArn).toBeFalsy();
  });
});

describe('S3 bucket attributes', () => {
  // AWS::S3::Bucket return values, as the examples of the resource provider schema shipped in cfn-lint give them:
  // Arn arn:aws:s3:::mybucket, DomainName mystack-mybucket-kdwwxmddtr2g.s3.amazonaws.com, RegionalDomainName
  // mystack-mybucket-kdwwxmddtr2g.s3.us-east-2.amazonaws.com.
  test('Arn, DomainName and RegionalDomainName are the bucket\'s, in the stack\'s region', async () => {
    const name = unique('attributes-reports');
    const resolved = await createEmulatedResource(new MotoClient(motoEndpoint(), REGION), 'Reports', {
      Type: 'AWS::S3::Bucket', Properties: { BucketName: name },
    }, context());
    expect(resolved).toEqual({
      ref: name,
      attributes: {
        Arn: `arn:aws:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.eu-west-3.amazonaws.com`,
      },
    });
  });
});

/** A proxy in front of moto that records the content type of each JSON-protocol call, by its X-Amz-Target. */
class RecordingProxy {
  static async start(target: string): Promise<RecordingProxy> {
    const proxy = new RecordingProxy(target);
    await new Promise<void>((listening) => proxy.server.listen(0, '127.0.0.1', listening));
    return proxy;
  }

  readonly contentTypes = new Map<string, string | undefined>();
  private readonly server: Server;

  private constructor(target: string) {
    this.server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<string, string>;
      this.contentTypes.set(String(request.headers['x-amz-target']), request.headers['content-type']);
      const forwarded = await fetch(`${target}${request.url}`, { method: request.method, headers, body: chunks.length > 0 ? Buffer.concat(chunks) : undefined });
      response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
      response.end(Buffer.from(await forwarded.arrayBuffer()));
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((closed) => this.server.close(() => closed()));
  }
}

describe('the calls that create a table', () => {
  // DynamoDB's low-level API takes JSON with Content-Type application/x-amz-json-1.0 (Amazon DynamoDB developer guide,
  // "DynamoDB low-level API", and every request example of the DynamoDB API reference).
  test('CreateTable and UpdateTimeToLive are sent as application/x-amz-json-1.0, and the TTL is on', async () => {
    const proxy = await RecordingProxy.start(motoEndpoint());
    const name = unique('expiring');
    try {
      await createEmulatedResource(new MotoClient(proxy.endpoint, REGION), 'Expiring', {
        Type: 'AWS::DynamoDB::Table', Properties: { TableName: name, ...KEY, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } },
      }, context());
      expect(Object.fromEntries(proxy.contentTypes)).toEqual({
        'DynamoDB_20120810.CreateTable': 'application/x-amz-json-1.0',
        'DynamoDB_20120810.UpdateTimeToLive': 'application/x-amz-json-1.0',
      });
      const { TimeToLiveDescription } = await dynamodb('DescribeTimeToLive', { TableName: name });
      expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    } finally {
      await proxy.close();
    }
  });
});

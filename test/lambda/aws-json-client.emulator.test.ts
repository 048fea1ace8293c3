import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsJsonClient, AwsServiceError, DYNAMODB, SECRETS_MANAGER, serviceEndpoint, signedHeaders } from '../../lambda-src/shared/aws-json-client';

/** The items handler's own client for AWS's JSON protocols, held against the AWS SDK's signer and the protocol spec. */

describe('Signature Version 4', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };
  const now = new Date('2026-12-07T06:18:45.123Z');

  test.each([
    ['https://dynamodb.eu-west-1.amazonaws.com/', 'eu-west-1', 'dynamodb'],
    ['http://127.0.0.1:5000/', 'us-east-1', 'secretsmanager'],
  ])('signs a JSON POST to %s exactly as the AWS SDK signer does', async (endpoint, region, service) => {
    const url = new URL(endpoint);
    const body = JSON.stringify({ TableName: 'items', Key: { id: { S: 'a b' } }, ConsistentRead: true });
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' };
    const ours = signedHeaders(url, body, headers, credentials, region, service, now);

    // The oracle: the SDK's own signer (the package the SDK clients sign with), same request, same clock.
    const signer = new SignatureV4({ credentials, region, service, sha256: Hash.bind(null, 'sha256'), applyChecksum: true });
    const theirs = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: '/',
      headers: { ...headers, 'host': url.host, 'x-amz-content-sha256': ours['x-amz-content-sha256'] },
      body,
    }, { signingDate: now });
    expect(ours.authorization).toBe(theirs.headers.authorization);
    expect(ours['x-amz-date']).toBe('20261207T061845Z');
    expect(ours['x-amz-security-token']).toBe('session-token');
  });
});

describe('endpoints', () => {
  // "Service-specific endpoints" (AWS SDKs and Tools reference guide): AWS_ENDPOINT_URL_<SERVICE ID> wins over
  // AWS_ENDPOINT_URL, and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns both off. Service ids: DynamoDB, Secrets Manager.
  test('the service variable, then the global one, then the regional endpoint', () => {
    expect(serviceEndpoint(DYNAMODB, 'us-east-1', { AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8000', AWS_ENDPOINT_URL: 'http://other:1' }).href)
      .toBe('http://localhost:8000/');
    expect(serviceEndpoint(SECRETS_MANAGER, 'us-east-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }).href).toBe('http://127.0.0.1:5000/');
    expect(serviceEndpoint(DYNAMODB, 'eu-central-1', {}).href).toBe('https://dynamodb.eu-central-1.amazonaws.com/');
    expect(serviceEndpoint(SECRETS_MANAGER, 'cn-north-1', {}).href).toBe('https://secretsmanager.cn-north-1.amazonaws.com.cn/');
    expect(serviceEndpoint(DYNAMODB, 'us-east-1', { AWS_ENDPOINT_URL: 'http://x:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).href)
      .toBe('https://dynamodb.us-east-1.amazonaws.com/');
  });
});

describe('calls, errors and retries against a scripted service', () => {
  let server: Server;
  let answers: Array<(request: IncomingMessage, body: string) => { status: number; body: string; headers?: Record<string, string> }>;
  let seen: Array<{ target?: string; contentType?: string; body: string }>;
  const saved = { ...process.env };
  const budget = { maxAttempts: 3, connectionTimeoutMs: 1000, requestTimeoutMs: 300 };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ target: request.headers['x-amz-target'] as string, contentType: request.headers['content-type'], body });
        const answer = answers.shift();
        if (!answer) return; // never answers: the attempt times out
        const { status, body: out, headers } = answer(request, body);
        response.writeHead(status, { 'x-amzn-requestid': `req-${seen.length}`, ...headers }).end(out);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    process.env.AWS_REGION = 'us-east-1';
  });
  afterAll(async () => {
    process.env = saved;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    answers = [];
    seen = [];
  });

  test('an operation is a POST with the protocol target and content type, and answers the JSON body with $metadata', async () => {
    answers.push(() => ({ status: 200, body: '{"Item":{"id":{"S":"a"}}}' }));
    const output = await new AwsJsonClient(DYNAMODB, budget).call('GetItem', { TableName: 't', Key: { id: { S: 'a' } } });
    expect(output).toEqual({ Item: { id: { S: 'a' } }, $metadata: { httpStatusCode: 200, requestId: 'req-1', attempts: 1 } });
    // awsJson1_0 for DynamoDB, awsJson1_1 for Secrets Manager (the Smithy AWS JSON protocol specifications).
    expect(seen).toEqual([{ target: 'DynamoDB_20120810.GetItem', contentType: 'application/x-amz-json-1.0', body: '{"TableName":"t","Key":{"id":{"S":"a"}}}' }]);
    answers.push(() => ({ status: 200, body: '{"SecretString":"s"}' }));
    await new AwsJsonClient(SECRETS_MANAGER, budget).call('GetSecretValue', { SecretId: 'x' });
    expect(seen[1]).toMatchObject({ target: 'secretsmanager.GetSecretValue', contentType: 'application/x-amz-json-1.1' });
  });

  test('a service error is named by its __type (namespace and suffix dropped), keeps its members, and is not retried', async () => {
    answers.push(() => ({
      status: 400,
      body: '{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"id":{"S":"a"}}}',
    }));
    const error = await new AwsJsonClient(DYNAMODB, budget).call('PutItem', {}).catch((e: unknown) => e) as AwsServiceError;
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(error.message).toBe('The conditional request failed');
    expect(error.fields).toEqual({ Item: { id: { S: 'a' } } });
    expect(error.$metadata).toEqual({ httpStatusCode: 400, requestId: 'req-1', attempts: 1 });
    expect(seen).toHaveLength(1);
  });

  test('the error name may come from X-Amzn-ErrorType alone', async () => {
    answers.push(() => ({ status: 400, body: '', headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/' } }));
    await expect(new AwsJsonClient(SECRETS_MANAGER, budget).call('GetSecretValue', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('throttling and 5xx are retried up to the attempt budget, then the last error is thrown with its attempt count', async () => {
    const throttled = () => ({ status: 400, body: '{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}' });
    answers.push(throttled, () => ({ status: 503, body: '' }), throttled);
    const error = await new AwsJsonClient(DYNAMODB, budget).call('GetItem', {}).catch((e: unknown) => e) as AwsServiceError;
    expect(error.name).toBe('ProvisionedThroughputExceededException');
    expect(error.$metadata.attempts).toBe(3);
    expect(seen).toHaveLength(3);
  });

  test('a retry that succeeds answers with the attempts it took', async () => {
    answers.push(() => ({ status: 500, body: '{"__type":"InternalServerError"}' }), () => ({ status: 200, body: '{}' }));
    await expect(new AwsJsonClient(DYNAMODB, budget).call('GetItem', {})).resolves.toEqual({ $metadata: { httpStatusCode: 200, requestId: 'req-2', attempts: 2 } });
  });

  test('an attempt that outlives its timeout is abandoned as TimeoutError and retried', async () => {
    answers.push(); // the first request gets no answer
    const client = new AwsJsonClient(DYNAMODB, { ...budget, maxAttempts: 2 });
    const pending = client.call('GetItem', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    answers.push(() => ({ status: 200, body: '{}' }));
    await expect(pending).resolves.toMatchObject({ $metadata: { attempts: 2 } });
  });

  test('an error page without a type (a proxy\'s HTML) is named by its status: 500 and above InternalServerError, below UnknownError', async () => {
    // DynamoDB's API reference names its HTTP 500 error InternalServerError ("Common Errors"); a 4xx without a type
    // names nothing the retry mode knows.
    const page = (status: number) => () => ({ status, body: '<html>error</html>', headers: { 'content-type': 'text/html' } });
    const client = new AwsJsonClient(DYNAMODB, { ...budget, maxAttempts: 1 });
    answers.push(page(500));
    await expect(client.call('GetItem', {})).rejects.toMatchObject({ name: 'InternalServerError', message: 'HTTP 500' });
    answers.push(page(504));
    await expect(client.call('GetItem', {})).rejects.toMatchObject({ name: 'InternalServerError', message: 'HTTP 504' });
    answers.push(page(403));
    await expect(client.call('GetItem', {})).rejects.toMatchObject({ name: 'UnknownError', message: 'HTTP 403' });
  });

  test('the retry quota stops retrying when most calls fail, as the standard retry mode does', async () => {
    // 500 tokens, 5 per retry: after 100 retried calls no token is left, and the next failure is thrown at once.
    const client = new AwsJsonClient(DYNAMODB, { ...budget, maxAttempts: 2 });
    const failure = () => ({ status: 500, body: '{"__type":"InternalServerError"}' });
    for (let call = 0; call < 100; call++) {
      answers.push(failure, failure);
      await client.call('GetItem', {}).catch(() => undefined);
    }
    expect(seen).toHaveLength(200);
    answers.push(failure, failure);
    await expect(client.call('GetItem', {})).rejects.toMatchObject({ $metadata: { attempts: 1 } });
    expect(seen).toHaveLength(201);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { freeLoopbackPort } from '../../cli/moto-server';
import { LocalProcess, serveLocally, startLocal } from '../harness/local-process';

const ALLOWED_ORIGIN = 'https://app.example.com';

async function isListening(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('cdk-secure-serverless local, on the prod example app', () => {
  let local: LocalProcess;
  let url: string;
  let motoEndpoint: string;

  beforeAll(async () => {
    ({ local, url } = await serveLocally(['--stack', 'orders-prod', '--no-auth']));
    motoEndpoint = /AWS emulator \(moto\): (\S+)/.exec(local.output())![1];
  }, 120_000);

  afterAll(() => {
    if (local?.child.exitCode === null) local.child.kill('SIGKILL');
  });

  const json = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  test('prints what is emulated, what is skipped, that authorization is not enforced, and a curl per route', () => {
    const output = local.output();
    expect(output).toMatch(/Emulated in moto:\n {2}AWS::KMS::Key OrdersKey\w+ -> /);
    expect(output).toMatch(/AWS::DynamoDB::GlobalTable OrdersTable\w+ -> orders-prod-OrdersTable/);
    expect(output).toMatch(/AWS::SecretsManager::Secret OrdersSecret\w+ -> arn:aws:secretsmanager:/);
    expect(output).toMatch(/AWS::S3::Bucket OrdersArtifactsBucket\w+ -> /);
    expect(output).toMatch(/Skipped \(not emulated\): .*AWS::WAFv2::WebACL \(1\)/);
    expect(output).toContain('Authorization is NOT enforced locally');
    for (const route of [`curl -i ${url}/health`, `curl -i -X POST ${url}/items`, `curl -i ${url}/items`, `curl -i ${url}/items/example-1`,
      `curl -i -X PUT ${url}/items/example-1`, `curl -i -X DELETE ${url}/items/example-1`, `curl -i -X OPTIONS ${url}/health -H 'origin: https://app.example.com'`]) {
      expect(output).toContain(route);
    }
  });

  test('creates the table with the template key schema and the secret in the generated JSON shape', async () => {
    const config = { endpoint: motoEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const regionOf = /arn:aws:secretsmanager:([^:]+):/.exec(local.output())![1];
    const dynamodb = new DynamoDBClient({ ...config, region: regionOf });
    const [tableName] = (await dynamodb.send(new ListTablesCommand({}))).TableNames!;
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table!.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    const secrets = new SecretsManagerClient({ ...config, region: regionOf });
    const [secret] = (await secrets.send(new ListSecretsCommand({}))).SecretList!;
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secret.ARN }));
    expect(Object.keys(JSON.parse(SecretString!))).toEqual(['tokenSigningKey']);
    expect(JSON.parse(SecretString!).tokenSigningKey).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  test('drives the items CRUD through the real handler', async () => {
    const created = await json('POST', '/items', { id: 'order-1', data: { total: 12 } });
    expect(created.status).toBe(201);
    expect(await created.json() as any).toMatchObject({ id: 'order-1', data: { total: 12 }, version: 1 });

    const read = await json('GET', '/items/order-1');
    expect(read.status).toBe(200);
    expect(await read.json() as any).toMatchObject({ id: 'order-1', version: 1 });

    const updated = await json('PUT', '/items/order-1', { data: { total: 13 }, version: 1 });
    expect(updated.status).toBe(200);
    expect(await updated.json() as any).toMatchObject({ data: { total: 13 }, version: 2 });

    const list = await json('GET', '/items?limit=10');
    expect(list.status).toBe(200);
    expect((await list.json() as any).items.map((item: { id: string }) => item.id)).toContain('order-1');

    expect((await json('DELETE', '/items/order-1')).status).toBe(204);
    const gone = await json('GET', '/items/order-1');
    expect(gone.status).toBe(404);
    expect((await gone.json() as any).error.code).toBe('ItemNotFound');
  });

  test('answers the MOCK health route from the template', async () => {
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json() as any).toEqual({ status: 'ok' });
  });

  test('rejects a body that fails the model with 400 and the validation detail, from the BAD_REQUEST_BODY gateway response', async () => {
    const response = await json('POST', '/items', { data: 'not an object', extra: true }, { origin: ALLOWED_ORIGIN });
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const body = await response.json() as any;
    expect(body.error).toMatchObject({ code: 'ValidationError', message: 'Invalid request body', requestId: response.headers.get('x-amzn-requestid') });
    expect(body.error.details).toEqual([{ path: '', message: expect.stringContaining('/data') }]);
    expect(body.error.details[0].message).toContain('/extra');
    // The gateway answered: nothing reached the table.
    expect((await (await json('GET', '/items')).json() as any).items).toEqual([]);
  });

  test('answers a CORS preflight from an allowed origin with the template headers', async () => {
    const response = await fetch(`${url}/items`, {
      method: 'OPTIONS',
      headers: { 'origin': ALLOWED_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('Content-Type');
  });

  test('adds CORS headers to handler responses for an allowed origin', async () => {
    const response = await json('GET', '/items', undefined, { origin: ALLOWED_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  test('answers an unknown route with the gateway JSON error (403 Missing Authentication Token, as API Gateway does)', async () => {
    const response = await fetch(`${url}/no-such-route`);
    expect(response.status).toBe(403);
    const body = await response.json() as any;
    expect(body.error).toEqual({ code: 'MissingAuthenticationToken', message: 'Missing Authentication Token', requestId: response.headers.get('x-amzn-requestid'), details: [] });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('stops on SIGTERM with exit code 0 and leaves no server behind', async () => {
    local.child.kill('SIGTERM');
    expect(await local.exited).toBe(0);
    expect(local.output()).toContain('Stopped.');
    expect(await isListening(motoEndpoint)).toBe(false);
    expect(await isListening(url)).toBe(false);
  });
});

describe('cdk-secure-serverless local without moto', () => {
  let assemblyDir: string;

  beforeAll(() => {
    // The smallest assembly with a REST API: the error must come before any synthesis cost.
    assemblyDir = mkdtempSync(join(tmpdir(), 'local-mode-assembly-'));
    writeFileSync(join(assemblyDir, 'manifest.json'), JSON.stringify({
      version: '36.0.0',
      artifacts: { api: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'api.template.json' } } },
    }));
    writeFileSync(join(assemblyDir, 'api.template.json'), JSON.stringify({ Resources: { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } } } }));
  });

  afterAll(() => rmSync(assemblyDir, { recursive: true, force: true }));

  test('a Python without moto fails with the install line', async () => {
    // -S hides site-packages, so this interpreter has no moto.
    const python = join(assemblyDir, 'python-without-moto');
    writeFileSync(python, '#!/bin/sh\nexec python3 -S "$@"\n', { mode: 0o755 });
    const local = startLocal(['--app', assemblyDir, '--port', String(await freeLoopbackPort())], { ...process.env, PYTHON: python });
    expect(await local.exited).toBe(1);
    expect(local.output()).toContain('pip install "moto[server]"');
    expect(local.output()).toContain(`moto is not installed for ${python}`);
  });

  test('a missing Python fails with the install line', async () => {
    const python = join(assemblyDir, 'no-such-python');
    const local = startLocal(['--app', assemblyDir, '--port', String(await freeLoopbackPort())], { ...process.env, PYTHON: python });
    expect(await local.exited).toBe(1);
    expect(local.output()).toContain('pip install "moto[server]"');
    expect(local.output()).toContain(`Python was not found at "${python}"`);
  });
});

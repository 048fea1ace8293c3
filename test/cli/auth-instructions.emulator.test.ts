import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { AuthorizationSetup, createSignInClients, curlAuthentication, describeAuthorization } from '../../cli/auth-instructions';
import { LocalAuthorizer, generateCredentials } from '../../cli/local-auth';
import { MotoClient } from '../../cli/moto-client';
import { ApiMethod, RestApiDefinition } from '../../cli/rest-api';
import { motoEndpoint } from '../harness/moto';

/**
 * The authentication local mode prints at start (docs/local-mode.md, "It enforces each method's authorization"): the
 * curl options of each route, which "work as printed", and the commands that get a Cognito token. The printed shell
 * lines are run here with bash, curl and the AWS CLI, as a user would paste them.
 */
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

function method(authorizationType: string, overrides: Partial<ApiMethod> = {}): ApiMethod {
  const none = { userPoolArns: [], authorizationScopes: [], requestModels: {}, requiredParameters: [] };
  return { ...none, httpMethod: 'GET', authorizationType, integrationType: 'AWS_PROXY', validateBody: false, validateParameters: false, ...overrides };
}

const poolArn = (poolId: string) => `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${poolId}`;

/** Runs shell lines with bash (without blocking, so the servers of this process answer them); resolves with standard output. */
async function shell(script: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return stdout;
}

type Handler = (request: IncomingMessage, body: Buffer) => Promise<[number, string]>;

/** An HTTP server on 127.0.0.1 that answers each request with `handle`. */
async function serve(handle: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const [status, body] = await handle(request, Buffer.concat(chunks));
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}

const headersOf = (request: IncomingMessage) => Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));

describe('the curl options of a route', () => {
  const credentials = generateCredentials();
  const setup: AuthorizationSetup = { credentials, region: REGION, motoEndpoint: 'http://127.0.0.1:1', signInClients: new Map() };

  test('of an IAM route sign the request so that local mode\'s authorizer grants it; another secret is refused', async () => {
    const authorizer = new LocalAuthorizer(credentials, REGION, ACCOUNT, 'http://127.0.0.1:1');
    const iam = method('AWS_IAM');
    const api = await serve(async (request, body) => {
      const outcome = await authorizer.authorize(iam, { httpMethod: request.method!, target: request.url!, headers: headersOf(request), body });
      return outcome.granted ? [200, '{}'] : [403, JSON.stringify(outcome)];
    });
    try {
      const options = curlAuthentication(iam, setup);
      // docs/local-mode.md: "The printed curl commands sign with curl's --aws-sigv4 'aws:amz:REGION:execute-api'".
      expect(options).toContain(`--aws-sigv4 'aws:amz:${REGION}:execute-api'`);
      const status = (curlOptions: string) => shell(`curl -s -o /dev/null -w '%{http_code}' ${api.url}/items?limit=2${curlOptions}`);
      expect(await status(options)).toBe('200');
      const wrongSecret = curlAuthentication(iam, { ...setup, credentials: { ...credentials, secretAccessKey: 'x'.repeat(40) } });
      expect(await status(wrongSecret)).toBe('403');
    } finally {
      await api.close();
    }
  });

  test('of a Cognito route send $ID_TOKEN, or $ACCESS_TOKEN when the route has scopes, as the Authorization header', async () => {
    const api = await serve(async (request) => [200, JSON.stringify({ authorization: request.headers.authorization ?? null })]);
    try {
      const sent = async (m: ApiMethod) => JSON.parse(await shell(`curl -s ${api.url}/items${curlAuthentication(m, setup)}`, { ID_TOKEN: 'id.token', ACCESS_TOKEN: 'access.token' })).authorization;
      expect(await sent(method('COGNITO_USER_POOLS', { userPoolArns: [poolArn('eu-west-1_a')] }))).toBe('id.token');
      expect(await sent(method('COGNITO_USER_POOLS', { userPoolArns: [poolArn('eu-west-1_a')], authorizationScopes: ['orders/read'] }))).toBe('access.token');
      expect(await sent(method('NONE'))).toBeNull();
    } finally {
      await api.close();
    }
  });

  test('with --no-auth (no credentials) add nothing, for any route', () => {
    const noAuth: AuthorizationSetup = { region: REGION, motoEndpoint: 'http://127.0.0.1:1', signInClients: new Map() };
    for (const type of ['AWS_IAM', 'COGNITO_USER_POOLS', 'NONE']) expect(curlAuthentication(method(type, { authorizationScopes: ['a/b'] }), noAuth)).toBe('');
  });
});

describe('the startup lines', () => {
  test('with --no-auth say that authorization is not enforced', () => {
    const lines = describeAuthorization({ region: REGION, motoEndpoint: 'http://127.0.0.1:1', signInClients: new Map() });
    expect(lines.join('\n')).toMatch(/NOT enforced/);
    expect(lines.join('\n')).toContain('--no-auth');
  });

  test('with authorization on, give the credentials IAM routes accept and the region of their scope', () => {
    const credentials = generateCredentials();
    const text = describeAuthorization({ credentials, region: REGION, motoEndpoint: 'http://127.0.0.1:1', signInClients: new Map() }).join('\n');
    expect(text).toContain('--no-auth');
    expect(text).toContain(REGION);
    // docs/local-mode.md: "SDK clients use the printed AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY".
    expect(text).toContain(`AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`);
    expect(text).not.toMatch(/ID_TOKEN|ACCESS_TOKEN=/);
  });

  test('for a Cognito pool, AWS CLI commands that create a user and put an ID token of the pool into $ID_TOKEN', async () => {
    const moto = new MotoClient(motoEndpoint(), REGION);
    const { UserPool } = await moto.json('cognito-idp', 'AWSCognitoIdentityProviderService.CreateUserPool', '1.1', { PoolName: 'printed-sign-in' });
    const cognito = method('COGNITO_USER_POOLS', { userPoolArns: [UserPool.Arn] });
    const api = { resources: [{ path: '/items', methods: new Map([['GET', cognito]]) }] } as unknown as RestApiDefinition;
    const signInClients = await createSignInClients(api, motoEndpoint(), REGION);
    const lines = describeAuthorization({ credentials: generateCredentials(), region: REGION, motoEndpoint: motoEndpoint(), signInClients });
    const commands = lines.filter((line) => /^\s+(export |aws |ID_TOKEN=)/.test(line));
    expect(commands.length).toBeGreaterThan(0);
    // The line that introduces them names the pool and the token.
    expect(lines.filter((line) => !commands.includes(line) && line.includes(UserPool.Id))).toEqual([expect.stringMatching(/ID token/)]);
    // The AWS CLI prints the created user; the token is what $ID_TOKEN holds afterwards.
    const token = await shell(`{\n${commands.join('\n')}\n} > /dev/null\nprintf %s "$ID_TOKEN"`);
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const authorizer = new LocalAuthorizer(generateCredentials(), REGION, ACCOUNT, motoEndpoint());
    await authorizer.prepare(api);
    const outcome = await authorizer.authorize(cognito, { httpMethod: 'GET', target: '/items', headers: { authorization: token }, body: Buffer.alloc(0) });
    expect(outcome).toMatchObject({ granted: true, authorizer: { claims: { token_use: 'id' } } });
  });

  test('for a scoped route, the curl that gets an access token by the client-credentials grant into $ACCESS_TOKEN', async () => {
    const client = { poolId: 'eu-west-1_pool', clientId: 'machine-client', clientSecret: 's3cr3t', scopes: ['orders/read', 'orders/write'] };
    // Cognito's token endpoint (Amazon Cognito developer guide, "The token endpoint"; RFC 6749 section 4.4): a POST
    // with the client's id and secret as HTTP Basic credentials and the form grant_type=client_credentials&scope=...,
    // answered with a JSON body holding access_token.
    const requests: { authorization?: string; contentType?: string; form: Record<string, string> }[] = [];
    const tokens = await serve(async (request, body) => {
      requests.push({ authorization: request.headers.authorization, contentType: request.headers['content-type'], form: Object.fromEntries(new URLSearchParams(body.toString())) });
      return [200, JSON.stringify({ access_token: 'eyJ.access-token_1', expires_in: 3600, token_type: 'Bearer' })];
    });
    try {
      const lines = describeAuthorization({
        credentials: generateCredentials(), region: REGION, motoEndpoint: motoEndpoint(), signInClients: new Map(), machineClients: [client], tokenUrl: `${tokens.url}/_cognito/oauth2/token`,
      });
      const command = lines.find((line) => line.trim().startsWith('ACCESS_TOKEN='));
      expect(command).toBeDefined();
      expect(await shell(`${command}\nprintf %s "$ACCESS_TOKEN"`)).toBe('eyJ.access-token_1');
      expect(requests).toEqual([{
        authorization: `Basic ${Buffer.from('machine-client:s3cr3t').toString('base64')}`,
        contentType: 'application/x-www-form-urlencoded',
        form: { grant_type: 'client_credentials', scope: 'orders/read orders/write' },
      }]);
      // The line that introduces it names the app client, its pool and its scopes as OAuth lists them (space-separated, RFC 6749 3.3).
      const introduction = lines[lines.indexOf(command!) - 1];
      for (const named of ['machine-client', 'eu-west-1_pool', 'orders/read orders/write']) expect(introduction).toContain(named);
    } finally {
      await tokens.close();
    }
  });
});

describe('the sign-in app clients', () => {
  test('one per user pool of the API\'s Cognito methods, except the pools that already have one', async () => {
    const moto = new MotoClient(motoEndpoint(), REGION);
    const createPool = async (name: string) => (await moto.json('cognito-idp', 'AWSCognitoIdentityProviderService.CreateUserPool', '1.1', { PoolName: name })).UserPool;
    const [first, second, known] = [await createPool('clients-first'), await createPool('clients-second'), await createPool('clients-known')];
    const api = {
      resources: [
        { path: '/items', methods: new Map([['GET', method('COGNITO_USER_POOLS', { userPoolArns: [first.Arn, second.Arn] })], ['POST', method('AWS_IAM')]]) },
        { path: '/items/{id}', methods: new Map([['GET', method('COGNITO_USER_POOLS', { userPoolArns: [first.Arn, known.Arn] })]]) },
      ],
    } as unknown as RestApiDefinition;
    // A pool only a method without Cognito authorization refers to: no route takes its tokens.
    const unused = await createPool('clients-unused');
    api.resources.push({ path: '/open', methods: new Map([['GET', method('NONE', { userPoolArns: [unused.Arn] })]]) });
    const created = await createSignInClients(api, motoEndpoint(), REGION, new Map([[known.Id, 'existing-client']]));
    expect([...created.keys()].sort()).toEqual([first.Id, second.Id].sort());
    const clientsOf = async (poolId: string) => (await moto.json('cognito-idp', 'AWSCognitoIdentityProviderService.ListUserPoolClients', '1.1', { UserPoolId: poolId, MaxResults: 10 }))
      .UserPoolClients.map((c: { ClientId: string }) => c.ClientId);
    expect(await clientsOf(first.Id)).toEqual([created.get(first.Id)]);
    expect(await clientsOf(second.Id)).toEqual([created.get(second.Id)]);
    expect(await clientsOf(known.Id)).toEqual([]);
    expect(await clientsOf(unused.Id)).toEqual([]);
  });
});

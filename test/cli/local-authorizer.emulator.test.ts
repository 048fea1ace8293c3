import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthOutcome, LocalAuthorizer, createSignInClient, generateCredentials } from '../../cli/local-auth';
import { MotoClient } from '../../cli/moto-client';
import { ApiMethod } from '../../cli/rest-api';
import { motoEndpoint } from '../harness/moto';

/**
 * The authorizer of local mode in-process, against the moto server of the test run: the clock-skew window of SigV4 and
 * the OAuth scopes of Cognito methods, which the end-to-end suite (local-auth.test.ts) does not reach.
 */
const REGION = 'eu-central-1';
const HOST = '127.0.0.1:3000';

function method(authorizationType: string, overrides: Partial<ApiMethod> = {}): ApiMethod {
  const none = { userPoolArns: [], authorizationScopes: [], requestModels: {}, requiredParameters: [] };
  return { ...none, httpMethod: 'GET', authorizationType, integrationType: 'AWS_PROXY', validateBody: false, validateParameters: false, ...overrides };
}

function outcomeOf(outcome: AuthOutcome): string {
  return outcome.granted ? 'granted' : `${outcome.responseType}: ${outcome.message}`;
}

describe('SigV4 clock skew', () => {
  const credentials = generateCredentials();
  const authorizer = new LocalAuthorizer(credentials, REGION, '123456789012', 'http://127.0.0.1:1');

  async function signedAt(offsetMs: number): Promise<AuthOutcome> {
    const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials, sha256: Hash.bind(null, 'sha256') });
    const signed = await signer.sign({
      method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 3000, path: '/items', query: {}, headers: { host: HOST },
    }, { signingDate: new Date(Date.now() + offsetMs) });
    return authorizer.authorize(method('AWS_IAM'), { httpMethod: 'GET', target: '/items', headers: signed.headers, body: Buffer.alloc(0) });
  }

  // docs/local-mode.md: "a date more than 5 minutes off: 403 INVALID_SIGNATURE", as API Gateway's SigV4 (AWS docs,
  // "Signature Version 4 signing": a request is refused when its timestamp is more than 5 minutes from the server's time).
  test.each([
    ['ten minutes in the future', 10 * 60_000],
    ['six minutes in the future', 6 * 60_000],
    ['six minutes in the past', -6 * 60_000],
  ])('a signature dated %s is refused as expired', async (_, offsetMs) => {
    expect(outcomeOf(await signedAt(offsetMs))).toMatch(/^INVALID_SIGNATURE: Signature expired/);
  });

  test.each([
    ['four minutes in the future', 4 * 60_000],
    ['four minutes in the past', -4 * 60_000],
  ])('a signature dated %s is accepted', async (_, offsetMs) => {
    expect(outcomeOf(await signedAt(offsetMs))).toBe('granted');
  });
});

describe('SigV4 scope and payload', () => {
  const credentials = generateCredentials();
  const authorizer = new LocalAuthorizer(credentials, REGION, '123456789012', 'http://127.0.0.1:1');

  async function signed(region: string, body: string, signedHash?: string): Promise<AuthOutcome> {
    const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Hash.bind(null, 'sha256') });
    const headers: Record<string, string> = { 'host': HOST, 'content-type': 'application/json' };
    if (signedHash) headers['x-amz-content-sha256'] = signedHash;
    const request = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 3000, path: '/items', query: {}, headers, body });
    return authorizer.authorize(method('AWS_IAM', { httpMethod: 'POST' }), { httpMethod: 'POST', target: '/items', headers: request.headers, body: Buffer.from(body) });
  }

  test('a signature scoped to another region is refused, one scoped to the API\'s region is accepted', async () => {
    // SigV4's credential scope names the region; API Gateway refuses a scope for another region (AWS docs,
    // "Elements of an AWS API request signature": the scope binds the signature to a date, region and service).
    expect(outcomeOf(await signed('us-west-2', '{}'))).toMatch(/^INVALID_SIGNATURE: .*region/);
    expect(outcomeOf(await signed(REGION, '{}'))).toBe('granted');
  });

  test('a signed x-amz-content-sha256 that is not the hash of the body received is refused', async () => {
    // The hash was signed, so the signature matches; the body is another one (SigV4: the payload hash must be the
    // hex SHA-256 of the request body).
    const otherBodyHash = createHash('sha256').update('{"other":true}').digest('hex');
    expect(outcomeOf(await signed(REGION, '{}', otherBodyHash))).toMatch(/^INVALID_SIGNATURE: .*x-amz-content-sha256/);
    expect(outcomeOf(await signed(REGION, '{}', createHash('sha256').update('{}').digest('hex')))).toBe('granted');
  });
});

describe('Cognito OAuth scopes', () => {
  let authorizer: LocalAuthorizer;
  let poolArn: string;
  let tokens: { id: string; access: string };

  beforeAll(async () => {
    const moto = new MotoClient(motoEndpoint(), REGION);
    const call = (operation: string, body: unknown) => moto.json('cognito-idp', `AWSCognitoIdentityProviderService.${operation}`, '1.1', body);
    const { UserPool } = await call('CreateUserPool', { PoolName: 'scopes' });
    poolArn = UserPool.Arn;
    const clientId = await createSignInClient(motoEndpoint(), REGION, UserPool.Id);
    await call('AdminCreateUser', { UserPoolId: UserPool.Id, Username: 'scoped', MessageAction: 'SUPPRESS' });
    await call('AdminSetUserPassword', { UserPoolId: UserPool.Id, Username: 'scoped', Password: 'Passw0rd!Passw0rd', Permanent: true });
    const { AuthenticationResult } = await call('AdminInitiateAuth', {
      UserPoolId: UserPool.Id,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'scoped', PASSWORD: 'Passw0rd!Passw0rd' },
    });
    tokens = { id: AuthenticationResult.IdToken, access: AuthenticationResult.AccessToken };
    authorizer = new LocalAuthorizer(generateCredentials(), REGION, '123456789012', motoEndpoint());
  });

  /** A method of a user-pool authorizer, prepared (JWKS fetched) as local mode does at start. */
  async function cognitoMethod(authorizationScopes: string[]): Promise<ApiMethod> {
    const prepared = method('COGNITO_USER_POOLS', { userPoolArns: [poolArn], authorizationScopes });
    await authorizer.prepare({ resources: [{ path: '/items', methods: new Map([['GET', prepared]]) }] } as any);
    return prepared;
  }

  async function authorize(scopes: string[], token: string): Promise<string> {
    const prepared = await cognitoMethod(scopes);
    return outcomeOf(await authorizer.authorize(prepared, { httpMethod: 'GET', target: '/items', headers: { authorization: token }, body: Buffer.alloc(0) }));
  }

  // AWS docs, "Integrate a REST API with an Amazon Cognito user pool": a method without OAuth scopes takes an ID token;
  // with scopes it takes an access token that carries one of them. moto's access tokens carry the scope
  // aws.cognito.signin.user.admin.
  test('a method with scopes accepts an access token carrying one of them', async () => {
    expect(await authorize(['orders/read', 'aws.cognito.signin.user.admin'], tokens.access)).toBe('granted');
  });

  test('a method with scopes refuses an access token carrying none of them, and an ID token', async () => {
    expect(await authorize(['orders/write'], tokens.access)).toBe('UNAUTHORIZED: Unauthorized');
    expect(await authorize(['aws.cognito.signin.user.admin'], tokens.id)).toBe('UNAUTHORIZED: Unauthorized');
  });

  test('a method without scopes accepts the ID token and refuses the access token', async () => {
    expect(await authorize([], tokens.id)).toBe('granted');
    expect(await authorize([], tokens.access)).toBe('UNAUTHORIZED: Unauthorized');
  });
});

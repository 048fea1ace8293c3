import { KeyObject, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { MotoClient } from './moto-client';

/** The path of local mode's OAuth 2.0 token endpoint (Cognito serves it as `/oauth2/token` on the pool's domain). */
export const TOKEN_PATH = '/_cognito/oauth2/token';

/** An app client with the client-credentials flow that local mode created in an emulated pool. */
export interface MachineClient {
  readonly poolId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: string[];
}

/** A JSON Web Key as a JWKS lists it. */
export type PublicJwk = { [member: string]: unknown };

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Cognito's client-credentials grant, which moto does not serve: `POST /_cognito/oauth2/token` with the app client's id
 * and secret (HTTP Basic) answers an access token whose `scope` claim holds the granted scopes, as Cognito's token
 * endpoint does (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html). Tokens are signed
 * with a key of this process, which local mode's verifier adds to the pool's JWKS; nothing outside local mode trusts it.
 */
export class LocalTokenEndpoint {
  readonly publicJwk: PublicJwk;
  private readonly privateKey: KeyObject;
  private readonly clients = new Map<string, MachineClient>();

  constructor(private readonly region: string) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'cdk-secure-serverless-local', alg: 'RS256', use: 'sig' };
  }

  /** Creates, in moto, an app client with the client-credentials flow and these scopes (as Cognito requires). */
  async createClient(motoEndpoint: string, poolId: string, scopes: string[]): Promise<MachineClient> {
    const { UserPoolClient } = await new MotoClient(motoEndpoint, this.region).json(
      'cognito-idp', 'AWSCognitoIdentityProviderService.CreateUserPoolClient', '1.1', {
        UserPoolId: poolId,
        ClientName: 'cdk-secure-serverless-local-machine',
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: scopes,
      });
    const client = { poolId, clientId: UserPoolClient.ClientId, clientSecret: UserPoolClient.ClientSecret, scopes };
    this.clients.set(client.clientId, client);
    return client;
  }

  /** Answers the token endpoint's requests; false for every other path. */
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
    if (pathname !== TOKEN_PATH) return false;
    void this.token(request).then(({ status, body }) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    });
    return true;
  }

  private async token(request: IncomingMessage): Promise<{ status: number; body: Record<string, unknown> }> {
    if (request.method !== 'POST') return { status: 405, body: { error: 'invalid_request' } };
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const [id, secret] = Buffer.from(/^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '', 'base64').toString('utf8').split(':');
    const client = this.clients.get(id ?? '');
    if (!client || client.clientSecret !== secret) return { status: 400, body: { error: 'invalid_client' } };
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    const requested = form.get('scope')?.split(' ').filter(Boolean) ?? client.scopes;
    if (requested.some((scope) => !client.scopes.includes(scope))) return { status: 400, body: { error: 'invalid_scope' } };
    return { status: 200, body: { access_token: this.sign(client, requested), expires_in: 3600, token_type: 'Bearer' } };
  }

  private sign(client: MachineClient, scopes: string[]): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { kid: this.publicJwk.kid, alg: 'RS256' };
    const claims = {
      sub: client.clientId,
      client_id: client.clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: now,
      iat: now,
      exp: now + 3600,
      // The issuer of the pool, in the region its id names (as Cognito's).
      iss: `https://cognito-idp.${client.poolId.split('_')[0]}.amazonaws.com/${client.poolId}`,
      version: 2,
      jti: randomUUID(),
    };
    const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(this.privateKey, 'base64url')}`;
  }
}

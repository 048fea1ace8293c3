import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { PublicJwk } from './local-token-endpoint';
import { MotoClient } from './moto-client';
import { ApiMethod, RestApiDefinition } from './rest-api';

/** What authorization needs of a request: its method, its target as sent (still percent-encoded), headers, body. */
export interface AuthRequest {
  readonly httpMethod: string;
  readonly target: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** A request API Gateway lets through, with what it puts into the proxy event's requestContext. */
export interface AuthGranted {
  readonly granted: true;
  readonly identity?: Record<string, string>;
  readonly authorizer?: Record<string, unknown>;
}

/** A request API Gateway answers itself, with the gateway response type, message and `x-amzn-ErrorType`. */
export interface AuthDenied {
  readonly granted: false;
  readonly responseType: string;
  readonly message: string;
  readonly errorType: string;
}

export type AuthOutcome = AuthGranted | AuthDenied;

/** Decides, per method and request, what API Gateway's IAM or Cognito authorization would. */
export interface RequestAuthorizer {
  authorize(method: ApiMethod, request: AuthRequest): Promise<AuthOutcome>;
}

/** The AWS credentials IAM-authorized routes accept in local mode. */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Fresh credentials for one run: an access key id of the usual shape and a 40-character secret. */
export function generateCredentials(): LocalCredentials {
  const alphanumeric = (length: number, alphabet: string) => [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return {
    accessKeyId: `AKIA${alphanumeric(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    secretAccessKey: alphanumeric(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
  };
}

const denied = (responseType: string, message: string, errorType: string): AuthDenied => ({ granted: false, responseType, message, errorType });

const invalidSignature = (message: string) => denied('INVALID_SIGNATURE', message, 'InvalidSignatureException');

function header(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** API Gateway's tolerance for clock skew between the signature's date and its own clock. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** `20261201T093000Z` -> Date. */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6])) : undefined;
}

/**
 * The comma-separated `key=value` parameters after the algorithm of an Authorization header (`AWS4-HMAC-SHA256
 * Credential=..., SignedHeaders=..., Signature=...`), or the first part that is not one, which API Gateway refuses.
 */
function signatureParameters(authorization: string): { fields: Record<string, string> } | { malformed: string } {
  const fields: Record<string, string> = {};
  for (const part of authorization.slice(authorization.indexOf(' ') + 1).split(',').map((text) => text.trim())) {
    const equals = part.indexOf('=');
    if (equals === -1) return { malformed: part };
    fields[part.slice(0, equals)] = part.slice(equals + 1);
  }
  return { fields };
}

/**
 * Verifies AWS Signature Version 4 (service `execute-api`) with the AWS SDK's own signer: it signs the request again
 * with the local credentials, over the headers the client signed, and compares the signatures.
 */
export class SigV4Verifier {
  private readonly signer: SignatureV4;

  constructor(private readonly credentials: LocalCredentials, private readonly region: string, private readonly accountId: string) {
    this.signer = new SignatureV4({
      service: 'execute-api',
      region,
      credentials,
      sha256: Hash.bind(null, 'sha256'),
      // The client decides whether to sign x-amz-content-sha256; the signer must not add it.
      applyChecksum: false,
    });
  }

  async verify(request: AuthRequest): Promise<AuthOutcome> {
    const authorization = header(request.headers, 'authorization');
    if (!authorization) return denied('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token', 'MissingAuthenticationTokenException');
    const parameters = signatureParameters(authorization);
    if ('malformed' in parameters) {
      return denied('INVALID_SIGNATURE', `'${parameters.malformed}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
        'IncompleteSignatureException');
    }
    const { fields } = parameters;
    const amzDate = header(request.headers, 'x-amz-date');
    if (!authorization.startsWith('AWS4-HMAC-SHA256 ') || !fields.Credential || !fields.SignedHeaders || !fields.Signature || !amzDate) {
      return denied('INVALID_SIGNATURE', "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters and an 'X-Amz-Date' header.",
        'IncompleteSignatureException');
    }
    const [accessKeyId, , scopeRegion, service] = fields.Credential.split('/');
    if (accessKeyId !== this.credentials.accessKeyId) {
      return denied('INVALID_SIGNATURE', 'The security token included in the request is invalid.', 'UnrecognizedClientException');
    }
    if (service !== 'execute-api') return invalidSignature("Credential should be scoped to correct service: 'execute-api'.");
    if (scopeRegion !== this.region) return invalidSignature(`Credential should be scoped to a valid region, not '${scopeRegion}'.`);
    const signingDate = parseAmzDate(amzDate);
    if (!signingDate) return invalidSignature(`X-Amz-Date ${amzDate} is not a date of the form yyyyMMddTHHmmssZ.`);
    if (Math.abs(Date.now() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
      return invalidSignature(`Signature expired: ${amzDate} is outside the five minutes around ${new Date().toISOString()}.`);
    }
    // The signer trusts a signed x-amz-content-sha256; API Gateway hashes the body it received.
    const contentHash = header(request.headers, 'x-amz-content-sha256');
    if (contentHash !== undefined && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
      return invalidSignature('The provided x-amz-content-sha256 header does not match what was computed.');
    }
    if (!timingSafeEqualText(await this.expectedSignature(request, fields.SignedHeaders.split(';'), signingDate), fields.Signature)) {
      return invalidSignature('The request signature we calculated does not match the signature you provided. '
        + 'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
    }
    return {
      granted: true,
      identity: {
        accessKey: accessKeyId,
        accountId: this.accountId,
        caller: accessKeyId,
        user: accessKeyId,
        userArn: `arn:aws:iam::${this.accountId}:user/local`,
      },
    };
  }

  private async expectedSignature(request: AuthRequest, signedHeaders: string[], signingDate: Date): Promise<string> {
    const [path, search = ''] = request.target.split(/\?(.*)/s, 2);
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(search)) {
      const known = query[key];
      query[key] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value];
    }
    const headers = Object.fromEntries(signedHeaders.map((name) => [name, header(request.headers, name) ?? '']));
    const signed = await this.signer.sign({
      method: request.httpMethod,
      protocol: 'http:',
      hostname: (header(request.headers, 'host') ?? '127.0.0.1').replace(/:\d+$/, ''),
      path,
      query,
      headers,
      body: request.body.length > 0 ? request.body : undefined,
    }, { signingDate, signableHeaders: new Set(signedHeaders) });
    return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))![1];
  }
}

function timingSafeEqualText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The user pool id in a pool ARN (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`). */
const userPoolId = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** Verifies Cognito user pool tokens (signature against the pool's JWKS, issuer, expiry, token use) with aws-jwt-verify. */
class CognitoTokenVerifier {
  /** Verifiers by pool id and scopes; the JWKS comes from moto, cached once, so verification stays offline. */
  private readonly verifiers = new Map<string, { verify: (token: string) => Promise<Record<string, unknown>> }>();

  constructor(private readonly motoEndpoint: string, private readonly localKeys: PublicJwk[]) {}

  async prepare(poolId: string, scopes: string[]): Promise<void> {
    const key = `${poolId} ${scopes.join(' ')}`;
    if (this.verifiers.has(key)) return;
    const response = await fetch(`${this.motoEndpoint}/${poolId}/.well-known/jwks.json`);
    if (!response.ok) throw new Error(`The JWKS of user pool ${poolId} is not available from the emulator (${response.status}).`);
    const verifier = scopes.length > 0
      ? CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId: null, scope: scopes })
      : CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'id', clientId: null });
    const jwks = await response.json() as Jwks;
    // The keys of local mode's token endpoint (moto has none for client credentials).
    verifier.cacheJwks({ keys: [...jwks.keys, ...this.localKeys] } as unknown as Jwks);
    this.verifiers.set(key, { verify: async (token) => ({ ...await verifier.verify(token) }) });
  }

  async verify(method: ApiMethod, request: AuthRequest): Promise<AuthOutcome> {
    const token = header(request.headers, 'authorization');
    if (token) {
      for (const arn of method.userPoolArns) {
        try {
          const claims = await this.verifiers.get(`${userPoolId(arn)} ${method.authorizationScopes.join(' ')}`)!.verify(token);
          // API Gateway passes the claims as strings.
          return { granted: true, authorizer: { claims: Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) } };
        } catch {
          // Not a valid token of this pool: try the next one.
        }
      }
    }
    return denied('UNAUTHORIZED', 'Unauthorized', 'UnauthorizedException');
  }
}

/** Enforces each method's authorization type: AWS_IAM with SigV4, COGNITO_USER_POOLS with tokens of the pool. */
export class LocalAuthorizer implements RequestAuthorizer {
  private readonly sigV4: SigV4Verifier;
  private readonly cognito: CognitoTokenVerifier;

  constructor(
    readonly credentials: LocalCredentials, readonly region: string, accountId: string, motoEndpoint: string, localKeys: PublicJwk[] = [],
  ) {
    this.sigV4 = new SigV4Verifier(credentials, region, accountId);
    this.cognito = new CognitoTokenVerifier(motoEndpoint, localKeys);
  }

  /** Fetches the JWKS of every user pool a method of the API accepts tokens of. */
  async prepare(api: RestApiDefinition): Promise<void> {
    for (const method of api.resources.flatMap((resource) => [...resource.methods.values()])) {
      if (method.authorizationType !== 'COGNITO_USER_POOLS') continue;
      if (method.userPoolArns.length === 0) throw new Error(`A ${method.httpMethod} method uses a Cognito authorizer whose user pool is not in the template.`);
      for (const arn of method.userPoolArns) await this.cognito.prepare(userPoolId(arn), method.authorizationScopes);
    }
  }

  async authorize(method: ApiMethod, request: AuthRequest): Promise<AuthOutcome> {
    if (method.authorizationType === 'AWS_IAM') return this.sigV4.verify(request);
    if (method.authorizationType === 'COGNITO_USER_POOLS') return this.cognito.verify(method, request);
    return { granted: true };
  }
}

/** The app client local mode creates in each emulated user pool, for the printed sign-in commands. */
export async function createSignInClient(motoEndpoint: string, region: string, poolId: string): Promise<string> {
  const client = new MotoClient(motoEndpoint, region);
  const { UserPoolClient } = await client.json('cognito-idp', 'AWSCognitoIdentityProviderService.CreateUserPoolClient', '1.1', {
    UserPoolId: poolId,
    ClientName: 'cdk-secure-serverless-local',
    ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  return UserPoolClient.ClientId;
}

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './config';

/** Shortest signing key accepted: a shorter one makes forging tokens by brute force realistic. */
const MIN_KEY_LENGTH = 16;

/** The token signing key from a secret's SecretString: JSON `{ tokenSigningKey }`, or the whole string. */
export function signingKeyFromSecretString(secretString: string): Buffer {
  let key = secretString;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const field = (parsed as { tokenSigningKey?: unknown }).tokenSigningKey;
    if (typeof field !== 'string') throw new ConfigurationError('the secret is JSON without a "tokenSigningKey" string field');
    key = field;
  }
  if (key.length < MIN_KEY_LENGTH) throw new ConfigurationError(`the token signing key is shorter than ${MIN_KEY_LENGTH} characters`);
  return Buffer.from(key, 'utf8');
}

/**
 * The signing key, read from Secrets Manager by ARN and cached for a TTL: a rotated secret is picked up within the
 * TTL without a redeploy, and concurrent requests after expiry share one GetSecretValue call.
 */
export class SigningKeyCache {
  private cached?: { key: Buffer; expiresAt: number };
  private pending?: Promise<Buffer>;

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    private readonly secretArn: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async key(): Promise<Buffer> {
    if (this.cached && this.now() < this.cached.expiresAt) return this.cached.key;
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetch(): Promise<Buffer> {
    const result = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretArn }));
    if (result.SecretString === undefined) throw new ConfigurationError('the secret has no SecretString');
    const key = signingKeyFromSecretString(result.SecretString);
    this.cached = { key, expiresAt: this.now() + this.ttlMs };
    return key;
  }
}

import type { GetSecretValueRequest, GetSecretValueResponse } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './config';
import type { SigningKey } from './pagination';
import { isServiceError, type AwsJsonClient } from '../shared/aws-json-client';

/** Shortest signing key accepted: a shorter one makes forging tokens by brute force realistic. */
const MIN_KEY_LENGTH = 16;

/** The token signing key from a secret's SecretString: JSON `{ tokenSigningKey }`, or the whole string. */
export function signingKeyFromSecretString(secretString: string): Buffer {
  let key = secretString;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
    // Stryker disable next-line BlockStatement: equivalent, parsed is still undefined when JSON.parse throws
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

type Stage = 'AWSCURRENT' | 'AWSPREVIOUS';

interface CachedKey {
  readonly signingKey: SigningKey | undefined;
  readonly fetchedAt: number;
}

/** Shortest pause between two refreshes forced by a token naming a version this container does not know. */
const FORCED_REFRESH_INTERVAL_MS = 5_000;

/**
 * The signing keys of the secret's AWSCURRENT and AWSPREVIOUS versions, read by ARN and cached for a TTL: tokens are
 * signed with the current key and verified with the version they name, so a token minted before a rotation keeps
 * working until the next one, and a container that has not seen a rotation yet refreshes when a token names the new
 * version (at most once per few seconds, so forged version ids cannot drive calls to Secrets Manager). Concurrent
 * requests share one GetSecretValue call. When Secrets Manager fails, a key cached within `ttl + maxStale` is used.
 */
export class SigningKeyCache {
  private readonly cached = new Map<Stage, CachedKey>();
  private readonly pending = new Map<Stage, Promise<CachedKey>>();
  private lastForcedRefresh = -Infinity;

  constructor(
    private readonly client: Pick<AwsJsonClient, 'call'>,
    private readonly secretArn: string,
    private readonly ttlMs: number,
    private readonly maxStaleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key new tokens are signed with. */
  async current(): Promise<SigningKey> {
    const { signingKey } = await this.stage('AWSCURRENT', false);
    if (!signingKey) throw new ConfigurationError('the secret has no AWSCURRENT version');
    return signingKey;
  }

  /** The key of the secret version `versionId` if it is the current or previous one; undefined otherwise. */
  async forVersion(versionId: string): Promise<Buffer | undefined> {
    const known = await this.knownVersion(versionId, false);
    if (known || this.now() - this.lastForcedRefresh < FORCED_REFRESH_INTERVAL_MS) return known;
    this.lastForcedRefresh = this.now();
    return this.knownVersion(versionId, true);
  }

  private async knownVersion(versionId: string, refresh: boolean): Promise<Buffer | undefined> {
    for (const stage of ['AWSCURRENT', 'AWSPREVIOUS'] as const) {
      const { signingKey } = await this.stage(stage, refresh);
      if (signingKey?.versionId === versionId) return signingKey.key;
    }
    return undefined;
  }

  private async stage(stage: Stage, refresh: boolean): Promise<CachedKey> {
    const cached = this.cached.get(stage);
    if (cached && !refresh && this.now() < cached.fetchedAt + this.ttlMs) return cached;
    let pending = this.pending.get(stage);
    if (!pending) {
      pending = this.fetch(stage).finally(() => this.pending.delete(stage));
      this.pending.set(stage, pending);
    }
    try {
      return await pending;
    } catch (error) {
      if (cached && !(error instanceof ConfigurationError) && this.now() < cached.fetchedAt + this.ttlMs + this.maxStaleMs) return cached;
      throw error;
    }
  }

  private async fetch(stage: Stage): Promise<CachedKey> {
    let signingKey: SigningKey | undefined;
    try {
      const result = await this.client.call<GetSecretValueResponse>('GetSecretValue', { SecretId: this.secretArn, VersionStage: stage } satisfies GetSecretValueRequest);
      if (result.SecretString === undefined || result.VersionId === undefined) throw new ConfigurationError('the secret has no SecretString');
      signingKey = { versionId: result.VersionId, key: signingKeyFromSecretString(result.SecretString) };
    } catch (error) {
      // A secret that was never rotated has no AWSPREVIOUS version.
      if (!(stage === 'AWSPREVIOUS' && isServiceError(error, 'ResourceNotFoundException'))) throw error;
    }
    const entry = { signingKey, fetchedAt: this.now() };
    this.cached.set(stage, entry);
    return entry;
  }
}

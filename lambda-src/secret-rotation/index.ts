import { randomBytes } from 'node:crypto';
// eslint-disable-next-line import/no-extraneous-dependencies -- bundled into assets/ by esbuild, not a runtime dependency of the library
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerRotationEvent } from 'aws-lambda';

/**
 * Rotation function of the service secret, a JSON object `{"tokenSigningKey": "..."}`.
 *
 * Secrets Manager calls it four times per rotation with the same ClientRequestToken (the new version id):
 * - createSecret: stores a fresh random signing key as the AWSPENDING version.
 * - setSecret / testSecret: nothing to do. A signing key is not a credential registered in another system
 *   (unlike a database password), so there is nothing to set, and nothing external to log in to with it.
 * - finishSecret: moves AWSCURRENT to the new version; Secrets Manager labels the old one AWSPREVIOUS, so tokens
 *   signed with it can still be verified during the overlap.
 */

/** Random bytes in a signing key: 384 bits, 64 base64url characters. */
export const SIGNING_KEY_BYTES = 48;

/** The field of the secret's JSON value holding the signing key. */
export const SIGNING_KEY_FIELD = 'tokenSigningKey';

const secretsManager = new SecretsManagerClient({});

export async function handler(event: SecretsManagerRotationEvent): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const metadata = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!metadata.RotationEnabled) {
    throw new Error(`Secret ${secretId} is not enabled for rotation.`);
  }
  const versions = metadata.VersionIdsToStages ?? {};
  const stages = versions[token];
  if (!stages) {
    throw new Error(`Secret version ${token} of ${secretId} has no stage for rotation.`);
  }
  if (stages.includes('AWSCURRENT')) {
    log('version already current', { secretId, step, token });
    return;
  }
  if (!stages.includes('AWSPENDING')) {
    throw new Error(`Secret version ${token} of ${secretId} is not AWSPENDING.`);
  }

  switch (step) {
    case 'createSecret':
      return createSecret(secretId, token);
    case 'setSecret':
    case 'testSecret':
      // A signing key lives only in this secret: there is no other system to update or test it against.
      log('nothing to do for a signing key', { secretId, step, token });
      return;
    case 'finishSecret':
      return finishSecret(secretId, token, versions);
    default:
      throw new Error(`Unknown rotation step ${JSON.stringify(step)}.`);
  }
}

/** A new signing key, URL-safe so it can travel in headers and environment variables unescaped. */
export function newSigningKey(): string {
  return randomBytes(SIGNING_KEY_BYTES).toString('base64url');
}

async function createSecret(secretId: string, token: string): Promise<void> {
  const current = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }));
  if (await pendingValueExists(secretId, token)) {
    log('pending version already has a value', { secretId, token });
    return;
  }
  const value = { ...jsonObjectOrEmpty(current.SecretString), [SIGNING_KEY_FIELD]: newSigningKey() };
  await secretsManager.send(new PutSecretValueCommand({
    SecretId: secretId,
    ClientRequestToken: token,
    SecretString: JSON.stringify(value),
    VersionStages: ['AWSPENDING'],
  }));
  log('created pending signing key', { secretId, token });
}

async function pendingValueExists(secretId: string, token: string): Promise<boolean> {
  try {
    const pending = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
    return pending.SecretString !== undefined || pending.SecretBinary !== undefined;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function finishSecret(secretId: string, token: string, versions: Record<string, string[]>): Promise<void> {
  const currentVersion = Object.keys(versions).find((id) => versions[id].includes('AWSCURRENT'));
  await secretsManager.send(new UpdateSecretVersionStageCommand({
    SecretId: secretId,
    VersionStage: 'AWSCURRENT',
    MoveToVersionId: token,
    RemoveFromVersionId: currentVersion,
  }));
  log('moved AWSCURRENT to the new version', { secretId, token, previousVersion: currentVersion });
}

/** The current value's other fields survive rotation; a value that is not a JSON object is replaced whole. */
function jsonObjectOrEmpty(secretString: string | undefined): Record<string, unknown> {
  if (secretString === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(secretString);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

/** Structured log line; never includes a secret value. */
function log(message: string, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ message, ...fields }));
}

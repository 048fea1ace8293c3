import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerRotationEvent, SecretsManagerRotationEventStep } from 'aws-lambda';
import { handler, SIGNING_KEY_BYTES } from '../../lambda-src/secret-rotation';
import { ASSETS_DIR } from '../../src/core/bundled-code';
import { motoClientConfig } from '../harness/moto';

const secretsManager = new SecretsManagerClient(motoClientConfig());
const STEPS: SecretsManagerRotationEventStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
const OLD_VALUE = { tokenSigningKey: 'old-signing-key', issuer: 'items-service' };
// Secret names are unique per run: a moto server that outlives one run (the mutation runs keep one per worker) already
// holds the names of the last.
const RUN = randomUUID().slice(0, 8);

beforeAll(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

/** A secret with rotation started the way Secrets Manager starts it: a new AWSPENDING version without a value. */
async function secretWithRotationStarted(name: string): Promise<{ arn: string; token: string; oldVersion: string }> {
  const created = await secretsManager.send(new CreateSecretCommand({ Name: `${name}-${RUN}`, SecretString: JSON.stringify(OLD_VALUE) }));
  const token = randomUUID();
  const arn = created.ARN!;
  const oldVersion = created.VersionId!;
  await secretsManager.send(new RotateSecretCommand({ SecretId: arn, ClientRequestToken: token, RotationRules: { AutomaticallyAfterDays: 30 } }));
  // Without a rotation Lambda moto labels the new, empty version AWSCURRENT at once; put the labels back where
  // Secrets Manager leaves them before it calls the function: old version AWSCURRENT, new one AWSPENDING only.
  await secretsManager.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSCURRENT', MoveToVersionId: oldVersion, RemoveFromVersionId: token }));
  await secretsManager.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS', RemoveFromVersionId: token }));
  await secretsManager.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSPENDING', MoveToVersionId: token }));
  expect(await stagesOf(arn)).toEqual({ [oldVersion]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
  return { arn, token, oldVersion };
}

function rotationEvent(secretId: string, token: string, step: SecretsManagerRotationEventStep): SecretsManagerRotationEvent {
  return { SecretId: secretId, ClientRequestToken: token, Step: step };
}

async function stagesOf(secretId: string): Promise<Record<string, string[]>> {
  const described = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
  return described.VersionIdsToStages ?? {};
}

test('the four steps replace the signing key: new AWSCURRENT, old AWSPREVIOUS, other fields kept', async () => {
  const { arn, token, oldVersion } = await secretWithRotationStarted('rotation-happy-path');

  for (const step of STEPS) await handler(rotationEvent(arn, token, step));

  const current = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSCURRENT' }));
  expect(current.VersionId).toBe(token);
  const value = JSON.parse(current.SecretString!);
  expect(value.issuer).toBe('items-service');
  expect(value.tokenSigningKey).not.toBe(OLD_VALUE.tokenSigningKey);
  expect(value.tokenSigningKey).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(Buffer.from(value.tokenSigningKey, 'base64url')).toHaveLength(SIGNING_KEY_BYTES);
  expect(value.tokenSigningKey).toHaveLength(64);

  const previous = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }));
  expect(previous.VersionId).toBe(oldVersion);
  expect(JSON.parse(previous.SecretString!)).toEqual(OLD_VALUE);
  const stages = await stagesOf(arn);
  expect(stages[oldVersion]).toEqual(['AWSPREVIOUS']);
  expect(stages[token]).toEqual(expect.arrayContaining(['AWSCURRENT']));
});

test('createSecret is idempotent: a retried call keeps the pending key it already stored', async () => {
  const { arn, token } = await secretWithRotationStarted('rotation-retry');

  await handler(rotationEvent(arn, token, 'createSecret'));
  const first = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn, VersionId: token, VersionStage: 'AWSPENDING' }));
  await handler(rotationEvent(arn, token, 'createSecret'));
  const second = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn, VersionId: token, VersionStage: 'AWSPENDING' }));

  expect(second.SecretString).toBe(first.SecretString);
});

test('setSecret and testSecret change nothing', async () => {
  const { arn, token } = await secretWithRotationStarted('rotation-no-ops');
  await handler(rotationEvent(arn, token, 'createSecret'));
  const before = await stagesOf(arn);
  const pendingBefore = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPENDING' }));

  await handler(rotationEvent(arn, token, 'setSecret'));
  await handler(rotationEvent(arn, token, 'testSecret'));

  expect(await stagesOf(arn)).toEqual(before);
  const pendingAfter = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPENDING' }));
  expect(pendingAfter.SecretString).toBe(pendingBefore.SecretString);
});

test('a version that is already AWSCURRENT is left alone', async () => {
  const { arn, token } = await secretWithRotationStarted('rotation-finished-twice');
  for (const step of STEPS) await handler(rotationEvent(arn, token, step));
  const stages = await stagesOf(arn);

  await handler(rotationEvent(arn, token, 'finishSecret'));

  expect(await stagesOf(arn)).toEqual(stages);
});

test('a secret without rotation enabled is refused', async () => {
  const created = await secretsManager.send(new CreateSecretCommand({ Name: `rotation-disabled-${RUN}`, SecretString: JSON.stringify(OLD_VALUE) }));

  await expect(handler(rotationEvent(created.ARN!, randomUUID(), 'createSecret'))).rejects.toThrow(/is not enabled for rotation/);
});

test('an unknown version token is refused', async () => {
  const { arn } = await secretWithRotationStarted('rotation-unknown-token');

  await expect(handler(rotationEvent(arn, randomUUID(), 'createSecret'))).rejects.toThrow(/has no stage for rotation/);
});

test('an unknown step is refused', async () => {
  const { arn, token } = await secretWithRotationStarted('rotation-unknown-step');

  await expect(handler(rotationEvent(arn, token, 'deleteSecret' as SecretsManagerRotationEventStep))).rejects.toThrow('Unknown rotation step "deleteSecret".');
});

test('the bundle shipped in assets/ exports the same handler and draws 48-byte keys', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = require(join(ASSETS_DIR, 'secret-rotation', 'index.js'));
  expect(typeof bundle.handler).toBe('function');
  const keys = new Set([bundle.newSigningKey(), bundle.newSigningKey()]);
  expect(keys.size).toBe(2);
  for (const key of keys) expect(Buffer.from(key as string, 'base64url')).toHaveLength(SIGNING_KEY_BYTES);
});

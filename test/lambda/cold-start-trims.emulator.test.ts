import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import BUNDLE_OPTIONS from '../../build-tools/lambda-bundle-options.json';
import { credentialsFromEnvironment, defaultProvider } from '../../lambda-src/shared/lambda-credentials';
import { EventStreamSerde, eventStreamSerdeProvider } from '../../lambda-src/shared/no-event-streams';
import { ASSETS_DIR } from '../../src/core/bundled-code';

/** Work the bundled handlers leave out of module init (see build-tools/bundle-lambdas.mjs and lambda-src/shared). */

describe('credentials from the Lambda environment', () => {
  // Variable names from the Lambda guide, "Defined runtime environment variables".
  test('the execution role credentials Lambda sets are used as they are', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' };
    expect(credentialsFromEnvironment(env)).toEqual({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  test('the provider reads the variables when the SDK asks, not when the client is created', async () => {
    const saved = { ...process.env };
    try {
      const provider = defaultProvider();
      process.env.AWS_ACCESS_KEY_ID = 'AKIALATER';
      process.env.AWS_SECRET_ACCESS_KEY = 'later';
      delete process.env.AWS_SESSION_TOKEN;
      await expect(provider()).resolves.toEqual({ accessKeyId: 'AKIALATER', secretAccessKey: 'later' });
    } finally {
      process.env = saved;
    }
  });

  test('missing variables are a credentials error that says where credentials come from', () => {
    expect(() => credentialsFromEnvironment({ AWS_ACCESS_KEY_ID: 'AKIA' })).toThrow(/AWS_SECRET_ACCESS_KEY .*execution role/);
    try {
      credentialsFromEnvironment({});
    } catch (error) {
      expect((error as Error).name).toBe('CredentialsProviderError');
    }
    expect.assertions(2);
  });
});

describe('the bundled secret-rotation handler', () => {
  // STS's web-identity operation is what the Node chain's web-identity provider calls: present in a bundle of the
  // SDK's own chain, absent when the environment-only provider replaces it.
  const NODE_CHAIN_MARKER = 'AssumeRoleWithWebIdentity';
  // A header every event-stream message carries (the event stream encoding's `:event-type`).
  const EVENT_STREAM_MARKER = ':event-type';

  test('leaves the Node credential chain and the SDK event-stream codec out, which a bundle with the shared options keeps', async () => {
    // The items handler calls AWS without the SDK (lambda-src/shared/aws-json-client.ts); the rotation handler's
    // Secrets Manager client is the SDK's.
    const asset = readFileSync(join(ASSETS_DIR, 'secret-rotation', 'index.js'), 'utf8');
    const withSdkChain = await build({
      ...(BUNDLE_OPTIONS as object),
      entryPoints: [join(__dirname, '..', '..', 'lambda-src', 'secret-rotation', 'index.ts')],
      write: false,
      outfile: 'index.js',
    });
    const sdkChainBundle = withSdkChain.outputFiles[0].text;
    expect(sdkChainBundle).toContain(NODE_CHAIN_MARKER);
    expect(asset).not.toContain(NODE_CHAIN_MARKER);
    expect(sdkChainBundle).toContain(EVENT_STREAM_MARKER);
    expect(asset).not.toContain(EVENT_STREAM_MARKER);
    expect(asset.length).toBeLessThan(sdkChainBundle.length * 0.75);
  });
});

describe('the event-stream stand-in', () => {
  test('fails loudly if a client ever asks for event streams', () => {
    expect(() => new EventStreamSerde()).toThrow(/event streams are not bundled/);
    expect(() => eventStreamSerdeProvider()).toThrow(/has an event-stream operation/);
  });
});

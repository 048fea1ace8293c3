import { startMotoServer } from '../../cli/moto-server';

/**
 * Jest global setup: one moto server for the whole run on a free 127.0.0.1 port.
 * The AWS SDK in every test worker is pointed at it through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const server = await startMotoServer();
  (globalThis as any).__MOTO_SERVER__ = server;
  // Stop it even when jest is interrupted before teardown runs.
  process.once('exit', () => server.process.kill('SIGKILL'));
  Object.assign(process.env, {
    MOTO_ENDPOINT: server.endpoint,
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    // aws-cdk-lib 2.257's own TableV2 calls a deprecated API on every table; the warning is noise in test output.
    JSII_DEPRECATED: 'quiet',
  });
}

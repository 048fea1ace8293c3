/** The endpoint of the moto server started by the jest global setup. */
export function motoEndpoint(): string {
  const endpoint = process.env.MOTO_ENDPOINT;
  if (!endpoint) throw new Error('MOTO_ENDPOINT is not set: run the tests through jest (test/harness/moto-global-setup.ts)');
  return endpoint;
}

/** SDK v3 client settings for the moto server. */
export function motoClientConfig() {
  return {
    endpoint: motoEndpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}

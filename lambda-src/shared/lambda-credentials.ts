/**
 * Stands in for `@aws-sdk/credential-provider-node` in the bundled handlers (see build-tools/bundle-lambdas.mjs).
 * Lambda hands a function its execution role's credentials in environment variables, so the rest of the Node chain
 * (SSO, shared ini files, credential processes, web identity, IMDS and the STS / SSO clients they bring) never runs
 * there; leaving it out of the bundle is what makes module init cheaper than a hand-written SDK handler's.
 */
interface EnvCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly credentialScope?: string;
  readonly accountId?: string;
}

/** The credentials in the standard variables, read when the SDK asks (it caches them until they expire). */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): EnvCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    // Same shape as the SDK's CredentialsProviderError, so callers see a credentials failure, not a crash.
    throw Object.assign(new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: the bundled handler reads ' +
      'the credentials Lambda sets from the execution role'), { name: 'CredentialsProviderError', tryNextLink: false });
  }
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(env.AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) } : {}),
    ...(env.AWS_CREDENTIAL_SCOPE ? { credentialScope: env.AWS_CREDENTIAL_SCOPE } : {}),
    ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
  };
}

/** The SDK clients' `credentialDefaultProvider`. */
export function defaultProvider(): () => Promise<EnvCredentials> {
  return async () => credentialsFromEnvironment();
}

import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The Lambda runtime of the functions the library deploys (its bundled handlers, and `EncryptedFunction` by default):
 * the Node.js major its bundles target (esbuild `node24` in build-tools/lambda-bundle-options.json). Pinned, not "the
 * newest in the installed aws-cdk-lib": a consumer's aws-cdk-lib upgrade must not change production templates.
 */
export const BUNDLED_CODE_RUNTIME: lambda.Runtime = lambda.Runtime.NODEJS_24_X;

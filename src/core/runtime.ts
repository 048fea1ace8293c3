import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The Lambda runtime of the functions the library deploys (its bundled handlers, and `EncryptedFunction` by default):
 * the Node.js major its bundles target (esbuild `node24` in build-tools/lambda-bundle-options.json). Pinned, not "the
 * newest in the installed aws-cdk-lib": a consumer's aws-cdk-lib upgrade must not change production templates.
 */
export const BUNDLED_CODE_RUNTIME: lambda.Runtime = lambda.Runtime.NODEJS_24_X;

/** Whether the installed aws-cdk-lib knows a newer Node.js runtime than the pinned one (cdk-nag then flags the pin). */
export function newerNodejsRuntimeKnown(runtimes: readonly lambda.Runtime[] = lambda.Runtime.ALL): boolean {
  const major = (runtime: lambda.Runtime) => Number(/^nodejs(\d+)\.x$/.exec(runtime.name)?.[1] ?? 0);
  return runtimes.some((runtime) => major(runtime) > major(BUNDLED_CODE_RUNTIME));
}

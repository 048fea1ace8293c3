import * as lambda from 'aws-cdk-lib/aws-lambda';

const NODEJS_RUNTIME_NAME = /^nodejs(\d+)\.x$/;

/**
 * The newest Node.js Lambda runtime the installed aws-cdk-lib knows, by major version.
 *
 * `Runtime.ALL` also lists legacy names (`nodejs`, `nodejs4.3`) and a variable "latest" alias whose
 * version CDK may change under you; only concrete `nodejsNN.x` runtimes count, so the template names
 * a runtime cdk-nag (AwsSolutions-L1, Serverless-LambdaLatestVersion) and cfn-lint (E2533) accept.
 */
export function newestNodejsRuntime(): lambda.Runtime {
  return newestNodejsRuntimeOf(lambda.Runtime.ALL);
}

/** The runtime with the highest `nodejsNN.x` major version among the given ones. */
export function newestNodejsRuntimeOf(runtimes: ReadonlyArray<lambda.Runtime>): lambda.Runtime {
  let newest: { runtime: lambda.Runtime; major: number } | undefined;
  for (const runtime of runtimes) {
    const match = NODEJS_RUNTIME_NAME.exec(runtime.name);
    if (runtime.family !== lambda.RuntimeFamily.NODEJS || runtime.isVariable || !match) continue;
    const major = Number(match[1]);
    if (!newest || major > newest.major) newest = { runtime, major };
  }
  if (!newest) {
    throw new Error('The installed aws-cdk-lib lists no nodejsNN.x Lambda runtime; pass runtime explicitly.');
  }
  return newest.runtime;
}

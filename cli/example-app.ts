import { App, Stack } from 'aws-cdk-lib';
// The compiled library, as a consumer uses it (lib/ is beside both cli/ and its output lib-cli/).
import { DeploymentStage, ServerlessService } from '../lib';

/** The stack of the built-in example. */
export const BUILT_IN_EXAMPLE_STACK = 'orders-prod';

/**
 * The example service with prod settings, for `local` run outside a checkout of this project (where examples/ is not
 * shipped): synthesized in this process into `outdir`, with the asset metadata local mode reads.
 */
export function synthesizeBuiltInExample(outdir: string): void {
  const app = new App({
    outdir,
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true, 'aws:cdk:enable-asset-metadata': true },
  });
  const stack = new Stack(app, BUILT_IN_EXAMPLE_STACK, {
    env: { account: '111111111111', region: 'us-east-1' },
    description: 'orders service (prod), built-in example of cdk-secure-serverless local',
  });
  new ServerlessService(stack, 'Orders', {
    serviceName: 'orders',
    stage: DeploymentStage.PROD,
    cors: { allowOrigins: ['http://localhost:3000'] },
  });
  app.synth();
}

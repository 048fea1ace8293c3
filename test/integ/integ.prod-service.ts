// Snapshot test of the prod example service, run by `integ-runner` (npx projen integ).
// Deploying it (`integ-runner --update-on-failed`) needs an AWS account; the snapshot comparison does not.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from '../../examples/service-app';

const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
const { prod } = buildExampleApp(app, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111', region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' },
});
new IntegTest(app, 'ProdServiceInteg', { testCases: [prod], diffAssets: false });
app.synth();

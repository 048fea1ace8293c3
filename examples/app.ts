import { App } from 'aws-cdk-lib';
import { buildExampleApp } from './service-app';

const app = new App();
// Deploy targets come from the CLI (`-c account=... -c region=...`); the defaults keep synthesis offline.
buildExampleApp(app, {
  env: {
    account: app.node.tryGetContext('account') ?? process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
    region: app.node.tryGetContext('region') ?? process.env.CDK_DEFAULT_REGION ?? 'eu-west-1',
  },
});
app.synth();

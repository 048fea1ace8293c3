// A consumer CDK app, as a user writes it against the installed npm package: a PROD ServerlessService, synthesized with
// CloudFormation's default rules as errors, then all six cdk-nag packs. Prints one JSON line for the test to read.
const { App, Stack } = require('aws-cdk-lib');
const nag = require('cdk-nag');
const { DeploymentStage, ServerlessService } = require('cdk-secure-serverless');

const app = new App({ outdir: process.argv[2], context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
const stack = new Stack(app, 'orders-prod', { env: { account: '123456789012', region: 'us-east-1' } });
new ServerlessService(stack, 'Orders', {
  serviceName: 'orders',
  stage: DeploymentStage.PROD,
  alarmEmail: 'orders-prod-alarms@example.com',
  cors: { allowOrigins: ['https://app.example.com'] },
});
const assembly = app.synth();

const packs = [
  nag.AwsSolutionsChecks, nag.HIPAASecurityChecks, nag.NIST80053R4Checks,
  nag.NIST80053R5Checks, nag.PCIDSS321Checks, nag.ServerlessChecks,
];
const findings = [];
for (const Pack of packs) {
  for (const violation of new Pack().validateScope(app).violations) {
    for (const resource of violation.violatingResources) {
      findings.push(`${violation.ruleName} at ${resource.constructPath ?? resource.resourceLogicalId}`);
    }
  }
}
const warnings = assembly.getStackArtifact('orders-prod').messages
  .filter((message) => message.level !== 'info')
  .map((message) => `${message.level} ${message.id}: ${message.entry.data}`);
const resources = Object.keys(assembly.getStackArtifact('orders-prod').template.Resources).length;
console.log(JSON.stringify({ packs: packs.length, findings, warnings, resources }));

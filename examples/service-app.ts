import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DeploymentStage, ServerlessService } from 'cdk-secure-serverless';

/** The stacks of the example app: the same service per stage, prod with a custom domain. */
export interface ExampleStacks {
  readonly dev: Stack;
  readonly staging: Stack;
  readonly prod: Stack;
}

/** Builds the `orders` service once per stage, the way a consumer app would. */
export function buildExampleApp(app: App, props: StackProps = {}): ExampleStacks {
  const dev = new Stack(app, 'orders-dev', { ...props, description: 'orders service (dev)' });
  new ServerlessService(dev, 'Orders', {
    serviceName: 'orders',
    stage: DeploymentStage.DEV,
    alarmEmail: 'orders-dev-alarms@example.com',
  });

  const staging = new Stack(app, 'orders-staging', { ...props, description: 'orders service (staging)' });
  new ServerlessService(staging, 'Orders', {
    serviceName: 'orders',
    stage: DeploymentStage.STAGING,
    alarmEmail: 'orders-staging-alarms@example.com',
    cors: { allowOrigins: ['https://staging.app.example.com'] },
  });

  const prod = new Stack(app, 'orders-prod', { ...props, description: 'orders service (prod)' });
  // A zone the account already owns; given by id, so synthesis needs no AWS lookup.
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(prod, 'Zone', {
    hostedZoneId: 'Z0123456789EXAMPLE',
    zoneName: 'example.com',
  });
  new ServerlessService(prod, 'Orders', {
    serviceName: 'orders',
    stage: DeploymentStage.PROD,
    alarmEmail: 'orders-prod-alarms@example.com',
    customDomain: { domainName: 'api.example.com', hostedZone },
    cors: { allowOrigins: ['https://app.example.com'] },
    tags: { 'cost-center': 'orders' },
  });

  return { dev, staging, prod };
}

/** The items product: ServerlessService, its stage presets, handler environment, routes, secret and rotation, alarms and dashboard. Other features import this folder only through this file. */
export * from './deployment-stage';
export * from './serverless-service';
export * from './serverless-service-props';

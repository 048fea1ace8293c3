// Public API: each construct is exported from here.
export * from './table-capacity';
export * from './secure-table';
export * from './artifact-bucket';
export * from './encrypted-function';
export * from './deployment-stage';
export * from './stack-protection';
export * from './api-authorization';
export * from './api-options';
export * from './validated-rest-api';
export * from './serverless-service';

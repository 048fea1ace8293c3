// Public API: each construct is exported from here.
export * from './table/table-capacity';
export * from './table/secure-table';
export * from './table/secure-table-props';
export * from './table/secure-table-grants';
export * from './bucket/artifact-bucket';
export * from './bucket/artifact-bucket-grants';
export * from './function/encrypted-function';
export * from './function/encrypted-function-props';
export * from './items-service/deployment-stage';
export * from './stack-protection/stack-protection';
export * from './rest-api/api-authorization';
export * from './rest-api/api-options';
export * from './rest-api/validated-rest-api';
export * from './rest-api/validated-rest-api-props';
export * from './items-service/serverless-service';
export * from './items-service/serverless-service-props';

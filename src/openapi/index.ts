/**
 * The OpenAPI 3.0 generator: one plain-TypeScript module (no aws-cdk-lib) used by `ValidatedRestApi` at synthesis and
 * by the `cdk-secure-serverless openapi` command and local mode (compiled, from lib/openapi).
 */
export * from './document';
export * from './schema';
export * from './template';

/**
 * The contract every `ValidatedRestApi` keeps (its JSON error bodies) and the draft-04 JSON-schema subset API Gateway
 * models support, with a validator for it. Plain TypeScript: no aws-cdk-lib, constructs or other `src/` import (a lint
 * rule in .projenrc.ts enforces it), so esbuild bundles it into handlers and local mode uses it compiled.
 */
export * from './error-contract';
export * from './json-schema';

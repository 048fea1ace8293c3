/**
 * The items request contract: the request schemas of the items API and the validator that checks a value against
 * them. It is shared by three users, and is the only part of this package they share:
 * - the constructs (`ServerlessService` turns the schemas into API Gateway request models);
 * - the bundled handler (`lambda-src/items`), which re-validates every request;
 * - local mode (`cli/`), which validates request bodies the way API Gateway's models do, through the compiled
 *   `lib/contract/items`.
 *
 * Plain TypeScript only: no aws-cdk-lib, constructs or other `src/` import (a lint rule in .projenrc.ts enforces it),
 * so esbuild bundles it into the handler unchanged.
 */
export * from './items-api-responses';
export * from './items-api-schema';
export * from './items-routes';
export * from '../json-schema';
export * from '../error-contract';
export * from './handler-environment';

/** What every feature builds on: construct errors, keys, grants, alarms, acknowledgements, removal, validation and the helper-function scaffold. Other features import this folder only through this file. */
export * from './acknowledgements';
export * from './alarms';
export * from './bundled-code';
export * from './construct-errors';
export * from './encrypted-log-group';
export * from './function-resources';
export * from './function-scaffold';
export * from './grant-statements';
export * from './hardened-function';
export * from './json-schema-checks';
export * from './keys';
export * from './managed-policy-role';
export * from './physical-names';
export * from './pinned-logical-id';
export * from './removal';
export * from './runtime';
export * from './validation';

/** EncryptedFunction and its alarms, alias, deployment, secrets and validation. Other features import this folder only through this file. */
export * from './encrypted-function';
export * from './encrypted-function-props';
export * from './function-validation';
export * from './function-alias';
export { ENCRYPTED_FUNCTION_DEFAULTS } from './function-defaults';

/** ValidatedRestApi: routes, authorization, validation, logging, WAF, domain and its OpenAPI document. Other features import this folder only through this file. */
export * from './api-authorization';
export * from './api-options';
export * from './validated-rest-api';
export * from './validated-rest-api-props';
export * from './api-validation';
export * from './request-limits';
export { DEFAULT_MAX_REQUEST_BODY } from './rest-api-defaults';

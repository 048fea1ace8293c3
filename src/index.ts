// Public API: each construct is exported from here.
export * from './api-authorization';
export * from './validated-rest-api';

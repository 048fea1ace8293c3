// Public API: each construct is exported from here.
export * from './encrypted-function';

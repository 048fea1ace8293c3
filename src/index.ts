// Public API: each construct is exported from here.
export * from './deployment-stage';
export * from './stack-protection';

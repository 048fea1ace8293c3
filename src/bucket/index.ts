/** ArtifactBucket. Other features import this folder only through this file. */
export * from './artifact-bucket';
export * from './artifact-bucket-grants';

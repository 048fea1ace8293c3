/** ArtifactBucket. Other features import this folder only through this file. */
export * from './artifact-bucket';

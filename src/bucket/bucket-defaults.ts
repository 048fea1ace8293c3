import { Duration } from 'aws-cdk-lib';
import { KEEP_DATA } from '../core';

/**
 * The defaults of `ArtifactBucket`, stated once: the construct resolves its props against them. Each is the `@default`
 * of its prop (test/bucket/bucket-defaults.test.ts compares them).
 */

/** What `ArtifactBucketProps` leaves to the construct. */
export const ARTIFACT_BUCKET_DEFAULTS = Object.freeze({
  removalPolicy: KEEP_DATA,
  autoDeleteObjects: false,
  accessLogsPrefix: 'artifact-access-logs/',
  accessLogsRetention: Duration.days(365),
  /** The earliest S3 accepts for a transition to Standard-IA. */
  noncurrentVersionTransitionAfter: Duration.days(30),
  noncurrentVersionExpiration: Duration.days(90),
  abortIncompleteMultipartUploadAfter: Duration.days(7),
});

import { CustomResource, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeFindings, bundledHandlerCode, FINDING_FAMILIES, HardenedFunction } from '../core';

/**
 * The tag that lets the bucket-emptying function empty a bucket (lambda-src/empty-bucket, where the same name is
 * exported): a bucket that no longer carries it (emptying turned off) is never emptied.
 */
export const EMPTY_ON_DELETE_TAG = 'cdk-secure-serverless:empty-on-delete';

/** Settings of {@link EmptyBucketsOnDelete}. */
export interface EmptyBucketsOnDeleteProps {
  /** The buckets emptied when CloudFormation deletes them. */
  readonly buckets: readonly s3.Bucket[];
  /** Key of the function's log group and dead-letter queue; its policy must let CloudWatch Logs use it. */
  readonly encryptionKey: kms.IKey;
  /** Removal policy of the function's log group and dead-letter queue (that of the buckets). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Empties buckets (every object version and delete marker) when CloudFormation deletes them, so that a stack of a
 * development stage can be deleted: CloudFormation deletes only empty buckets. One hardened helper function whose
 * role may list and delete versions of these buckets only, and one `Custom::EmptyBucketOnDelete` per bucket.
 */
export class EmptyBucketsOnDelete extends Construct {
  /** The bucket-emptying function with its role, log group and dead-letter queue. */
  public readonly hardened: HardenedFunction;

  constructor(scope: Construct, id: string, props: EmptyBucketsOnDeleteProps) {
    super(scope, id);
    const buckets = props.buckets;
    this.hardened = new HardenedFunction(this, 'Handler', {
      description: 'Empties the buckets of a development stage when CloudFormation deletes them',
      code: bundledHandlerCode('empty-bucket'),
      // Lambda's longest: the function stops 30 s before it and fails, and the retried deletion continues.
      timeout: Duration.minutes(15),
      encryptionKey: props.encryptionKey,
      logRetention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy,
      statements: [
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html (s3:ListBucketVersions) and
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketTagging.html (s3:GetBucketTagging).
        new iam.PolicyStatement({
          sid: 'ReadTheTagAndListTheVersions',
          actions: ['s3:GetBucketTagging', 's3:ListBucketVersions'],
          resources: buckets.map((bucket) => bucket.bucketArn),
        }),
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html: each object needs s3:DeleteObject,
        // and s3:DeleteObjectVersion when its version id is given.
        new iam.PolicyStatement({
          sid: 'DeleteEveryVersion',
          actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          resources: buckets.map((bucket) => bucket.arnForObjects('*')),
        }),
      ],
    });
    for (const bucket of buckets) this.emptyOnDelete(bucket);
  }

  private emptyOnDelete(bucket: s3.Bucket): void {
    Tags.of(bucket).add(EMPTY_ON_DELETE_TAG, 'true');
    acknowledgeFindings(this.hardened.policy, FINDING_FAMILIES.bucketEmptyingObjects,
      Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket));
    const emptying = new CustomResource(this, bucket.node.id, {
      serviceToken: this.hardened.function.functionArn,
      resourceType: 'Custom::EmptyBucketOnDelete',
      properties: { BucketName: bucket.bucketName },
    });
    // Deleted before the emptying: without the bucket policy, S3 server access logging can no longer deliver into the
    // bucket (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html: with ACLs
    // disabled only the bucket policy grants logging.s3.amazonaws.com), so no log object lands after the bucket was
    // emptied. CDK's handler denies s3:PutObject by rewriting the policy instead, which needs s3:PutBucketPolicy.
    bucket.policy?.node.addDependency(emptying);
  }
}

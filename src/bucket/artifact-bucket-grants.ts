import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { grantStatements, viaService } from '../core';

/** What `ArtifactBucketGrants` grants on: a bucket and the key that encrypts its objects. */
export interface ArtifactBucketGrantsProps {
  /** The bucket. */
  readonly bucket: s3.IBucket;
  /** The customer-managed KMS key that encrypts the bucket's objects. */
  readonly encryptionKey: kms.IKey;
}

const OBJECT_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
const OBJECT_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'];
const KEY_READ_ACTIONS = ['kms:Decrypt'];
const KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey'];

/**
 * The permissions an `ArtifactBucket` grants, after aws-cdk-lib's `BucketGrants`, with exact actions instead of the
 * `s3:GetObject*`, `s3:List*`, `kms:GenerateDataKey*` and `kms:ReEncrypt*` wildcards, and the key usable through S3
 * only (`kms:ViaService`). With a key pattern such as `'releases/*'` the listing is limited to it too (`s3:prefix`).
 *
 * Each `x(grantee)` has an `xStatements()` that returns the same statements, for a customer-managed policy of your own.
 */
export class ArtifactBucketGrants {
  private readonly bucket: s3.IBucket;
  private readonly encryptionKey: kms.IKey;

  constructor(props: ArtifactBucketGrantsProps) {
    this.bucket = props.bucket;
    this.encryptionKey = props.encryptionKey;
  }

  /**
   * Read: s3:GetObject and s3:GetObjectVersion on the objects matching the pattern, s3:ListBucket on the bucket,
   * kms:Decrypt on the key.
   * @param objectsKeyPattern the object keys, e.g. `'releases/*'`; all objects when unset
   */
  public read(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return grantStatements(grantee, this.readStatements(objectsKeyPattern));
  }

  /**
   * The statements `read` adds.
   * @param objectsKeyPattern the object keys, e.g. `'releases/*'`; all objects when unset
   */
  public readStatements(objectsKeyPattern?: string): iam.PolicyStatement[] {
    return this.objectStatements(OBJECT_READ_ACTIONS, KEY_READ_ACTIONS, objectsKeyPattern);
  }

  /**
   * Read and write: the read actions plus s3:PutObject, s3:DeleteObject and s3:AbortMultipartUpload, and kms:Decrypt,
   * kms:Encrypt and kms:GenerateDataKey on the key.
   * @param objectsKeyPattern the object keys, e.g. `'releases/*'`; all objects when unset
   */
  public readWrite(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return grantStatements(grantee, this.readWriteStatements(objectsKeyPattern));
  }

  /**
   * The statements `readWrite` adds.
   * @param objectsKeyPattern the object keys, e.g. `'releases/*'`; all objects when unset
   */
  public readWriteStatements(objectsKeyPattern?: string): iam.PolicyStatement[] {
    return this.objectStatements(
      [...OBJECT_READ_ACTIONS, ...OBJECT_WRITE_ACTIONS],
      [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS],
      objectsKeyPattern,
    );
  }

  private objectStatements(objectActions: string[], keyActions: string[], objectsKeyPattern = '*'): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        // Listing is a bucket-level action: without this condition a grant on `prefix/*` would list every key.
        conditions: objectsKeyPattern === '*' ? undefined : { StringLike: { 's3:prefix': objectsKeyPattern } },
      }),
      new iam.PolicyStatement({ actions: objectActions, resources: [this.bucket.arnForObjects(objectsKeyPattern)] }),
      // Through S3 only: the key may be shared (a service key), and the grantee has no business using it directly.
      new iam.PolicyStatement({ actions: keyActions, resources: [this.encryptionKey.keyArn], conditions: viaService(this.bucket, 's3') }),
    ];
  }
}

// eslint-disable-next-line import/no-extraneous-dependencies -- bundled into assets/ by esbuild, not a runtime dependency of the library
import { DeleteObjectsCommand, GetBucketTaggingCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { CustomResourceResponse, failedResponse, failureReason, respond } from '../shared/custom-resource';

/**
 * The bucket-emptying function of `ArtifactBucket` with `autoDeleteObjects`, as the custom resource
 * `Custom::EmptyBucketOnDelete` (property `BucketName`). CloudFormation deletes only empty buckets, so on Delete it
 * deletes every object version and delete marker of the bucket, when the bucket carries the {@link EMPTY_ON_DELETE_TAG}.
 *
 * As CDK's own `autoDeleteObjects` handler does:
 * - Create does nothing; the physical id is the bucket name, so an Update that names another bucket (the bucket was
 *   replaced) changes it, and CloudFormation then sends a Delete for the old bucket during cleanup, just before it
 *   deletes that bucket.
 * - A Delete empties the bucket only while it carries the tag: removing `autoDeleteObjects` (or moving to a stage that
 *   keeps its data) removes the tag in the update, before CloudFormation deletes this resource during cleanup, so a
 *   kept bucket is never emptied. The tag is the library's own, not CDK's `aws-cdk:auto-delete-objects`: when a stack
 *   moves from CDK's handler to this one, CDK's Delete finds its tag gone and leaves the bucket alone.
 */

/** The tag the construct puts on a bucket to be emptied; the Delete of a bucket without it empties nothing. */
export const EMPTY_ON_DELETE_TAG = 'cdk-secure-serverless:empty-on-delete';

/** Stop while there is time to answer CloudFormation; a retried delete continues where this one stopped. */
const ANSWER_MARGIN_MS = 30_000;

const s3 = new S3Client({});

export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  const bucketName = bucketNameOf(event);
  let response: CustomResourceResponse = {
    Status: 'SUCCESS',
    PhysicalResourceId: event.RequestType === 'Delete' ? event.PhysicalResourceId : bucketName ?? event.LogicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  try {
    if (bucketName === undefined) {
      // A Delete after a Create that failed for this reason has nothing to empty.
      if (event.RequestType !== 'Delete') throw new Error('the BucketName property is missing');
    } else if (event.RequestType === 'Delete') {
      await emptyIfTagged(bucketName, () => context.getRemainingTimeInMillis() < ANSWER_MARGIN_MS);
    }
  } catch (error) {
    // The event's ResponseURL is a pre-signed credential: never log the event itself.
    console.error(JSON.stringify({
      message: 'bucket not emptied', requestType: event.RequestType, bucketName, reason: failureReason(error, context.logStreamName),
    }));
    response = failedResponse(response, error, context.logStreamName);
  }
  await respond(event.ResponseURL, response);
}

function bucketNameOf(event: CloudFormationCustomResourceEvent): string | undefined {
  const name: unknown = event.ResourceProperties?.BucketName;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

async function emptyIfTagged(bucket: string, outOfTime: () => boolean): Promise<void> {
  let tagged: boolean;
  try {
    tagged = await carriesEmptyOnDeleteTag(bucket);
  } catch (error) {
    if (errorName(error) === 'NoSuchBucket') {
      console.log(JSON.stringify({ message: 'bucket already gone', bucketName: bucket }));
      return;
    }
    throw error;
  }
  if (!tagged) {
    console.log(JSON.stringify({ message: `bucket has no ${EMPTY_ON_DELETE_TAG} tag: kept as it is`, bucketName: bucket }));
    return;
  }
  const deleted = await deleteEveryVersion(bucket, outOfTime);
  console.log(JSON.stringify({ message: 'bucket emptied', bucketName: bucket, deletedVersionsAndDeleteMarkers: deleted }));
}

async function carriesEmptyOnDeleteTag(bucket: string): Promise<boolean> {
  try {
    const { TagSet: tags } = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return (tags ?? []).some((tag) => tag.Key === EMPTY_ON_DELETE_TAG && tag.Value === 'true');
  } catch (error) {
    if (errorName(error) === 'NoSuchTagSet') return false;
    throw error;
  }
}

/**
 * Deletes every object version and delete marker, a page (at most 1,000, the most ListObjectVersions returns and
 * DeleteObjects takes) at a time. Each page is listed from the start: what the previous page held is gone, so no marker
 * into deleted versions is needed. Returns how many were deleted.
 */
async function deleteEveryVersion(bucket: string, outOfTime: () => boolean): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const versions = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .map((version) => ({ Key: version.Key!, VersionId: version.VersionId }));
    if (versions.length === 0) return deleted;
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: versions, Quiet: true } }));
    // DeleteObjects answers 200 even when some objects were not deleted; they are listed in Errors.
    const errors = result.Errors ?? [];
    if (errors.length > 0) {
      const [first] = errors;
      throw new Error(`S3 did not delete ${errors.length} of ${versions.length} versions in bucket ${bucket}, e.g. ${first.Key} `
        + `version ${first.VersionId}: ${first.Code} ${first.Message}`);
    }
    deleted += versions.length;
    if (outOfTime()) {
      throw new Error(`ran out of time after deleting ${deleted} versions from bucket ${bucket}; `
        + 'delete the stack again: emptying continues where it stopped');
    }
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

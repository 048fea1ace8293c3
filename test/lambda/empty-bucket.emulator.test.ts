import { join } from 'node:path';
import {
  CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, HeadBucketCommand, ListObjectVersionsCommand, PutBucketTaggingCommand,
  PutBucketVersioningCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { EMPTY_ON_DELETE_TAG, handler } from '../../lambda-src/empty-bucket';
import { EMPTY_ON_DELETE_TAG as CONSTRUCT_TAG } from '../../src/bucket/bucket-emptying';
import { ASSETS_DIR } from '../../src/core/bundled-code';
import { motoClientConfig } from '../harness/moto';
import { ResponseServer } from '../harness/response-server';

const s3 = new S3Client(motoClientConfig());
/** Plenty of time left, as a fresh invocation has. */
const context = { logStreamName: '2026/12/07/[$LATEST]stream', getRemainingTimeInMillis: () => 900_000 } as Context;

let server: ResponseServer;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  server = await ResponseServer.start();
});

afterAll(async () => {
  await server.stop();
});

function event(requestType: 'Create' | 'Update' | 'Delete', responsePath: string, bucketName: string | undefined, oldBucketName?: string): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:empty-bucket',
    ResponseURL: server.url(responsePath),
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/dev/00000000-0000-0000-0000-000000000000',
    RequestId: `request-${responsePath}`,
    LogicalResourceId: 'ArtifactsEmptyOnDeleteBucket',
    ResourceType: 'Custom::EmptyBucketOnDelete',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:empty-bucket', ...(bucketName ? { BucketName: bucketName } : {}) },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' } as CloudFormationCustomResourceEvent;
  return {
    ...common,
    RequestType: requestType,
    PhysicalResourceId: oldBucketName ?? bucketName ?? 'existing-id',
    OldResourceProperties: { BucketName: oldBucketName ?? bucketName },
  } as CloudFormationCustomResourceEvent;
}

/** The tags of a test bucket: the emptying tag beside another one, only the other one, or no tag set at all. */
type BucketTags = 'tagged' | 'other tags only' | 'no tags';

/** A versioned bucket holding `keys` objects of two versions each, a delete marker on every third, with `tags`. */
async function versionedBucket(name: string, keys: number, tags: BucketTags): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  if (tags !== 'no tags') {
    const tagSet = [{ Key: 'stage', Value: 'dev' }, ...(tags === 'tagged' ? [{ Key: EMPTY_ON_DELETE_TAG, Value: 'true' }] : [])];
    await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tagSet } }));
  }
  for (let start = 0; start < keys; start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, keys - start) }, async (_, offset) => {
      const key = `artifacts/${String(start + offset).padStart(5, '0')}.zip`;
      await s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: 'v1' }));
      await s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: 'v2' }));
      if ((start + offset) % 3 === 0) await s3.send(new DeleteObjectCommand({ Bucket: name, Key: key }));
    }));
  }
}

/** Every version and delete marker left, counted through every page. */
async function remaining(name: string): Promise<{ versions: number; deleteMarkers: number }> {
  let versions = 0;
  let deleteMarkers = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: name, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
    versions += page.Versions?.length ?? 0;
    deleteMarkers += page.DeleteMarkers?.length ?? 0;
    if (!page.IsTruncated) return { versions, deleteMarkers };
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

test('the construct tags the buckets with the tag the function looks for', () => {
  expect(CONSTRUCT_TAG).toBe(EMPTY_ON_DELETE_TAG);
});

test('Delete empties a tagged versioned bucket of every version and delete marker, over more than one page, so S3 can delete it', async () => {
  await versionedBucket('empty-on-delete-many', 600, 'tagged');
  // 1,200 versions and 200 delete markers: more than the 1,000 entries ListObjectVersions returns per page
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html, MaxKeys).
  expect(await remaining('empty-on-delete-many')).toEqual({ versions: 1200, deleteMarkers: 200 });
  await expect(s3.send(new DeleteBucketCommand({ Bucket: 'empty-on-delete-many' }))).rejects.toThrow(/not empty/);

  await handler(event('Delete', 'many', 'empty-on-delete-many'), context);

  expect(server.bodiesFor('many')).toEqual([{
    Status: 'SUCCESS',
    PhysicalResourceId: 'empty-on-delete-many',
    StackId: expect.any(String),
    RequestId: 'request-many',
    LogicalResourceId: 'ArtifactsEmptyOnDeleteBucket',
  }]);
  expect(await remaining('empty-on-delete-many')).toEqual({ versions: 0, deleteMarkers: 0 });
  // "All objects (including all object versions and delete markers) in the bucket must be deleted before the bucket
  // itself can be deleted" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html).
  await s3.send(new DeleteBucketCommand({ Bucket: 'empty-on-delete-many' }));
});

/**
 * A bucket whose tags were all removed has no tag set: GetBucketTagging answers NoSuchTagSet
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketTagging.html), which means "not tagged", not "empty it".
 */
test.each<[BucketTags, string]>([['other tags only', 'kept-bucket'], ['no tags', 'untagged-bucket']])(
  'Delete of a bucket with %s (emptying turned off, bucket kept) leaves every version', async (tags, bucket) => {
    await versionedBucket(bucket, 4, tags);
    await handler(event('Delete', bucket, bucket), context);

    expect(server.bodiesFor(bucket)).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: bucket })]);
    // 4 keys of two versions each, and a delete marker on keys 0 and 3, counted by hand.
    expect(await remaining(bucket)).toEqual({ versions: 8, deleteMarkers: 2 });
  });

test('Create and Update empty nothing; an Update naming another bucket (a replacement) answers its name as the new physical id', async () => {
  await versionedBucket('replaced-old', 3, 'tagged');
  await versionedBucket('replaced-new', 3, 'tagged');
  await handler(event('Create', 'create', 'replaced-old'), context);
  await handler(event('Update', 'update-same', 'replaced-old'), context);
  await handler(event('Update', 'update-replaced', 'replaced-new', 'replaced-old'), context);

  expect(server.bodiesFor('create')).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'replaced-old' })]);
  expect(server.bodiesFor('update-same')).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'replaced-old' })]);
  // "If the update ... returns a new physical ID, CloudFormation ... sends a Delete request for the old resource"
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/crpg-ref-requesttypes-update.html).
  expect(server.bodiesFor('update-replaced')).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'replaced-new' })]);
  expect(await remaining('replaced-old')).toEqual({ versions: 6, deleteMarkers: 1 });
  expect(await remaining('replaced-new')).toEqual({ versions: 6, deleteMarkers: 1 });
});

test('Delete of a bucket that is already gone succeeds, and so does a Delete after a Create that had no bucket name', async () => {
  await handler(event('Delete', 'gone', 'no-such-bucket-here'), context);
  await handler(event('Create', 'no-name', undefined), context);
  await handler(event('Delete', 'no-name-delete', undefined), context);

  expect(server.bodiesFor('gone')).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  expect(server.bodiesFor('no-name')).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: expect.stringMatching(/BucketName property is missing/) })]);
  expect(server.bodiesFor('no-name-delete')).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
});

test('out of time, Delete answers FAILED with the way through, and the retried Delete finishes emptying', async () => {
  await versionedBucket('slow-bucket', 600, 'tagged');
  const almostOut = { ...context, getRemainingTimeInMillis: () => 10_000 } as Context;
  await handler(event('Delete', 'slow', 'slow-bucket'), almostOut);

  expect(server.bodiesFor('slow')).toEqual([expect.objectContaining({
    Status: 'FAILED',
    Reason: expect.stringMatching(/ran out of time after deleting 1000 versions from bucket slow-bucket; delete the stack again/),
  })]);
  // One page of the 1,400 deleted, 400 left for the retry.
  const left = await remaining('slow-bucket');
  expect(left.versions + left.deleteMarkers).toBe(400);
  await handler(event('Delete', 'slow-retry', 'slow-bucket'), context);
  expect(server.bodiesFor('slow-retry')).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  await s3.send(new DeleteBucketCommand({ Bucket: 'slow-bucket' }));
  await expect(s3.send(new HeadBucketCommand({ Bucket: 'slow-bucket' }))).rejects.toThrow();
});

test('the bundle shipped in assets/ exports the same handler and tag', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = require(join(ASSETS_DIR, 'empty-bucket', 'index.js'));
  expect(typeof bundle.handler).toBe('function');
  expect(bundle.EMPTY_ON_DELETE_TAG).toBe(EMPTY_ON_DELETE_TAG);
});

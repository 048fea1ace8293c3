import { createEmulatedResource } from '../../cli/emulated-resources';
import { MotoClient } from '../../cli/moto-client';
import { ResolutionContext } from '../../cli/template';
import { motoEndpoint } from '../harness/moto';

const REGION = 'eu-west-3';

/** The buckets moto holds (ListBuckets, read from its XML). */
async function bucketNames(): Promise<string[]> {
  const response = await fetch(`${motoEndpoint()}/`, {
    headers: { authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=0` },
  });
  return [...(await response.text()).matchAll(/<Name>([^<]+)<\/Name>/g)].map((match) => match[1]);
}

describe('emulated resource types', () => {
  const context = (): ResolutionContext => ({ region: REGION, accountId: '123456789012', stackName: 'registry', resources: new Map() });

  test('a type local mode does not emulate is refused, naming the type and the emulated ones, and creates nothing', async () => {
    const before = await bucketNames();
    await expect(createEmulatedResource(new MotoClient(motoEndpoint(), REGION), 'Queue', { Type: 'AWS::SQS::Queue' }, context()))
      .rejects.toThrow(/^Local mode does not emulate AWS::SQS::Queue \(Queue\); it emulates AWS::KMS::Key, .*AWS::S3::Bucket/);
    expect(await bucketNames()).toEqual(before);
  });

  test('an emulated type is created with its template name and resolves Ref and Fn::GetAtt', async () => {
    const resolved = await createEmulatedResource(
      new MotoClient(motoEndpoint(), REGION), 'Artifacts', { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'registry-artifacts' } }, context(),
    );
    // The Ref of a bucket is its name and its Arn attribute arn:aws:s3:::name
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html#aws-resource-s3-bucket-return-values).
    expect(resolved).toMatchObject({ ref: 'registry-artifacts', attributes: { Arn: 'arn:aws:s3:::registry-artifacts' } });
    expect(await bucketNames()).toContain('registry-artifacts');
  });
});

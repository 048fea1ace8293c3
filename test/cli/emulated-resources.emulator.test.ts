import { createEmulatedResource, generateSecretString } from '../../cli/emulated-resources';
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

  // Without a name property CloudFormation names a resource from the stack name, the logical id and a random suffix
  // (CloudFormation user guide, "Name type"), within the type's name length: 255 for a DynamoDB table, 63 lowercase
  // characters for an S3 bucket.
  test('a resource without a name property gets stack-logicalId-SUFFIX, cut to the type\'s length', async () => {
    const client = new MotoClient(motoEndpoint(), REGION);
    const table = await createEmulatedResource(client, 'Orders', {
      Type: 'AWS::DynamoDB::Table',
      Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
    }, context());
    expect(table.ref).toMatch(/^registry-Orders-[0-9A-F]{12}$/);
    const longId = `Artifacts${'x'.repeat(80)}`;
    const bucket = await createEmulatedResource(client, longId, { Type: 'AWS::S3::Bucket' }, context());
    expect(bucket.ref).toHaveLength(63);
    expect(bucket.ref).toMatch(/^registry-artifactsx+-[0-9a-f]{12}$/);
    expect(await bucketNames()).toContain(bucket.ref);
    const other = await createEmulatedResource(client, longId, { Type: 'AWS::S3::Bucket' }, context());
    expect(other.ref).not.toBe(bucket.ref);
  });
});

/**
 * GenerateSecretString (AWS::SecretsManager::Secret, CloudFormation user guide): upper and lower case letters, digits
 * and the punctuation ! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~ unless excluded, a space only
 * with IncludeSpace, none of ExcludeCharacters, PasswordLength characters (default 32).
 */
describe('generated secret strings', () => {
  const CLASSES: Record<string, RegExp> = { ExcludeUppercase: /[A-Z]/, ExcludeLowercase: /[a-z]/, ExcludeNumbers: /[0-9]/, ExcludePunctuation: /[!-/:-@[-`{-~]/ };
  // 2,000 characters from 94: a class of 10 is missing with probability (84/94)^2000, below 1e-97.
  const LONG = 2000;

  test('every class by default, no space, 32 characters', () => {
    const value = generateSecretString({ PasswordLength: LONG });
    for (const pattern of Object.values(CLASSES)) expect(value).toMatch(pattern);
    expect(value).not.toContain(' ');
    expect(generateSecretString({})).toHaveLength(32);
  });

  test.each(Object.keys(CLASSES))('%s leaves that class out and keeps the others', (option) => {
    const value = generateSecretString({ PasswordLength: LONG, [option]: true });
    expect(value).toHaveLength(LONG);
    for (const [other, pattern] of Object.entries(CLASSES)) {
      if (other === option) expect(value).not.toMatch(pattern);
      else expect(value).toMatch(pattern);
    }
  });

  test('IncludeSpace adds the space; ExcludeCharacters takes characters out', () => {
    expect(generateSecretString({ PasswordLength: LONG, IncludeSpace: true })).toContain(' ');
    const value = generateSecretString({ PasswordLength: LONG, ExcludeCharacters: 'aB3"/' });
    expect(value).not.toMatch(/[aB3"/]/);
    expect(value).toMatch(/[b-z]/);
  });
});

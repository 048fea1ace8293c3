import { S3Client, CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { runCfnLint, untoleratedCfnLintFindings } from './cfn-lint';
import { motoClientConfig } from './moto';
import { NAG_PACKS, runNagPacks } from './nag';

describe('cdk-nag helper', () => {
  test('runs all six packs', () => {
    expect(NAG_PACKS.map((make) => make().readPackName).sort()).toEqual(
      ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless'].sort(),
    );
  });

  test('reports a deliberately public bucket in several packs', () => {
    const app = new App();
    const stack = new Stack(app, 'Public');
    new s3.Bucket(stack, 'Open', { publicReadAccess: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY });
    const findings = runNagPacks(app);
    const ids = new Set(findings.map((f) => f.ruleId));
    expect(ids).toContain('AwsSolutions-S2');
    expect(ids).toContain('NIST.800.53.R5-S3BucketLevelPublicAccessProhibited');
    expect(findings.every((f) => f.path.startsWith('Public/Open'))).toBe(true);
  });
});

describe('cfn-lint helper', () => {
  test('reports an invalid property and passes a clean template', () => {
    const app = new App();
    const stack = new Stack(app, 'Lint');
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.addPropertyOverride('VersioningConfiguration', { Status: 'Sometimes' });
    const findings = runCfnLint(Template.fromStack(stack).toJSON());
    expect(findings.map((f) => f.rule)).toContain('E3030');

    const clean = new Stack(new App(), 'Clean');
    new s3.CfnBucket(clean, 'Bucket');
    expect(untoleratedCfnLintFindings(Template.fromStack(clean).toJSON())).toEqual([]);
  });
});

describe('moto server from the jest global setup', () => {
  test('serves real AWS SDK v3 calls on a loopback port', async () => {
    const config = motoClientConfig();
    expect(config.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const s3Client = new S3Client({ ...config, forcePathStyle: true });
    await s3Client.send(new CreateBucketCommand({ Bucket: 'harness-probe' }));
    const listed = await s3Client.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toContain('harness-probe');
  });
});

import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ArtifactBucket, ArtifactBucketProps } from '../../src';
import { acknowledgedRuleIds } from '../harness/acknowledged';
import { decide, identityPoliciesOf, ResolvedTemplate, roleOfFunction } from '../harness/policy-evaluation';

function byRef(a: { Ref: string }, b: { Ref: string }): number {
  return a.Ref.localeCompare(b.Ref);
}

function newStack(context: Record<string, unknown> = {}): Stack {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true, ...context } });
  return new Stack(app, 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
}

function synth(props: ArtifactBucketProps = {}, stack = newStack()): { stack: Stack; artifacts: ArtifactBucket; template: Template } {
  const artifacts = new ArtifactBucket(stack, 'Artifacts', props);
  return { stack, artifacts, template: Template.fromStack(stack) };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as s3.CfnBucket);
}

describe('ArtifactBucket defaults', () => {
  const { stack, artifacts, template } = synth();
  const bucketId = logicalId(stack, artifacts.bucket);
  const logsId = logicalId(stack, artifacts.accessLogsBucket as s3.Bucket);
  const keyId = stack.getLogicalId(artifacts.encryptionKey.node.defaultChild as kms.CfnKey);
  const bucket = template.toJSON().Resources[bucketId];
  const logs = template.toJSON().Resources[logsId];

  test('creates the artifact bucket, its log bucket and a rotating key, and no helper Lambda', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'RetainExceptOnCreate' });
    expect(artifacts.encryptionKey).toBeInstanceOf(kms.Key);
  });

  test('blocks all public access and enforces bucket-owner ownership', () => {
    for (const resource of [bucket, logs]) {
      expect(resource.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
      expect(resource.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(resource.Properties.AccessControl).toBeUndefined();
    }
  });

  test('encrypts with the customer-managed key and a bucket key', () => {
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      }],
    });
  });

  test('the log bucket uses SSE-S3, as server access logging requires', () => {
    expect(logs.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  test('denies non-TLS and TLS < 1.2 requests on both buckets', () => {
    for (const id of [bucketId, logsId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        },
      });
    }
  });

  test('is versioned, with noncurrent versions to IA after 30 days, expired after 90, uploads aborted after 7', () => {
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'NoncurrentVersions',
        Status: 'Enabled',
        NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
      },
      { Id: 'IncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
    ]);
  });

  test('logs server access to the log bucket, delivered by bucket policy scoped to the source bucket', () => {
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'artifact-access-logs/',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
        })]),
      },
    });
  });

  test('the log bucket is versioned and expires logs after 365 days', () => {
    expect(logs.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(logs.Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'ExpireLogs', Status: 'Enabled', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
      { Id: 'IncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    ]);
  });

  test('both buckets are retained and have no object lock', () => {
    for (const resource of [bucket, logs]) {
      expect(resource.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
      expect(resource.Properties.ObjectLockEnabled).toBeUndefined();
    }
  });

  test('acknowledges replication and object lock on the artifact bucket, and the log-bucket limits on the log bucket', () => {
    expect(acknowledgedRuleIds(artifacts.bucket)).toEqual([
      'HIPAA.Security-S3BucketReplicationEnabled',
      'NIST.800.53.R4-S3BucketDefaultLockEnabled',
      'NIST.800.53.R4-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'PCI.DSS.321-S3BucketReplicationEnabled',
    ]);
    expect(acknowledgedRuleIds(artifacts.accessLogsBucket)).toEqual([
      'AwsSolutions-S1',
      'HIPAA.Security-S3BucketLoggingEnabled',
      'HIPAA.Security-S3BucketReplicationEnabled',
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'NIST.800.53.R4-S3BucketDefaultLockEnabled',
      'NIST.800.53.R4-S3BucketLoggingEnabled',
      'NIST.800.53.R4-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'PCI.DSS.321-S3BucketLoggingEnabled',
      'PCI.DSS.321-S3BucketReplicationEnabled',
      'PCI.DSS.321-S3DefaultEncryptionKMS',
    ]);
  });
});

describe('ArtifactBucket getters', () => {
  // AWS::S3::Bucket return values: Ref is the bucket name; Fn::GetAtt Arn is its ARN (CloudFormation docs).
  test('bucketName and bucketArn name the artifact bucket, not its log bucket', () => {
    const { stack, artifacts, template } = synth();
    const [bucketId] = Object.entries(template.findResources('AWS::S3::Bucket'))
      .filter(([, resource]) => resource.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm === 'aws:kms')
      .map(([id]) => id);
    expect(stack.resolve(artifacts.bucketName)).toEqual({ Ref: bucketId });
    expect(stack.resolve(artifacts.bucketArn)).toEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
  });
});

describe('ArtifactBucket options', () => {
  test('a given key encrypts the bucket and no key is created', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true });
    const { artifacts, template } = synth({ encryptionKey: key }, stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(artifacts.encryptionKey).toBe(key);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [Match.objectLike({
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } },
        })],
      },
    });
  });

  test('a given log bucket receives the logs and no log bucket is created', () => {
    const stack = newStack();
    const logs = new s3.Bucket(stack, 'CentralLogs', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    const { artifacts, template } = synth({ accessLogsBucket: logs, accessLogsPrefix: 'artifacts/' }, stack);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    expect(artifacts.accessLogsBucket).toBe(logs);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack, logs) }, LogFilePrefix: 'artifacts/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack, logs) },
      PolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack, logs), 'Arn'] }, '/artifacts/*']] },
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(stack, artifacts.bucket), 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
        })],
      },
    });
  });

  test('lifecycle durations, log retention, name and tags are configurable', () => {
    const { template } = synth({
      noncurrentVersionTransitionAfter: Duration.days(45),
      noncurrentVersionExpiration: Duration.days(180),
      abortIncompleteMultipartUploadAfter: Duration.days(2),
      accessLogsRetention: Duration.days(30),
      bucketName: 'my-artifacts',
      tags: { team: 'payments' },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'my-artifacts',
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 45 }], NoncurrentVersionExpiration: { NoncurrentDays: 180 } }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }),
        ],
      },
      Tags: [{ Key: 'team', Value: 'payments' }],
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireLogs', ExpirationInDays: 30 })]) },
      Tags: [{ Key: 'team', Value: 'payments' }],
    });
    template.hasResourceProperties('AWS::KMS::Key', { Tags: [{ Key: 'team', Value: 'payments' }] });
  });

  test('object lock default retention makes artifacts immutable and drops its acknowledgement', () => {
    const { artifacts, template } = synth({ objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(30)) });
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
    });
    expect(acknowledgedRuleIds(artifacts.bucket)).not.toContain('NIST.800.53.R4-S3BucketDefaultLockEnabled');
  });

  test('DESTROY with autoDeleteObjects deletes key and buckets for development stages', () => {
    const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    expect(Object.values(template.findResources('AWS::S3::Bucket')).map((b: any) => b.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });

  describe('autoDeleteObjects empties both buckets with the library\'s own function', () => {
    const { stack, artifacts, template } = synth({ removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
    const resources = template.toJSON().Resources;
    const bucketIds = [logicalId(stack, artifacts.bucket), logicalId(stack, artifacts.accessLogsBucket as s3.Bucket)];
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    const emptyingIds = Object.keys(template.findResources('Custom::EmptyBucketOnDelete'));

    test('no CDK provider: one function of the library, on nodejs24.x, with no reserved concurrency, logging to its own encrypted log group', () => {
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
      template.resourceCountIs('AWS::Lambda::Function', 1);
      const fn = resources[functionId].Properties;
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.ReservedConcurrentExecutions).toBeUndefined();
      const logGroupId = fn.LoggingConfig.LogGroup.Ref;
      expect(resources[logGroupId].Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(artifacts.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] });
    });

    test('one Custom::EmptyBucketOnDelete per bucket, served by that function, and each bucket carries the tag it checks', () => {
      expect(emptyingIds.map((id) => resources[id].Properties.BucketName).sort(byRef)).toEqual(bucketIds.map((id) => ({ Ref: id })).sort(byRef));
      for (const id of emptyingIds) {
        expect(resources[id].Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
      }
      for (const id of bucketIds) {
        expect(resources[id].Properties.Tags).toContainEqual({ Key: 'cdk-secure-serverless:empty-on-delete', Value: 'true' });
      }
    });

    test('on deletion the bucket policy goes first (no log delivery after emptying), then the emptying, then the bucket', () => {
      // CloudFormation deletes a resource before the resources it depends on.
      for (const bucketId of bucketIds) {
        const emptyingId = emptyingIds.find((id) => resources[id].Properties.BucketName.Ref === bucketId)!;
        const [policyId] = Object.entries(resources).find(([, r]: [string, any]) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === bucketId)!;
        expect(resources[policyId].DependsOn).toContain(emptyingId);
      }
    });

    test('the role may list and delete the versions of these two buckets only (IAM policy evaluation)', async () => {
      const t = new ResolvedTemplate(template.toJSON(), { account: '123456789012', region: 'us-east-1' });
      const role = roleOfFunction(t, functionId);
      const request = (action: string, resource: string) => decide({
        principal: t.getAtt(role, 'Arn'), identityPolicies: identityPoliciesOf(t, role), action, resource, resourceAccount: '123456789012',
      });
      const other = 'arn:aws:s3:::someone-elses-bucket';
      for (const bucketId of bucketIds) {
        const arn = t.getAtt(bucketId, 'Arn');
        for (const action of ['s3:ListBucketVersions', 's3:GetBucketTagging']) {
          expect([action, await request(action, arn), await request(action, other)]).toEqual([action, 'Allowed', 'ImplicitlyDenied']);
        }
        for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion']) {
          expect([action, await request(action, `${arn}/a/key`), await request(action, `${other}/a/key`)]).toEqual([action, 'Allowed', 'ImplicitlyDenied']);
        }
        for (const action of ['s3:PutObject', 's3:GetObject', 's3:PutBucketPolicy', 's3:DeleteBucket']) {
          expect([action, await request(action, action.endsWith('Object') ? `${arn}/a/key` : arn)]).toEqual([action, 'ImplicitlyDenied']);
        }
      }
    });
  });

  test('DESTROY alone deletes empty buckets without a helper Lambda', () => {
    const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY });
    template.resourceCountIs('Custom::EmptyBucketOnDelete', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('log delivery uses a bucket policy even when the app leaves the legacy ACL flag off', () => {
    const stack = newStack({ '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': false });
    const { artifacts, template } = synth({}, stack);
    const logs = template.toJSON().Resources[logicalId(stack, artifacts.accessLogsBucket as s3.Bucket)];
    expect(logs.Properties.AccessControl).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' } })]) },
    });
  });
});

describe('ArtifactBucket grants', () => {
  function grantedStatements(grant: (artifacts: ArtifactBucket, role: iam.Role) => void): { statements: any[]; bucketArn: any; keyArn: any } {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    const artifacts = new ArtifactBucket(stack, 'Artifacts');
    grant(artifacts, role);
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')) as any[];
    return {
      statements: policy.Properties.PolicyDocument.Statement,
      bucketArn: { 'Fn::GetAtt': [logicalId(stack, artifacts.bucket), 'Arn'] },
      keyArn: { 'Fn::GetAtt': [stack.getLogicalId(artifacts.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] },
    };
  }

  test('grants.read gives exact read actions and kms:Decrypt', () => {
    const { statements, bucketArn, keyArn } = grantedStatements((artifacts, role) => artifacts.grants.read(role));
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: { 'Fn::Join': ['', [bucketArn, '/*']] } },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
    ]);
  });

  test('grants.readWrite adds exact write actions and exact KMS actions, scoped to a key pattern', () => {
    const { statements, bucketArn, keyArn } = grantedStatements((artifacts, role) => artifacts.grants.readWrite(role, 'releases/*'));
    expect(statements).toEqual([
      // Listing is limited to the same keys: without the condition a prefix grant lists the whole bucket.
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': 'releases/*' } } },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        Resource: { 'Fn::Join': ['', [bucketArn, '/releases/*']] },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
    ]);
  });

  test('grants.readStatements and readWriteStatements feed a customer-managed policy', () => {
    const stack = newStack();
    const artifacts = new ArtifactBucket(stack, 'Artifacts');
    new iam.ManagedPolicy(stack, 'Policy', { statements: [...artifacts.grants.readStatements(), ...artifacts.grants.readWriteStatements()] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:PutObject']) })]) },
    });
  });
});

describe('ArtifactBucket validation', () => {
  test.each<[ArtifactBucketProps, string]>([
    [{ autoDeleteObjects: true }, 'ArtifactBucket: autoDeleteObjects needs removalPolicy DESTROY'],
    [{ noncurrentVersionTransitionAfter: Duration.days(10) }, 'ArtifactBucket: noncurrentVersionTransitionAfter (10 days) must be at least 30 days'],
    [{ noncurrentVersionExpiration: Duration.days(30) }, 'ArtifactBucket: noncurrentVersionExpiration (30 days) must be later than noncurrentVersionTransitionAfter (30 days)'],
    [{ abortIncompleteMultipartUploadAfter: Duration.hours(12) }, 'ArtifactBucket: abortIncompleteMultipartUploadAfter (12 hours) must be a whole number of days >= 1'],
    [{ accessLogsRetention: Duration.hours(36) }, 'ArtifactBucket: accessLogsRetention (1 day 12 hours) must be a whole number of days >= 1'],
    [{ accessLogsBucket: s3.Bucket.fromBucketName(new Stack(), 'Logs', 'central-logs'), accessLogsRetention: Duration.days(30) },
      'ArtifactBucket: accessLogsRetention applies only to the log bucket this construct creates'],
  ])('%j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('synthesizes without warnings', () => {
    const { stack } = synth();
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

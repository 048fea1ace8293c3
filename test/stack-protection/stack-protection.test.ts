import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { StackProtection } from '../../src';
import { newApp, protectedStack } from '../fixtures/protected-stack';
import { expectTagged } from '../harness/tags';

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as any);
}

describe('StackProtection', () => {
  test('tags every taggable resource it creates, and none of the stack\'s own', () => {
    const { stack, table, queue } = protectedStack({ tags: { team: 'platform' } });
    const template = Template.fromStack(stack);
    expectTagged(template, ['AWS::Lambda::Function', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::IAM::Role'], 'team', 'platform');
    for (const own of [table, queue]) expect(template.toJSON().Resources[logicalId(stack, own)].Properties?.Tags).toBeUndefined();
  });

  test('turns on termination protection', () => {
    const { app, stack } = protectedStack();
    expect(stack.terminationProtection).toBe(true);
    const artifact = app.synth().getStackByName(stack.stackName);
    expect(artifact.terminationProtection).toBe(true);
  });

  test('retains stateful resources, including those added after it, and leaves stateless ones alone', () => {
    const { stack, table, bucket, lateTable, queue } = protectedStack();
    const template = Template.fromStack(stack).toJSON();
    for (const construct of [table, bucket, lateTable]) {
      const resource = template.Resources[logicalId(stack, construct)];
      expect(resource).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    }
    expect(template.Resources[logicalId(stack, queue)]).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    const logGroups = Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThan(0);
    for (const logGroup of logGroups) expect(logGroup.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  test('sets the stack policy after each deployment, listing every stateful logical id but its own', () => {
    const { stack, table, bucket, lateTable, queue } = protectedStack();
    const template = Template.fromStack(stack);
    const json = template.toJSON();
    const statefulTypes = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup'];
    const expectedIds = Object.entries(json.Resources as Record<string, any>)
      .filter(([id, r]) => statefulTypes.includes(r.Type) && !id.startsWith('Protection'))
      .map(([id]) => id)
      .sort();
    expect(expectedIds).toEqual([table, bucket, lateTable].map((c) => logicalId(stack, c)).sort());
    expect(expectedIds).not.toContain(logicalId(stack, queue));

    // CloudFormation's Stack Status Change event on the stable states that end a create and an update
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/event-detail-stack-status-change.html).
    const [rule] = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rule.Properties.EventPattern).toEqual({
      'source': ['aws.cloudformation'],
      'detail-type': ['CloudFormation Stack Status Change'],
      'detail': { 'stack-id': [{ Ref: 'AWS::StackId' }], 'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] } },
    });
    const [target] = rule.Properties.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ProtectionStackPolicyHandlerFunction/), 'Arn'] });
    expect(target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ProtectionStackPolicyHandlerDeadLetterQueue/), 'Arn'] });
    const input = JSON.parse(stack.resolve(target.Input)['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'STACK')).join(''));
    expect(input).toEqual({ StackId: 'STACK', ProtectedLogicalResourceIds: expectedIds });

    // The custom resource only lifts the policy on Delete: properties that never change.
    const [policy] = Object.values(template.findResources('Custom::StackPolicy'));
    expect(policy.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^ProtectionStackPolicyHandlerFunction/), 'Arn'] },
      ServiceTimeout: '300',
      StackId: { Ref: 'AWS::StackId' },
    });
  });

  test('the same app synthesizes the same template twice (no per-deployment nonce)', () => {
    expect(Template.fromStack(protectedStack().stack).toJSON()).toEqual(Template.fromStack(protectedStack().stack).toJSON());
  });

  test('the stack-policy function is hardened: newest runtime, ARM64, tracing, own encrypted log group, DLQ, no reserved concurrency', () => {
    const { stack } = protectedStack();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: Match.absent(),
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProtectionStackPolicyHandlerDeadLetterQueue'), 'Arn'] } },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^ProtectionStackPolicyHandlerLogGroup') } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProtectionKey'), 'Arn'] },
      RetentionInDays: 365,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProtectionKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudWatchLogsOfThisAccount',
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        })]),
      },
    });
  });

  test('the function role has a customer-managed policy with SetStackPolicy on this stack only, X-Ray in a policy of its own, and no inline policy', () => {
    const { stack } = protectedStack();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    const [[managedId, managed], [wildcardId, wildcard]] = Object.entries(policies)
      .sort(([, a]) => (a.Properties.Description.startsWith('Permissions of:') ? -1 : 1));
    expect(managed.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^ProtectionStackPolicyHandlerRole/) }]);
    expect(wildcard.Properties.Roles).toEqual(managed.Properties.Roles);
    expect(wildcard.Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'WriteTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
    const statements = managed.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual({
      Sid: 'SetPolicyOfThisStack',
      Effect: 'Allow',
      Action: ['cloudformation:SetStackPolicy', 'cloudformation:DescribeStacks'],
      Resource: { Ref: 'AWS::StackId' },
    });
    expect(statements).toContainEqual({
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ProtectionStackPolicyHandlerLogGroup/), 'Arn'] },
    });
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    // The function is created only once its permissions are attached.
    const [fnId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    expect(template.toJSON().Resources[fnId].DependsOn).toEqual(expect.arrayContaining([managedId, wildcardId]));
  });

  test('protects additional resource types', () => {
    const { stack, queue } = protectedStack({ additionalResourceTypes: ['AWS::SQS::Queue'] });
    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources[logicalId(stack, queue)].DeletionPolicy).toBe('RetainExceptOnCreate');
    const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'));
    expect(JSON.stringify(rule.Properties.Targets[0].Input)).toContain(logicalId(stack, queue));
  });

  test('each part can be turned off', () => {
    const { stack, table } = protectedStack({ terminationProtection: false, retainStatefulResources: false, stackPolicy: false });
    expect(stack.terminationProtection).toBe(false);
    const template = Template.fromStack(stack);
    expect(template.toJSON().Resources[logicalId(stack, table)].DeletionPolicy).toBe('Delete');
    template.resourceCountIs('Custom::StackPolicy', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('uses a given key instead of creating one', () => {
    const app = newApp();
    const stack = new Stack(app, 'GivenKey');
    const key = new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true });
    const protection = StackProtection.protect(stack, { encryptionKey: key });
    expect(protection.encryptionKey).toBe(key);
    expect(protection.node.path).toBe('GivenKey/StackProtection');
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('runs the function in a given VPC with network-interface permissions in its managed policy', () => {
    const app = newApp();
    const stack = new Stack(app, 'InVpc');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    StackProtection.protect(stack, { vpc });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ManageNetworkInterfaces', Resource: '*' })]) },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('rejects a second StackProtection in the same stack', () => {
    const { stack } = protectedStack();
    expect(() => StackProtection.protect(stack)).toThrow(
      /StackProtection: the stack Protected is already protected by Protected\/Protection; keep only one StackProtection per stack: create yours before any ServerlessService \(which then shares it\), or give the services protection: false\./,
    );
  });

  test('rejects a malformed additional resource type', () => {
    const stack = new Stack(newApp(), 'Bad');
    expect(() => new StackProtection(stack, 'Protection', { additionalResourceTypes: ['Queue'] })).toThrow(
      'StackProtection: additionalResourceTypes entry "Queue" is not a CloudFormation resource type; use the form AWS::Service::Resource, e.g. AWS::Cognito::UserPool.',
    );
  });
});

import { Match, Template } from 'aws-cdk-lib/assertions';
import { rotatedSecretStack } from '../fixtures/rotated-secret';

test('the rotation function runs the bundled secret-rotation handler with the hardened defaults', () => {
  const { stack } = rotatedSecretStack();
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Architectures: ['arm64'],
    Timeout: 30,
    TracingConfig: { Mode: 'Active' },
    ReservedConcurrentExecutions: Match.absent(),
    DeadLetterConfig: Match.objectLike({}),
  });
  template.hasResourceProperties('AWS::Logs::LogGroup', {
    RetentionInDays: 30,
    KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceKey'), 'Arn'] },
  });
  template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
    RotationLambdaARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretRotationHandlerFunction'), 'Arn'] },
    RotationRules: { ScheduleExpression: 'rate(30 days)' },
  });
  template.hasResourceProperties('AWS::Lambda::Permission', {
    Action: 'lambda:InvokeFunction',
    Principal: 'secretsmanager.amazonaws.com',
  });
});

test('its only permissions are exact secret and key actions in one managed policy, without GetRandomPassword', () => {
  const { stack } = rotatedSecretStack();
  const template = Template.fromStack(stack);
  // The rotation schedule's own grants (GetRandomPassword on *, kms:GenerateDataKey*) are not attached.
  template.resourceCountIs('AWS::IAM::Policy', 0);
  const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
  const statements = policy.Properties.PolicyDocument.Statement;
  expect(statements).toContainEqual({
    Sid: 'RotateTheServiceSecret',
    Effect: 'Allow',
    Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
    Resource: { Ref: expect.stringMatching(/^Secret/) },
  });
  expect(statements).toContainEqual({
    Sid: 'UseTheSecretKeyThroughSecretsManager',
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
    Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ServiceKey/), 'Arn'] },
    Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
  });
  const actions: string[] = statements.flatMap((s: any) => [s.Action].flat());
  expect(actions).not.toContain('secretsmanager:GetRandomPassword');
  expect(actions.filter((a) => a.includes('*'))).toEqual([]);
});

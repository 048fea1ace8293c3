import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EncryptedFunction, EncryptedFunctionProps } from '../../src';
import { bundledHandlerCode } from '../../src/core/bundled-code';
import { expectTagged } from '../harness/tags';

const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');

function newStack(): Stack {
  return new Stack(new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } }), 'Test');
}

function newFunction(stack: Stack, props: Partial<EncryptedFunctionProps> = {}): EncryptedFunction {
  return new EncryptedFunction(stack, 'Fn', { code, handler: 'index.handler', ...props });
}

function build(props: Partial<EncryptedFunctionProps> = {}, stack = newStack()) {
  const fn = newFunction(stack, props);
  return { stack, fn, template: Template.fromStack(stack) };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as any);
}

/** Every statement of the execution role's customer-managed policy. */
function roleStatements(template: Template): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: Match.stringLikeRegexp('^Permissions of: Execution role') },
  });
  expect(Object.keys(policies)).toHaveLength(1);
  return Object.values(policies)[0].Properties.PolicyDocument.Statement;
}

/** Every statement of the execution role's policy for actions that take no resource ARN. */
function wildcardResourceStatements(template: Template): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: Match.stringLikeRegexp('^Actions without resource ARNs') },
  });
  expect(Object.keys(policies)).toHaveLength(1);
  return Object.values(policies)[0].Properties.PolicyDocument.Statement;
}

describe('EncryptedFunction defaults', () => {
  test('tags takes tags onto every taggable resource it creates', () => {
    const { template } = build({ tags: { team: 'payments' } });
    expectTagged(template, ['AWS::Lambda::Function', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::IAM::Role'], 'team', 'payments');
  });

  const { stack, fn, template } = build();
  const keyId = logicalId(stack, fn.encryptionKey as kms.Key);
  const queueId = logicalId(stack, fn.deadLetterQueue as sqs.Queue);
  const logGroupId = logicalId(stack, fn.logGroup);

  test('the function encrypts its environment with the created key and runs the newest Node.js on ARM64 with tracing', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      KmsKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
  });

  test('the key rotates, is retained and lets CloudWatch Logs of this region use it', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Action: Match.arrayWith(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']),
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          })]),
        },
      },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
  });

  test('JSON logs at INFO go to its own encrypted, retained log group with one-year retention', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: { Ref: logGroupId } },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    // No LogRetention helper function: the only function is ours.
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('every deployment publishes a version that the live alias points at', () => {
    const versions = template.findResources('AWS::Lambda::Version');
    expect(Object.keys(versions)).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      FunctionVersion: { 'Fn::GetAtt': [Object.keys(versions)[0], 'Version'] },
    });
    expect(fn.alias.aliasName).toBe('live');
  });

  test('asynchronous invocations of the alias retry twice for up to six hours, then go to the encrypted queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      Qualifier: { 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: logicalId(stack, fn.alias) }] }] },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  test('the queue is KMS-encrypted with the key, SSL-only, keeps messages 14 days and is retained', () => {
    template.hasResource('AWS::SQS::Queue', {
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, MessageRetentionPeriod: 1209600 },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
      },
    });
  });

  test('the role has no AWS-managed and no inline policy, only its customer-managed one', () => {
    const roles = template.findResources('AWS::IAM::Role');
    for (const role of Object.values(roles)) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
    }
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: logicalId(stack, fn.role) }] });
  });

  test('the role writes logs only to its log group and sends only to its queue with exact KMS actions', () => {
    expect(roleStatements(template)).toEqual([
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      {
        Sid: 'EncryptDeadLetters',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        // SQS's endpoint in the stack's region (a region-agnostic stack here).
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      },
    ]);
  });

  test('X-Ray, whose actions take no resource ARN, has a policy of its own', () => {
    expect(wildcardResourceStatements(template)).toEqual([
      { Sid: 'WriteTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
  });

  test('the function waits for its permissions', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const policyIds = Object.keys(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policyIds).toHaveLength(2);
    expect(Object.values(functions)[0].DependsOn).toEqual(expect.arrayContaining(policyIds));
  });

  test('alarms on errors, throttles and p99 duration of the live alias, p99 against 80% of the timeout', () => {
    expect(fn.alarms).toEqual([fn.errorsAlarm, fn.throttlesAlarm, fn.durationAlarm]);
    const aliasDimension = {
      Name: 'Resource',
      Value: { 'Fn::Join': ['', [{ Ref: logicalId(stack, fn.lambdaFunction) }, ':live']] },
    };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: Match.arrayWith([aliasDimension]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Throttles', Statistic: 'Sum', Threshold: 1, Dimensions: Match.arrayWith([aliasDimension]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 8000, Dimensions: Match.arrayWith([aliasDimension]),
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });

  test('no provisioned concurrency, no reserved concurrency, no CodeDeploy and no VPC unless asked', () => {
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: Match.absent(),
      VpcConfig: Match.absent(),
    });
    expect(fn.provisionedConcurrencyScaling).toBeUndefined();
    expect(fn.deploymentGroup).toBeUndefined();
  });
});

describe('EncryptedFunction secrets', () => {
  test('each secret ARN is injected by name and readable with exact actions; its key only through Secrets Manager', () => {
    const stack = newStack();
    const secretKey = new kms.Key(stack, 'SecretKey', { enableKeyRotation: true });
    const secret = new secretsmanager.Secret(stack, 'Secret', { encryptionKey: secretKey });
    const { template } = build({ secrets: { SECRET_ARN: secret }, environment: { TABLE_NAME: 'items' } }, stack);
    const secretId = stack.getLogicalId(secret.node.defaultChild as any);

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { SECRET_ARN: { Ref: secretId }, TABLE_NAME: 'items' } },
    });
    const statements = roleStatements(template);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: { Ref: secretId },
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(secretKey.node.defaultChild as any), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
    });
    expect(JSON.stringify(statements)).not.toMatch(/GenerateDataKey\*|ReEncrypt\*|secretsmanager:\*/);
    // The secret value is generated by Secrets Manager, never written to the template.
    template.hasResourceProperties('AWS::SecretsManager::Secret', { SecretString: Match.absent() });
  });

  test('a secret imported by name is granted on its ARN with the six-character suffix Secrets Manager appends', () => {
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Imported', 'prod/api');
    const { template } = build({ secrets: { API_SECRET_ARN: secret } }, stack);
    expect(JSON.stringify(roleStatements(template))).toContain(':secret:prod/api-??????');
  });
});

describe('EncryptedFunction with given resources', () => {
  test('a given key encrypts the environment, the logs and the created queue; no key is created', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true });
    const { fn, template } = build({ encryptionKey: key }, stack);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] };
    expect(fn.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { KmsKeyArn: keyArn });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        })]),
      },
    });
  });

  test('a key shared by two functions gets the CloudWatch Logs statement once', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'ServiceKey', { enableKeyRotation: true });
    new EncryptedFunction(stack, 'One', { code, handler: 'index.handler', encryptionKey: key });
    new EncryptedFunction(stack, 'Two', { code, handler: 'index.handler', encryptionKey: key });
    const [keyResource] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    const logsStatements = keyResource.Properties.KeyPolicy.Statement.filter((statement: any) => statement.Principal.Service);
    expect(logsStatements).toHaveLength(1);
  });

  test('a given queue is the dead-letter queue and on-failure destination; no queue is created', () => {
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Failures', { encryption: sqs.QueueEncryption.SQS_MANAGED });
    const { fn, template } = build({ onFailureQueue: queue }, stack);
    const queueArn = { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as any), 'Arn'] };
    expect(fn.deadLetterQueue).toBe(queue);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: queueArn } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { DestinationConfig: { OnFailure: { Destination: queueArn } } });
    // An SQS-managed queue needs no KMS permission.
    expect(roleStatements(template)).not.toContainEqual(expect.objectContaining({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'] }));
  });

  test('runtime, architecture, memory, timeout, log settings and async settings are honoured', () => {
    const { template } = build({
      code: bundledHandlerCode('items'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize: 1024,
      timeout: Duration.seconds(20),
      logRetention: logs.RetentionDays.ONE_MONTH,
      applicationLogLevel: lambda.ApplicationLogLevel.DEBUG,
      systemLogLevel: lambda.SystemLogLevel.WARN,
      retryAttempts: 0,
      maxEventAge: Duration.minutes(5),
      reservedConcurrentExecutions: 50,
      alarmThresholds: { errors: 5, throttles: 3, durationFractionOfTimeout: 0.5, evaluationPeriods: 2 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['x86_64'],
      MemorySize: 1024,
      Timeout: 20,
      ReservedConcurrentExecutions: 50,
      LoggingConfig: { ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'WARN' },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Threshold: 5, EvaluationPeriods: 2 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Threshold: 3, EvaluationPeriods: 2 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 10000, EvaluationPeriods: 2 });
  });

  test('alarm actions fire on ALARM and OK of every alarm', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Alarms');
    const { template } = build({ alarmActions: [new cloudwatch_actions.SnsAction(topic)] }, stack);
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as any) };
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
    }
  });
});

describe('EncryptedFunction scaling and rollout', () => {
  test('provisioned concurrency on the alias scales by target tracking on its utilisation', () => {
    const { stack, fn, template } = build({
      reservedConcurrentExecutions: 30,
      provisionedConcurrency: { minCapacity: 2, maxCapacity: 20, utilizationTarget: 0.6 },
    });
    expect(fn.provisionedConcurrencyScaling).toBeDefined();
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 20,
      ServiceNamespace: 'lambda',
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      ResourceId: { 'Fn::Join': ['', ['function:', Match.anyValue(), ':live']] },
      RoleARN: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency$')])] },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 0.6,
        PredefinedMetricSpecification: { PredefinedMetricType: 'LambdaProvisionedConcurrencyUtilization' },
      },
    });
    expect(logicalId(stack, fn.alias)).toBeDefined();
  });

  test('utilisation target defaults to 0.7', () => {
    const { template } = build({ provisionedConcurrency: { minCapacity: 1, maxCapacity: 5 } });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 0.7 },
    });
  });

  test('a deployment config rolls out the alias with CodeDeploy, rolling back on the alarms, with a scoped custom role', () => {
    const { stack, fn, template } = build({ deployment: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES });
    expect(fn.deploymentGroup).toBeDefined();
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
      AlarmConfiguration: {
        Enabled: true,
        Alarms: fn.alarms.map((alarm) => ({ Name: { Ref: logicalId(stack, alarm) } })),
      },
      AutoRollbackConfiguration: {
        Enabled: true,
        Events: Match.arrayWith(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM']),
      },
    });
    template.hasResource('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: { DeploymentGroupName: { Ref: logicalId(stack, fn.deploymentGroup!) } } },
    });
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    const functionArn = { 'Fn::GetAtt': [logicalId(stack, fn.lambdaFunction), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('CodeDeploy role'),
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
            Resource: [functionArn, { 'Fn::Join': ['', [functionArn, ':live']] }],
          },
          {
            Effect: 'Allow',
            Action: 'cloudwatch:DescribeAlarms',
            Resource: fn.alarms.map((alarm) => ({ 'Fn::GetAtt': [logicalId(stack, alarm), 'Arn'] })),
          },
        ],
      },
    });
  });

  test('in a VPC the function gets network interface permissions as explicit statements, not the AWS-managed policy', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const { template } = build({ vpc }, stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
    });
    expect(wildcardResourceStatements(template)).toContainEqual({
      Sid: 'ManageNetworkInterfaces',
      Effect: 'Allow',
      Action: [
        'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
      ],
      Resource: '*',
    });
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('EncryptedFunction grants', () => {
  test('grantInvoke allows invoking the live alias only', () => {
    const stack = newStack();
    const fn = newFunction(stack);
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    fn.grantInvoke(caller);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(caller.node.defaultChild as any) }],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { Ref: logicalId(stack, fn.alias) } }] },
    });
  });

  test('addToRolePolicy and grants to the construct land in the customer-managed policy, never in an inline one', () => {
    const stack = newStack();
    const fn = newFunction(stack);
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn] }));
    table.grantWriteData(fn);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const statements = roleStatements(template);
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as any), 'Arn'] } });
    expect(statements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:PutItem']) }));
  });
});

describe('EncryptedFunction validation', () => {
  const cases: Array<[string, Partial<EncryptedFunctionProps>, RegExp]> = [
    ['timeout above 15 minutes', { timeout: Duration.minutes(16) },
      /EncryptedFunction: timeout \(960 s\) must be between 1 and 900 seconds/],
    ['memory below 128 MiB', { memorySize: 64 }, /EncryptedFunction: memorySize \(64\) must be between 128 and 10240 MiB/],
    ['more than two retries', { retryAttempts: 3 }, /EncryptedFunction: retryAttempts \(3\) must be 0, 1 or 2/],
    // Lambda's MaximumRetryAttempts: an integer from 0 to 2 (Lambda API reference, PutFunctionEventInvokeConfig).
    ['negative retries', { retryAttempts: -1 }, /EncryptedFunction: retryAttempts \(-1\) must be 0, 1 or 2/],
    ['a fractional retry count', { retryAttempts: 1.5 }, /EncryptedFunction: retryAttempts \(1.5\) must be 0, 1 or 2/],
    ['a fractional event age under 60 seconds', { maxEventAge: Duration.millis(59_500) },
      /EncryptedFunction: maxEventAge \(59.5 s\) must be between 60 seconds and 6 hours/],
    ['an event age above 6 hours', { maxEventAge: Duration.hours(7) },
      /EncryptedFunction: maxEventAge \(25200 s\) must be between 60 seconds and 6 hours/],
    // Lambda's MaximumEventAgeInSeconds: minimum 60 (Lambda API reference, PutFunctionEventInvokeConfig).
    ['an event age below 60 seconds', { maxEventAge: Duration.seconds(59) },
      /EncryptedFunction: maxEventAge \(59 s\) must be between 60 seconds and 6 hours/],
    ['min above max provisioned concurrency', { provisionedConcurrency: { minCapacity: 5, maxCapacity: 2 } },
      /EncryptedFunction: provisionedConcurrency.maxCapacity \(2\) must be >= minCapacity \(5\); raise maxCapacity or lower minCapacity/],
    ['zero provisioned concurrency', { provisionedConcurrency: { minCapacity: 0, maxCapacity: 2 } },
      /EncryptedFunction: provisionedConcurrency.minCapacity \(0\) must be an integer >= 1/],
    ['utilisation below 0.1', { provisionedConcurrency: { minCapacity: 1, maxCapacity: 2, utilizationTarget: 0.05 } },
      /EncryptedFunction: provisionedConcurrency.utilizationTarget \(0.05\) must be between 0.1 and 0.9/],
    ['utilisation above 0.9', { provisionedConcurrency: { minCapacity: 1, maxCapacity: 2, utilizationTarget: 0.95 } },
      /EncryptedFunction: provisionedConcurrency.utilizationTarget \(0.95\) must be between 0.1 and 0.9/],
    ['provisioned above reserved concurrency', { reservedConcurrentExecutions: 5, provisionedConcurrency: { minCapacity: 1, maxCapacity: 10 } },
      /EncryptedFunction: provisionedConcurrency.maxCapacity \(10\) must be <= reservedConcurrentExecutions \(5\); .*Raise reservedConcurrentExecutions or lower maxCapacity/],
    ['a duration fraction above 1', { alarmThresholds: { durationFractionOfTimeout: 1.5 } },
      /EncryptedFunction: alarmThresholds.durationFractionOfTimeout \(1.5\) must be > 0 and <= 1/],
    ['an errors threshold of 0', { alarmThresholds: { errors: 0 } }, /EncryptedFunction: alarmThresholds.errors \(0\) must be >= 1/],
    ['zero evaluation periods', { alarmThresholds: { evaluationPeriods: 0 } },
      /EncryptedFunction: alarmThresholds.evaluationPeriods \(0\) must be an integer >= 1/],
    ['fractional evaluation periods', { alarmThresholds: { evaluationPeriods: 1.5 } },
      /EncryptedFunction: alarmThresholds.evaluationPeriods \(1.5\) must be an integer >= 1/],
    ['a throttles threshold of 0', { alarmThresholds: { throttles: 0 } }, /EncryptedFunction: alarmThresholds.throttles \(0\) must be >= 1/],
    ['a duration fraction of 0', { alarmThresholds: { durationFractionOfTimeout: 0 } },
      /EncryptedFunction: alarmThresholds.durationFractionOfTimeout \(0\) must be > 0 and <= 1/],
    // Lambda quotas (Lambda developer guide, "Lambda quotas"): memory 128 MB to 10,240 MB, timeout up to 900 seconds.
    ['memory above 10240 MiB', { memorySize: 10241 }, /EncryptedFunction: memorySize \(10241\) must be between 128 and 10240 MiB/],
    ['a timeout under 1 second', { timeout: Duration.millis(500) }, /EncryptedFunction: timeout \(0.5 s\) must be between 1 and 900 seconds/],
    // ReservedConcurrentExecutions: minimum 0 (CloudFormation AWS::Lambda::Function); a count of executions is whole.
    ['negative reserved concurrency', { reservedConcurrentExecutions: -1 },
      /EncryptedFunction: reservedConcurrentExecutions \(-1\) must be a whole number >= 0/],
    ['fractional reserved concurrency', { reservedConcurrentExecutions: 2.5 },
      /EncryptedFunction: reservedConcurrentExecutions \(2.5\) must be a whole number >= 0/],
    // ProvisionedConcurrentExecutions: minimum 1 (CloudFormation AWS::Lambda::Alias ProvisionedConcurrencyConfiguration).
    ['fractional provisioned concurrency', { provisionedConcurrency: { minCapacity: 1.5, maxCapacity: 2 } },
      /EncryptedFunction: provisionedConcurrency.minCapacity \(1.5\) must be an integer >= 1/],
  ];

  test.each(cases)('rejects %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('rejects a secret whose variable collides with environment', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Secret');
    expect(() => build({ environment: { SECRET_ARN: 'x' }, secrets: { SECRET_ARN: secret } }, stack))
      .toThrow(/EncryptedFunction: secrets.SECRET_ARN collides with environment.SECRET_ARN; rename one of them/);
  });

  test('rejects a secret key that is no environment variable name', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Secret');
    expect(() => build({ secrets: { 'secret-arn': secret } }, stack))
      .toThrow(/EncryptedFunction: secrets key "secret-arn" is not a valid environment variable name/);
  });

  test('accepts the longest event age Lambda allows, 6 hours (21,600 s)', () => {
    expect(() => build({ maxEventAge: Duration.hours(6) })).not.toThrow();
  });

  test('accepts the lower boundaries', () => {
    expect(() => build({
      timeout: Duration.seconds(1),
      memorySize: 128,
      retryAttempts: 0,
      reservedConcurrentExecutions: 1,
      provisionedConcurrency: { minCapacity: 1, maxCapacity: 1, utilizationTarget: 0.1 },
      alarmThresholds: { errors: 1, throttles: 1, evaluationPeriods: 1, durationFractionOfTimeout: 0.01 },
    })).not.toThrow();
    expect(() => build({ memorySize: 10240, reservedConcurrentExecutions: 0 })).not.toThrow();
  });

  test('accepts the boundaries', () => {
    expect(() => build({
      timeout: Duration.minutes(15),
      retryAttempts: 2,
      maxEventAge: Duration.minutes(1),
      reservedConcurrentExecutions: 10,
      provisionedConcurrency: { minCapacity: 10, maxCapacity: 10, utilizationTarget: 0.9 },
      alarmThresholds: { durationFractionOfTimeout: 1 },
    })).not.toThrow();
  });
});

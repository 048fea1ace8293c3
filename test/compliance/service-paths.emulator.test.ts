import { App, Duration, Stack } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SCANNED_ENV, buildScannedApp } from './scanned-stacks';
import { DeploymentStage, EncryptedFunction, SecureTable, ServerlessService } from '../../src';
import { bundledHandlerCode } from '../../src/core/bundled-code';
import {
  decide, FOREIGN_ACCOUNT, identityPoliciesOf, PolicyRequest, ResolvedTemplate, resourcePolicyOf, roleOfFunction,
} from '../harness/policy-evaluation';

/**
 * Every service-to-service path the stacks rely on, evaluated over the synthesized identity, resource and key policies
 * by @cloud-copilot/iam-simulate: the calls the service makes must be allowed, the same calls for a foreign account
 * denied. The calls and their context keys come from the AWS documentation cited at each path.
 */

const { account, region } = SCANNED_ENV;
const foreignRole = `arn:aws:iam::${FOREIGN_ACCOUNT}:role/Intruder`;

/** The example app, a default stack of each public construct, and full stacks (canary rollout, backups, PROD). */
function stacksUnderTest(): Stack[] {
  const app: App = buildScannedApp();
  const full = (name: string) => new Stack(app, name, { env: SCANNED_ENV });
  new EncryptedFunction(full('full-encrypted-function'), 'Function', {
    code: bundledHandlerCode('items'),
    handler: 'index.handler',
    provisionedConcurrency: { minCapacity: 1, maxCapacity: 2 },
    deployment: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  });
  new SecureTable(full('full-secure-table'), 'Table', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    backup: { retention: Duration.days(7) },
  });
  new ServerlessService(full('full-serverless-service'), 'Service', {
    serviceName: 'items', stage: DeploymentStage.PROD, alarmEmail: 'oncall@example.com',
  });
  return app.node.children.filter(Stack.isStack);
}

const templates = stacksUnderTest().map((stack) => [stack.stackName, new ResolvedTemplate(synthesized(stack), SCANNED_ENV)] as const);

function synthesized(stack: Stack): unknown {
  return (stack.node.root as App).synth().getStackByName(stack.stackName).template;
}

/** The decisions for the service's own request and the foreign one. */
async function ownAndForeign(own: PolicyRequest, foreign: PolicyRequest): Promise<[string, string]> {
  return [await decide(own), await decide(foreign)];
}

/** The logical id a resolved reference (name or ARN) belongs to, among resources of the type. */
function idOf(t: ResolvedTemplate, type: string, reference: string): string | undefined {
  return t.idsOfType(type).find((id) => t.ref(id) === reference || t.getAtt(id, 'Arn') === reference);
}

/** Paths found, by kind, over all stacks: each kind must occur somewhere, or its tests would silently not run. */
const casesFound = new Map<string, number>();

/** `test.each` for a path's cases in one stack; a stack without the path registers nothing. */
function eachCase<T extends readonly unknown[]>(cases: readonly T[]) {
  return (title: string, fn: (...args: T) => Promise<void>) => {
    const kind = title.split(' ')[0];
    casesFound.set(kind, (casesFound.get(kind) ?? 0) + cases.length);
    if (cases.length > 0) test.each(cases as T[])(title, fn as any);
  };
}

describe.each(templates)('%s', (_name, t) => {
  // CloudWatch alarm -> SNS topic: the topic policy must allow cloudwatch.amazonaws.com sns:Publish, with the
  // confused-deputy keys CloudWatch sends (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html);
  // an SSE topic's key must let the publishing service use it
  // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
  const alarmsToTopics = t.idsOfType('AWS::CloudWatch::Alarm').flatMap((alarm) => ((t.properties(alarm).AlarmActions ?? []) as string[])
    .map((action) => [alarm, idOf(t, 'AWS::SNS::Topic', action)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined));
  eachCase(alarmsToTopics)('alarm %s -> topic %s: publish and the topic key allowed for this account only', async (alarm, topic) => {
    const asAlarm = (acct: string) => ({ 'aws:SourceAccount': acct, 'aws:SourceArn': `arn:aws:cloudwatch:${region}:${acct}:alarm:${alarm}` });
    const publish = (acct: string): PolicyRequest => ({
      principal: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: t.getAtt(topic, 'TopicArn'),
      resourceAccount: account,
      resourcePolicy: resourcePolicyOf(t, topic),
      context: asAlarm(acct),
    });
    expect(await ownAndForeign(publish(account), publish(FOREIGN_ACCOUNT))).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
    const key = idOf(t, 'AWS::KMS::Key', t.properties(topic).KmsMasterKeyId);
    if (key === undefined) return;
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      const useKey = (acct: string): PolicyRequest => ({
        principal: 'cloudwatch.amazonaws.com',
        action,
        resource: t.getAtt(key, 'Arn'),
        resourceAccount: account,
        resourcePolicy: resourcePolicyOf(t, key),
        context: asAlarm(acct),
      });
      expect(await ownAndForeign(useKey(account), useKey(FOREIGN_ACCOUNT))).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
    }
  });

  // CloudWatch Logs -> each log group's key: the logs service principal of the region, with the log group's ARN as
  // encryption context (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
  const encryptedLogGroups = t.idsOfType('AWS::Logs::LogGroup')
    .map((group) => [group, idOf(t, 'AWS::KMS::Key', t.properties(group).KmsKeyId)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  eachCase(encryptedLogGroups)('CloudWatch Logs -> key of log group %s (%s): allowed for this account\'s log group only', async (group, key) => {
    for (const action of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']) {
      const useKey = (acct: string): PolicyRequest => ({
        principal: `logs.${region}.amazonaws.com`,
        action,
        resource: t.getAtt(key, 'Arn'),
        resourceAccount: account,
        resourcePolicy: resourcePolicyOf(t, key),
        context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${acct}:log-group:${t.ref(group)}` },
      });
      expect(await ownAndForeign(useKey(account), useKey(FOREIGN_ACCOUNT))).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
    }
  });

  // Lambda -> its dead-letter queue: Lambda sends with the function's execution role, so the role needs
  // sqs:SendMessage and, for an SSE-KMS queue, the key's data keys through SQS
  // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq).
  const functionsToQueues = t.idsOfType('AWS::Lambda::Function')
    .map((fn) => [fn, idOf(t, 'AWS::SQS::Queue', t.properties(fn).DeadLetterConfig?.TargetArn ?? '')] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  eachCase(functionsToQueues)('function %s -> dead-letter queue %s: send and the queue key allowed for its role only', async (fn, queue) => {
    const role = roleOfFunction(t, fn);
    const asRole = (principal: string, request: Omit<PolicyRequest, 'principal' | 'identityPolicies'>): PolicyRequest => ({
      principal, identityPolicies: principal === foreignRole ? [] : identityPoliciesOf(t, role), ...request,
    });
    const send = { action: 'sqs:SendMessage', resource: t.getAtt(queue, 'Arn'), resourceAccount: account, resourcePolicy: resourcePolicyOf(t, queue) };
    expect(await ownAndForeign(asRole(t.getAtt(role, 'Arn'), send), asRole(foreignRole, send))).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
    const key = idOf(t, 'AWS::KMS::Key', t.properties(queue).KmsMasterKeyId);
    if (key === undefined) return;
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      const useKey = {
        action,
        resource: t.getAtt(key, 'Arn'),
        resourceAccount: account,
        resourcePolicy: resourcePolicyOf(t, key),
        context: { 'kms:ViaService': `sqs.${region}.amazonaws.com` },
      };
      expect(await ownAndForeign(asRole(t.getAtt(role, 'Arn'), useKey), asRole(foreignRole, useKey))).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
    }
  });

  // Secrets Manager -> rotation function: secretsmanager.amazonaws.com invokes it for the secret
  // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html).
  const rotations = t.idsOfType('AWS::SecretsManager::RotationSchedule').map((id) => {
    const props = t.properties(id);
    return [props.SecretId as string, idOf(t, 'AWS::Lambda::Function', props.RotationLambdaARN)!] as const;
  });
  eachCase(rotations)('Secrets Manager (secret %s) -> rotation function %s: invoke allowed for this secret only', async (secretArn, fn) => {
    const invoke = (acct: string, secret: string): PolicyRequest => ({
      principal: 'secretsmanager.amazonaws.com',
      action: 'lambda:InvokeFunction',
      resource: t.getAtt(fn, 'Arn'),
      resourceAccount: account,
      resourcePolicy: resourcePolicyOf(t, fn),
      context: { 'aws:SourceAccount': acct, 'aws:SourceArn': secret },
    });
    const foreignSecret = secretArn.replace(`:${account}:`, `:${FOREIGN_ACCOUNT}:`);
    expect(await ownAndForeign(invoke(account, secretArn), invoke(FOREIGN_ACCOUNT, foreignSecret))).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
  });

  // API Gateway -> the function alias: apigateway.amazonaws.com invokes the alias ARN with the method's execute-api ARN
  // as source (https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html).
  const methodsToAliases = t.idsOfType('AWS::ApiGateway::Method').flatMap((method) => {
    const props = t.properties(method);
    const uri: string = props.Integration?.Uri ?? '';
    const alias = t.idsOfType('AWS::Lambda::Alias').find((id) => uri.includes(`/functions/${t.getAtt(id, 'Arn')}/invocations`));
    return alias ? [[method, alias] as const] : [];
  });
  eachCase(methodsToAliases)('API Gateway method %s -> alias %s: invoke allowed from this API only', async (method, alias) => {
    const props = t.properties(method);
    const stage = t.idsOfType('AWS::ApiGateway::Stage').map((id) => t.properties(id)).find((s) => s.RestApiId === props.RestApiId)!;
    const executeApiArn = (acct: string) => `arn:aws:execute-api:${region}:${acct}:${props.RestApiId}/${stage.StageName}/${props.HttpMethod}${resourcePath(t, props.ResourceId)}`;
    const invoke = (acct: string): PolicyRequest => ({
      principal: 'apigateway.amazonaws.com',
      action: 'lambda:InvokeFunction',
      resource: t.getAtt(alias, 'Arn'),
      resourceAccount: account,
      resourcePolicy: resourcePolicyOf(t, alias),
      context: { 'aws:SourceAccount': acct, 'aws:SourceArn': executeApiArn(acct) },
    });
    expect(await ownAndForeign(invoke(account), invoke(FOREIGN_ACCOUNT))).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
  });

  // CodeDeploy -> the alias it shifts and the alarms it watches (the actions of AWSCodeDeployRoleForLambda's Lambda
  // and CloudWatch statements: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForLambda.html).
  const deploymentGroups = t.idsOfType('AWS::CodeDeploy::DeploymentGroup').map((id) => [id] as const);
  eachCase(deploymentGroups)('CodeDeploy group %s -> alias and alarms: allowed for its role only', async (group) => {
    const props = t.properties(group);
    const role = idOf(t, 'AWS::IAM::Role', props.ServiceRoleArn)!;
    const alias = t.idsOfType('AWS::Lambda::Alias')[0];
    const alarmNames: string[] = props.AlarmConfiguration.Alarms.map((a: { Name: string }) => a.Name);
    const calls = [
      // GetProvisionedConcurrencyConfig is left out: on a qualified ARN iam-simulate cannot tell alias from version.
      ...['lambda:GetAlias', 'lambda:UpdateAlias'].map((action) => ({ action, resource: t.getAtt(alias, 'Arn') })),
      ...alarmNames.map((name) => ({ action: 'cloudwatch:DescribeAlarms', resource: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` })),
    ];
    for (const call of calls) {
      const own = { principal: t.getAtt(role, 'Arn'), identityPolicies: identityPoliciesOf(t, role), resourceAccount: account, ...call };
      expect(await ownAndForeign(own, { ...own, principal: foreignRole, identityPolicies: [] })).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
    }
  });

  // AWS Backup -> the table, its key and the vault (the DynamoDB statements of AWSBackupServiceRolePolicyForBackup:
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html).
  const selections = t.idsOfType('AWS::Backup::BackupSelection').map((id) => [id] as const);
  eachCase(selections)('AWS Backup selection %s -> table, key and vault: allowed for its role only', async (selection) => {
    const props = t.properties(selection).BackupSelection;
    const role = idOf(t, 'AWS::IAM::Role', props.IamRoleArn)!;
    const table = idOf(t, 'AWS::DynamoDB::GlobalTable', props.Resources[0])!;
    const key = idOf(t, 'AWS::KMS::Key', t.properties(table).SSESpecification?.KMSMasterKeyId ?? t.properties(table).Replicas[0].SSESpecification.KMSMasterKeyId)!;
    const vault = t.idsOfType('AWS::Backup::BackupVault')[0];
    const viaDynamoDb = { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` };
    const calls: Array<Pick<PolicyRequest, 'action' | 'resource' | 'resourcePolicy' | 'context'>> = [
      { action: 'dynamodb:StartAwsBackupJob', resource: t.getAtt(table, 'Arn') },
      { action: 'dynamodb:CreateBackup', resource: t.getAtt(table, 'Arn') },
      { action: 'kms:DescribeKey', resource: t.getAtt(key, 'Arn'), resourcePolicy: resourcePolicyOf(t, key) },
      { action: 'kms:GenerateDataKey', resource: t.getAtt(key, 'Arn'), resourcePolicy: resourcePolicyOf(t, key), context: viaDynamoDb },
      { action: 'kms:Decrypt', resource: t.getAtt(key, 'Arn'), resourcePolicy: resourcePolicyOf(t, key), context: viaDynamoDb },
      { action: 'backup:CopyIntoBackupVault', resource: t.getAtt(vault, 'BackupVaultArn') },
    ];
    for (const call of calls) {
      const own = { principal: t.getAtt(role, 'Arn'), identityPolicies: identityPoliciesOf(t, role), resourceAccount: account, ...call };
      expect(await ownAndForeign(own, { ...own, principal: foreignRole, identityPolicies: [] })).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
    }
  });

  // The stack-policy function: EventBridge invokes it from the stack's rule, and its role sets this stack's policy.
  const stackPolicyRules = t.idsOfType('AWS::Events::Rule')
    .filter((id) => JSON.stringify(t.properties(id).EventPattern).includes('CloudFormation Stack Status Change'))
    .map((id) => [id] as const);
  eachCase(stackPolicyRules)('stack policy rule %s -> function -> SetStackPolicy on this stack only', async (rule) => {
    const fn = idOf(t, 'AWS::Lambda::Function', t.properties(rule).Targets[0].Arn)!;
    const invoke = (acct: string): PolicyRequest => ({
      principal: 'events.amazonaws.com',
      action: 'lambda:InvokeFunction',
      resource: t.getAtt(fn, 'Arn'),
      resourceAccount: account,
      resourcePolicy: resourcePolicyOf(t, fn),
      context: { 'aws:SourceAccount': acct, 'aws:SourceArn': `arn:aws:events:${region}:${acct}:rule/${rule}` },
    });
    expect(await ownAndForeign(invoke(account), invoke(FOREIGN_ACCOUNT))).toEqual(['Allowed', expect.stringMatching(/Denied$/)]);
    const role = roleOfFunction(t, fn);
    const thisStack = t.resolve({ Ref: 'AWS::StackId' });
    for (const action of ['cloudformation:SetStackPolicy', 'cloudformation:DescribeStacks']) {
      const own = { principal: t.getAtt(role, 'Arn'), identityPolicies: identityPoliciesOf(t, role), action, resource: thisStack, resourceAccount: account };
      const otherStack = { ...own, resource: thisStack.replace('stack/TestStack/', 'stack/OtherStack/') };
      expect([await decide(own), await decide(otherStack)]).toEqual(['Allowed', 'ImplicitlyDenied']);
    }
  });
});

test('every path is exercised in at least one stack', () => {
  expect(Object.fromEntries(casesFound)).toEqual({
    alarm: expect.any(Number),
    CloudWatch: expect.any(Number),
    function: expect.any(Number),
    Secrets: expect.any(Number),
    API: expect.any(Number),
    CodeDeploy: expect.any(Number),
    AWS: expect.any(Number),
    stack: expect.any(Number),
  });
  for (const count of casesFound.values()) expect(count).toBeGreaterThan(0);
});

/** The path of an API Gateway resource, from its PathPart chain up to the root. */
function resourcePath(t: ResolvedTemplate, resourceId: string): string {
  const id = t.idsOfType('AWS::ApiGateway::Resource').find((r) => t.ref(r) === resourceId);
  if (id === undefined) return '/';
  const props = t.properties(id);
  const parent = resourcePath(t, props.ParentId);
  return `${parent === '/' ? '' : parent}/${props.PathPart.replace(/\{[^}]+\}/g, '*')}`;
}

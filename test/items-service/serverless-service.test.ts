import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnResource, Duration, Errors, Lazy, Size, Stack, TagManager } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DeploymentStage, ServerlessService, ServerlessServiceProps } from '../../src';
import { ITEMS_ROUTES, itemsResourcePath, SERVICE_SET_HANDLER_VARIABLES, TUNABLE_HANDLER_VARIABLES } from '../../src/contract/items';
import { breaches, evaluateMetricMath } from '../harness/metric-math';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function synth(props: Partial<ServerlessServiceProps> = {}, context: Record<string, string> = {}) {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true, ...context } });
  const stack = new Stack(app, 'Service', { env: ENV });
  const service = new ServerlessService(stack, 'Orders', { serviceName: 'orders', ...props });
  return { app, stack, service, template: Template.fromStack(stack) };
}

/** The one alarm on API Gateway's 5XXError metric. */
function api5xxAlarm(template: Template): any {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .filter((alarm) => JSON.stringify(alarm.Properties).includes('"5XXError"'));
  expect(alarms).toHaveLength(1);
  return alarms[0].Properties;
}

/**
 * What an API Gateway metric reports for a period with `requests` requests of which `errors` answered 5XX: each request
 * emits a data point of 1 to Count and a 0-or-1 data point to 5XXError (API Gateway metrics documentation).
 */
function apiGatewayStatistic(metricName: string, stat: string, errors: number, requests: number): number {
  const sum = metricName === '5XXError' ? errors : metricName === 'Count' ? requests : NaN;
  switch (stat) {
    case 'Sum': return sum;
    case 'SampleCount': return requests;
    case 'Average': return requests === 0 ? NaN : sum / requests;
    default: throw new Error(`no value for ${stat} of ${metricName}`);
  }
}

/** Whether the synthesized alarm (a single metric or metric math) is in ALARM for the given statistics. */
function alarmBreaches(alarm: any, statistic: (metricName: string, stat: string) => number): boolean {
  let value: number;
  if (alarm.Metrics) {
    const values: Record<string, number> = {};
    for (const query of alarm.Metrics.filter((m: any) => m.MetricStat)) {
      values[query.Id] = statistic(query.MetricStat.Metric.MetricName, query.MetricStat.Stat);
    }
    const [returned] = alarm.Metrics.filter((m: any) => m.Expression && m.ReturnData !== false);
    value = evaluateMetricMath(returned.Expression, values);
  } else {
    value = statistic(alarm.MetricName, alarm.Statistic);
  }
  // Without data (no request) the alarm follows TreatMissingData; NOT_BREACHING keeps it OK.
  if (Number.isNaN(value)) return alarm.TreatMissingData === 'breaching';
  return breaches(value, alarm.ComparisonOperator, alarm.Threshold);
}

const stateful = ['AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup'];

describe('ServerlessService per stage', () => {
  const prod = synth({ stage: DeploymentStage.PROD });
  const dev = synth({ stage: DeploymentStage.DEV });

  test('prod: provisioned table auto-scaling between the stage minimum and maximum', () => {
    prod.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        ReadProvisionedThroughputSettings: {
          ReadCapacityAutoScalingSettings: Match.objectLike({ MinCapacity: 10, MaxCapacity: 500 }),
        },
      })],
      WriteProvisionedThroughputSettings: {
        WriteCapacityAutoScalingSettings: Match.objectLike({ MinCapacity: 10, MaxCapacity: 500 }),
      },
    });
  });

  test('dev: on-demand or small table, destroyable, no stack protection', () => {
    const table = dev.template.findResources('AWS::DynamoDB::GlobalTable');
    const [resource] = Object.values(table);
    expect(resource.DeletionPolicy).toBe('Delete');
    // DEV is documented as on-demand.
    expect(resource.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    dev.template.resourceCountIs('Custom::StackPolicy', 0);
    expect(dev.stack.terminationProtection).toBe(false);
  });

  test('dev empties both buckets on deletion; staging and prod keep them and their objects', () => {
    // "You can only delete empty buckets" (AWS::S3::Bucket, DeleteBucket): a DESTROY bucket must be emptied first.
    const buckets = Object.entries(dev.template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(2);
    for (const [id, bucket] of buckets) {
      expect(bucket.DeletionPolicy).toBe('Delete');
      dev.template.hasResourceProperties('Custom::EmptyBucketOnDelete', { BucketName: { Ref: id } });
    }
    prod.template.resourceCountIs('Custom::EmptyBucketOnDelete', 0);
  });

  test('the function runs the bundled handler with the stage memory, timeout and log level', () => {
    prod.template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      MemorySize: DeploymentStage.PROD.handlerFunction.memorySize,
      Timeout: DeploymentStage.PROD.handlerFunction.timeout?.toSeconds(),
      Architectures: ['arm64'],
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersKey'), 'Arn'] },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' }),
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: { Ref: Match.stringLikeRegexp('^OrdersTable') },
          SECRET_ARN: { Ref: Match.stringLikeRegexp('^OrdersSecret') },
          SECRET_CACHE_TTL_SECONDS: '300',
          POWERTOOLS_SERVICE_NAME: 'orders',
        }),
      },
    });
  });

  test('prod: provisioned concurrency auto-scaling on the live alias and a canary rollout', () => {
    prod.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
      ResourceId: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':live'])]) }),
      MinCapacity: 2,
      MaxCapacity: 20,
    });
    prod.template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
    dev.template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    dev.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });

  test('every items route integrates with the live alias, never $LATEST', () => {
    const methods = prod.template.findResources('AWS::ApiGateway::Method', {
      Properties: { Integration: { Type: 'AWS_PROXY' } },
    });
    expect(Object.keys(methods)).toHaveLength(5);
    for (const method of Object.values(methods)) {
      const uri = JSON.stringify(method.Properties.Integration.Uri);
      expect(uri).toMatch(/OrdersHandlerLiveAlias/);
      expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
    }
  });

  test('create and update bodies are validated by models from the shared schema', () => {
    const models = Object.values(prod.template.findResources('AWS::ApiGateway::Model'));
    const schemas = models.map((m) => m.Properties.Schema);
    const create = schemas.find((s) => s.required?.includes('data') && s.properties?.id);
    const update = schemas.find((s) => s.required?.includes('version'));
    expect(create).toMatchObject({ type: 'object', additionalProperties: false, properties: { id: { pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$' } } });
    expect(update).toMatchObject({ type: 'object', required: expect.arrayContaining(['data', 'version']) });
  });

  test('the role reads and writes items with exact actions on this table only', () => {
    const policies = prod.template.findResources('AWS::IAM::ManagedPolicy');
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const dynamo = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    // The DynamoDB calls of the items routes (docs/items-api.md): GetItem, PutItem, UpdateItem, DeleteItem, and Scan
    // for the list; nothing else, and only on the items table itself (no index, no stream).
    expect(dynamo.flatMap((s) => [s.Action].flat()).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
    for (const statement of dynamo) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersTable[0-9A-F]{8}$/), 'Arn'] });
    }
    prod.template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the secret is generated at deployment and rotated on the stage schedule', () => {
    prod.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { GenerateStringKey: 'tokenSigningKey', SecretStringTemplate: '{}', PasswordLength: 64 },
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersKey'), 'Arn'] },
    });
    const template = JSON.stringify(prod.template.toJSON());
    expect(template).not.toMatch(/"SecretString"\s*:/);
    prod.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  test('the rotation function and schedule are exposed: the schedule rotates the secret with that function', () => {
    const { stack, service } = prod;
    const [scheduleId] = Object.keys(prod.template.findResources('AWS::SecretsManager::RotationSchedule'));
    expect(stack.getLogicalId(service.secretRotationSchedule)).toBe(scheduleId);
    const schedule = prod.template.toJSON().Resources[scheduleId].Properties;
    // AWS::SecretsManager::RotationSchedule: SecretId takes the secret's ARN (its Ref), RotationLambdaARN the function's.
    expect(schedule.SecretId).toEqual({ Ref: stack.getLogicalId(service.secret.node.defaultChild as CfnResource) });
    expect(schedule.RotationLambdaARN).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(service.secretRotationFunction.node.defaultChild as CfnResource), 'Arn'] });
  });

  test('one service key with rotation whose policy lets CloudWatch Logs and alarms use it', () => {
    const keys = prod.template.findResources('AWS::KMS::Key', {
      Properties: { Description: Match.stringLikeRegexp('^Encrypts the data') },
    });
    const [key] = Object.values(keys);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const principals = JSON.stringify(key.Properties.KeyPolicy.Statement.map((s: any) => s.Principal));
    expect(principals).toMatch(/logs\.eu-west-1\.amazonaws\.com/);
    expect(principals).toMatch(/cloudwatch\.amazonaws\.com/);
    prod.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersKey'), 'Arn'] },
    });
  });

  test('every alarm notifies the alarm topic when it fires and when it returns to OK', () => {
    const alarms = Object.values(prod.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const alarm of alarms) {
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/OrdersAlarmTopic/);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    }
  });

  // PROD documents its 5XX threshold as 1% of requests: 2 errors in 100 requests (2%) must breach, 1 in 1,000 (0.1%)
  // must not, whatever expression and threshold the alarm is written with.
  test.each([
    [2, 100, true],
    [1, 100, true],
    [1, 1000, false],
    [0, 0, false],
  ])('prod: the API 5XX alarm with %d errors in %d requests breaches: %s', (errors, requests, expected) => {
    const alarm = api5xxAlarm(prod.template);
    expect(alarmBreaches(alarm, (metric, stat) => apiGatewayStatistic(metric, stat, errors, requests))).toBe(expected);
  });

  // DeploymentStage.custom merges each group field by field into its base (default DEV): an alarms group that leaves
  // api5xxRate out keeps the base's rate, DEV's 5 % or PROD's 1 % of requests.
  test.each<[string, DeploymentStage, number, number, boolean]>([
    ['DEV', DeploymentStage.DEV, 5, 100, true],
    ['DEV', DeploymentStage.DEV, 4, 100, false],
    ['PROD', DeploymentStage.PROD, 1, 100, true],
    ['PROD', DeploymentStage.PROD, 4, 1000, false],
  ])('custom stage based on %s without alarms.api5xxRate: the API 5XX alarm with %d errors in %d requests breaches: %s', (_, basedOn, errors, requests, expected) => {
    const stage = DeploymentStage.custom({ name: 'qa', basedOn, alarms: { handlerFunction: { errors: 1 } }, stackProtection: false });
    expect(stage.alarms.api5xxRate).toBe(basedOn.alarms.api5xxRate);
    const alarm = api5xxAlarm(synth({ stage }).template);
    expect(alarmBreaches(alarm, (metric, stat) => apiGatewayStatistic(metric, stat, errors, requests))).toBe(expected);
  });

  test('a dashboard covers the API, the handler and the table', () => {
    const [dashboard] = Object.values(prod.template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    expect(body).toMatch(/AWS\/ApiGateway/);
    expect(body).toMatch(/AWS\/Lambda/);
    expect(body).toMatch(/AWS\/DynamoDB/);
    expect(dashboard.Properties.DashboardName).toBe('orders-prod');
  });

  test('outputs: exported API URL, table, bucket and alias ARN', () => {
    const outputs = prod.template.toJSON().Outputs;
    const exported = Object.values(outputs).map((o: any) => o.Export?.Name).filter(Boolean);
    expect(exported).toEqual(expect.arrayContaining(['orders-prod-url', 'orders-prod-alias-arn']));
    const keys = Object.keys(outputs).join(' ');
    expect(keys).toMatch(/TableName/);
    expect(keys).toMatch(/BucketName/);
    expect(keys).toMatch(/AliasArn/);
  });

  test('prod: stack protection with a stack policy over the stateful resources', () => {
    expect(prod.stack.terminationProtection).toBe(true);
    const [rule] = Object.values(prod.template.findResources('AWS::Events::Rule'))
      .filter((r) => JSON.stringify(r.Properties.EventPattern).includes('CloudFormation Stack Status Change'));
    const input = JSON.stringify(rule.Properties.Targets[0].Input);
    const protectedIds = JSON.parse(input.match(/ProtectedLogicalResourceIds\\":(\[[^\]]*\])/)![1].replace(/\\"/g, '"'));
    const resources = prod.template.toJSON().Resources;
    const stateIds = Object.entries(resources).filter(([, r]: any) => stateful.includes(r.Type)).map(([id]) => id).sort();
    // The protection's own log group is left out, so that turning protection off is never denied.
    const expected = stateIds.filter((id) => !id.startsWith('OrdersProtection'));
    expect(stateIds.length - expected.length).toBe(1);
    expect(protectedIds).toEqual(expected);
    for (const id of stateIds) {
      expect(resources[id].DeletionPolicy).toBe('RetainExceptOnCreate');
    }
  });

  test('tags reach every taggable resource', () => {
    const { stack, template } = synth({ stage: DeploymentStage.PROD, tags: { 'cost-center': 'cc-42' } });
    const expected = { 'stage': 'prod', 'service': 'orders', 'managed-by': 'cdk-secure-serverless', 'cost-center': 'cc-42' };
    const resources = template.toJSON().Resources as Record<string, any>;
    const taggableIds = stack.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && TagManager.isTaggable(c))
      .map((c) => stack.resolve(c.logicalId) as string);
    expect(taggableIds.length).toBeGreaterThan(20);
    for (const id of taggableIds) {
      const resource = resources[id];
      const tags = tagMap(resource.Properties?.Tags ?? resource.Properties?.Replicas?.[0]?.Tags);
      for (const [key, value] of Object.entries(expected)) {
        if (tags[key] !== value) throw new Error(`${id} (${resource.Type}) lacks tag ${key}=${value}: ${JSON.stringify(resource.Properties.Tags)}`);
      }
    }
  });
});

function tagMap(tags: any): Record<string, string> {
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  return tags ?? {};
}

describe('ServerlessService options', () => {
  test('the stage comes from -c stage=... when not given', () => {
    const { service } = synth({}, { stage: 'staging' });
    expect(service.stage.name).toBe('staging');
  });

  test('itemSchema constrains data in the API model and reaches the handler', () => {
    const itemSchema: apigw.JsonSchema = {
      type: apigw.JsonSchemaType.OBJECT,
      required: ['sku'],
      properties: { sku: { type: apigw.JsonSchemaType.STRING, maxLength: 32 } },
    };
    const { template } = synth({ stage: DeploymentStage.PROD, itemSchema });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      Schema: Match.objectLike({
        properties: Match.objectLike({ data: Match.objectLike({ required: ['sku'], properties: { sku: { type: 'string', maxLength: 32 } } }) }),
      }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ITEM_DATA_SCHEMA: JSON.stringify(itemSchema) }) },
    });
  });

  test('cors origins reach the API and the handler', () => {
    const { template } = synth({ stage: DeploymentStage.PROD, cors: { allowOrigins: ['https://app.example.com'] } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CORS_ALLOWED_ORIGINS: 'https://app.example.com' }) },
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', AuthorizationType: 'NONE' });
  });

  test('the preflight allows only the methods the routes serve, and the Idempotency-Key and If-Match headers', () => {
    const { template } = synth({ stage: DeploymentStage.PROD, cors: { allowOrigins: ['https://app.example.com'] } });
    const preflights = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }));
    expect(preflights.length).toBeGreaterThan(0);
    for (const preflight of preflights) {
      const headers = preflight.Properties.Integration.IntegrationResponses[0].ResponseParameters;
      const methods = headers['method.response.header.Access-Control-Allow-Methods'].replace(/'/g, '').split(',');
      expect(methods.sort()).toEqual(['DELETE', 'GET', 'OPTIONS', 'POST', 'PUT']);
      expect(headers['method.response.header.Access-Control-Allow-Headers']).toMatch(/Idempotency-Key.*If-Match/);
    }
  });

  test('GET /items declares limit and nextToken, and with the stage cache on both key the cache', () => {
    const cached = DeploymentStage.custom({ name: 'cached', api: { ...DeploymentStage.DEV.api, cache: {} } });
    const { template } = synth({ stage: cached });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { CacheClusterEnabled: true });
    const list = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'GET' } }))
      .map((method) => method.Properties).find((method) => method.RequestParameters?.['method.request.querystring.limit'] !== undefined);
    expect(list.RequestParameters).toEqual({ 'method.request.querystring.limit': false, 'method.request.querystring.nextToken': false });
    expect([...list.Integration.CacheKeyParameters].sort()).toEqual(['method.request.querystring.limit', 'method.request.querystring.nextToken']);
  });

  test('one body limit: the WAF size rule of a WAF stage and the handler\'s MAX_BODY_BYTES', () => {
    const { template } = synth({ stage: DeploymentStage.PROD, maxRequestBodySize: Size.kibibytes(32) });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ MAX_BODY_BYTES: '32768' }) } });
    const webAcl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0].Properties;
    expect(webAcl.Rules[0].Statement.SizeConstraintStatement).toMatchObject({ ComparisonOperator: 'GT', Size: 32_768 });
    synth({ stage: DeploymentStage.DEV }).template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAX_BODY_BYTES: '65536' }) },
    });
  });

  test('an alarm email subscribes to the created topic; a given topic is used as is', () => {
    synth({ alarmEmail: 'oncall@example.com' }).template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
    const app = new App();
    const stack = new Stack(app, 'Given', { env: ENV });
    const topic = new sns.Topic(stack, 'Ops');
    const service = new ServerlessService(stack, 'Orders', { serviceName: 'orders', alarmTopic: topic, stage: DeploymentStage.DEV });
    expect(service.alarmTopic).toBe(topic);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('CloudWatch alarms of this account and region may publish to the alarm topic and use its key', () => {
    const { template } = synth({ stage: DeploymentStage.PROD, alarmEmail: 'oncall@example.com' });
    // The CloudWatch alarm -> SNS topic policy with the confused-deputy conditions, as the CloudWatch user guide gives it
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html).
    const alarmConditions = {
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:123456789012:alarm:*']] } },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: alarmConditions,
        })]),
      },
    });
    // The key of an SSE topic an AWS service publishes to: kms:Decrypt and kms:GenerateDataKey* for the service
    // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: alarmConditions,
        })]),
      },
    });
  });

  test('the alarm email subscription dead-letters into an encrypted, SSL-only queue that SNS may write to', () => {
    const { template } = synth({ alarmEmail: 'oncall@example.com' });
    const subscription = Object.values(template.findResources('AWS::SNS::Subscription'))[0].Properties;
    const queueId = subscription.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    const queue = template.toJSON().Resources[queueId];
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties.KmsMasterKeyId).toBeDefined();
    const queuePolicy = Object.values(template.findResources('AWS::SQS::QueuePolicy'))
      .find((p) => JSON.stringify(p.Properties.Queues).includes(queueId))!.Properties.PolicyDocument;
    expect(queuePolicy.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage' }),
    ]));
  });

  test('a stage that keeps its data warns when no alarm reaches anyone', () => {
    const warnings = (props: Partial<ServerlessServiceProps>) => Annotations.fromStack(synth(props).stack)
      .findWarning('*', Match.stringLikeRegexp('no alarmEmail and no alarmTopic'));
    expect(warnings({ stage: DeploymentStage.PROD })).toHaveLength(1);
    expect(warnings({ stage: DeploymentStage.STAGING })).toHaveLength(1);
    expect(warnings({ stage: DeploymentStage.PROD, alarmEmail: 'oncall@example.com' })).toEqual([]);
    expect(warnings({ stage: DeploymentStage.DEV })).toEqual([]);
  });

  test('two protected services in one stack share the stack\'s one StackProtection, which covers both', () => {
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const stack = new Stack(app, 'TwoServices', { env: ENV });
    const orders = new ServerlessService(stack, 'Orders', { serviceName: 'orders', stage: DeploymentStage.PROD, alarmEmail: 'a@example.com' });
    const billing = new ServerlessService(stack, 'Billing', { serviceName: 'billing', stage: DeploymentStage.PROD, alarmEmail: 'a@example.com' });
    expect(billing.protection).toBe(orders.protection);
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::StackPolicy', 1);
    const [rule] = Object.values(template.findResources('AWS::Events::Rule'))
      .filter((r) => JSON.stringify(r.Properties.EventPattern).includes('CloudFormation Stack Status Change'));
    const input = JSON.stringify(rule.Properties.Targets[0].Input);
    for (const service of [orders, billing]) {
      expect(input).toContain(stack.getLogicalId(service.table.dynamoTable.node.defaultChild as CfnResource));
    }
  });

  test('user code replaces the bundled handler', () => {
    const { template } = synth({ code: lambda.Code.fromInline('exports.main = async () => ({})'), handler: 'index.main' });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.main', Code: { ZipFile: Match.anyValue() } });
  });

  test('protection can be turned off for a protected stage', () => {
    const { stack, template } = synth({ stage: DeploymentStage.PROD, protection: false });
    expect(stack.terminationProtection).toBe(false);
    template.resourceCountIs('Custom::StackPolicy', 0);
  });

  test('Idempotency-Key records expire through the table TTL on expiresAt, after idempotencyWindow', () => {
    const { template } = synth({ idempotencyWindow: Duration.minutes(10) });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ IDEMPOTENCY_WINDOW_SECONDS: '600' }) },
    });
  });

  test('secretCacheTtl reaches the handler', () => {
    synth({ secretCacheTtl: Duration.seconds(30) }).template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SECRET_CACHE_TTL_SECONDS: '30' }) },
    });
  });
});

describe('ServerlessService validation', () => {
  /** DynamoDB GSI docs: every index key attribute must be a top-level attribute; the bundled handler nests fields in `data`. */
  test('globalSecondaryIndexes are refused with the bundled handler, and dotted key names with any handler (issue 24 item 5)', () => {
    const byStatus = { indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } };
    expect(() => synth({ globalSecondaryIndexes: [byStatus] }))
      .toThrow(/ServerlessService: globalSecondaryIndexes \(byStatus\) would stay empty: the bundled handler stores an item's fields inside its "data" map.*Drop globalSecondaryIndexes, or pass code/);
    const byOwner = { indexName: 'byOwner', partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } };
    expect(() => synth({ globalSecondaryIndexes: [byStatus, byOwner] })).toThrow('globalSecondaryIndexes (byStatus, byOwner) would stay empty');
    const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');
    expect(() => synth({ code, globalSecondaryIndexes: [{ ...byStatus, partitionKey: { name: 'data.status', type: dynamodb.AttributeType.STRING } }] }))
      .toThrow(/globalSecondaryIndexes "byStatus" partitionKey "data.status" looks like a path into the item.*top-level attribute \(e\.g\. "status"\) and index that/);
    synth({ code, globalSecondaryIndexes: [byStatus] }).template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byStatus' })],
    });
  });

  test('a prop error is aws-cdk-lib\'s ValidationError and names the construct path (issue 24 deliverable 4)', () => {
    const stack = new Stack(new App(), 'Two', { env: ENV });
    new ServerlessService(stack, 'Orders', { serviceName: 'orders' });
    let thrown: unknown;
    try {
      new ServerlessService(stack, 'Tickets', { serviceName: 'tickets', environment: { LOG_LEVEL: 'DEBUG' } });
    } catch (error) {
      thrown = error;
    }
    expect(Errors.isValidationError(thrown)).toBe(true);
    expect((thrown as { constructPath?: string }).constructPath).toBe('Two/Tickets');
    expect((thrown as Error).message).toMatch(/^ServerlessService: environment.LOG_LEVEL \("DEBUG"\) is set by the service from stage.handlerFunction.applicationLogLevel, .* \(construct Two\/Tickets\)$/);
  });

  /** Every variable the handler's sources read (Lambda's own AWS_* and _X_AMZN_* aside), found by reading them. */
  function variablesTheHandlerReads(): string[] {
    const files = readdirSync(join(__dirname, '..', '..', 'lambda-src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const source = files.map((file) => readFileSync(join(__dirname, '..', '..', 'lambda-src', file), 'utf8')).join('\n');
    const names = [...source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|\(env, '([A-Z][A-Z0-9_]+)'/g)].map((match) => match[1] ?? match[2]);
    return [...new Set(names)].filter((name) => !name.startsWith('AWS_')).sort();
  }

  test('the handler reads only variables the contract lists as set by the service or tunable (issue 24 item 12)', () => {
    const read = variablesTheHandlerReads();
    expect(read.length).toBeGreaterThanOrEqual(15);
    expect(read).toEqual([...Object.keys(SERVICE_SET_HANDLER_VARIABLES), ...TUNABLE_HANDLER_VARIABLES].sort());
  });

  test.each(Object.entries(SERVICE_SET_HANDLER_VARIABLES))('environment.%s is refused, naming the prop that sets it (%s)', (name, setBy) => {
    expect(() => synth({ environment: { [name]: 'mine' } }))
      .toThrow(`environment.${name} ("mine") is set by the service from ${setBy}, which would overwrite it; remove it from environment and set ${setBy} instead.`);
  });

  test('a tuning variable the service leaves unset is honoured', () => {
    synth({ environment: { SDK_MAX_ATTEMPTS: '5' } }).template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SDK_MAX_ATTEMPTS: '5' }) },
    });
  });

  test.each([
    [{ serviceName: 'Orders!' }, /serviceName "Orders!" must be/],
    [{ alarmEmail: 'a@b.co', alarmTopic: {} as sns.ITopic }, /alarmEmail or alarmTopic, not both/],
    [{ alarmEmail: 'not-an-email' }, /alarmEmail "not-an-email" is not an email address/],
    [{ handler: 'index.main' }, /handler is only used with code/],
    [{ itemSchema: { description: 'x'.repeat(3000) } }, /itemSchema is \d+ characters as JSON; at most 2048/],
  ])('%o is rejected', (props, message) => {
    expect(() => synth(props as Partial<ServerlessServiceProps>)).toThrow(message);
  });

  /** The schema travels in the handler's environment, which Lambda caps at 4 KB: 2048 characters of JSON are the share it gets. */
  test('an itemSchema of exactly 2048 characters as JSON is accepted, one more is refused', () => {
    // {"description":"xx..."} is 18 characters around the description, counted by hand.
    const schemaOf = (length: number) => ({ description: 'x'.repeat(length - 18) });
    expect(JSON.stringify(schemaOf(2048))).toHaveLength(2048);
    expect(() => synth({ itemSchema: schemaOf(2048) })).not.toThrow();
    expect(() => synth({ itemSchema: schemaOf(2049) })).toThrow('ServerlessService: itemSchema is 2049 characters as JSON; at most 2048');
  });

  /**
   * Schemas that pass a keyword check but take the items API down at run time (issue 24 item 4). Each verdict is a
   * hand computation on draft-04 (https://json-schema.org/draft-04/json-schema-validation): its meta-schema limits
   * `type` to the seven simple types and requires at least one `enum` value; `new RegExp('[a-')` throws.
   */
  test.each<[string, apigw.JsonSchema, RegExp]>([
    ['an invalid pattern', { type: apigw.JsonSchemaType.OBJECT, properties: { sku: { type: apigw.JsonSchemaType.STRING, pattern: '[a-' } } },
      /itemSchema does not compile: .*Invalid regular expression/],
    ['an unknown type', { type: 'strng' as apigw.JsonSchemaType }, /itemSchema is not a valid draft-04 JSON schema: \/type /],
    ['an empty enum', { properties: { kind: { enum: [] } } }, /itemSchema is not a valid draft-04 JSON schema: \/properties\/kind\/enum /],
    ['required forbidden by additionalProperties false',
      { type: apigw.JsonSchemaType.OBJECT, required: ['sku'], additionalProperties: false, properties: { name: { type: apigw.JsonSchemaType.STRING } } },
      /itemSchema at \/ requires "sku" but additionalProperties false forbids it/],
    ['minLength above maxLength', { properties: { sku: { type: apigw.JsonSchemaType.STRING, minLength: 5, maxLength: 2 } } },
      /itemSchema at \/properties\/sku has minLength 5 above maxLength 2, which no value satisfies; lower minLength or raise maxLength/],
    ['minItems above maxItems', { properties: { tags: { type: apigw.JsonSchemaType.ARRAY, minItems: 3, maxItems: 1 } } },
      /has minItems 3 above maxItems 1/],
    ['a token', { properties: { sku: { type: apigw.JsonSchemaType.STRING, pattern: Lazy.string({ produce: () => '^a' }) } } },
      /itemSchema must be a literal \(not a CloudFormation token\) because .*; write the schema as a literal object/],
  ])('an itemSchema with %s is refused at synthesis', (_case, itemSchema, message) => {
    expect(() => synth({ itemSchema })).toThrow(message);
  });
});

describe('ServerlessService itemsPath (issue 24 item 10)', () => {
  /** The full path of each API Gateway resource by logical id, from the PathPart/ParentId chain of the template. */
  function resourcePathsById(template: Template): Record<string, string> {
    const resources = template.findResources('AWS::ApiGateway::Resource') as Record<string, { Properties: { PathPart: string; ParentId: any } }>;
    const pathOf = (id: string): string => {
      const { PathPart, ParentId } = resources[id].Properties;
      const parent: string | undefined = ParentId.Ref && resources[ParentId.Ref] ? ParentId.Ref : undefined;
      return `${parent ? pathOf(parent) : ''}/${PathPart}`;
    };
    return Object.fromEntries(Object.keys(resources).map((id) => [id, pathOf(id)]));
  }

  function resourcePaths(template: Template): string[] {
    return Object.values(resourcePathsById(template)).sort();
  }

  function handlerVariables(template: Template): Record<string, string> {
    const handlers = Object.values(template.findResources('AWS::Lambda::Function'))
      .filter((fn: any) => fn.Properties.Environment?.Variables?.TABLE_NAME !== undefined);
    expect(handlers).toHaveLength(1);
    return (handlers[0] as any).Properties.Environment.Variables;
  }

  test('"tickets" serves /tickets and /tickets/{id}, not /items, and tells the handler through ITEMS_PATH', () => {
    const { template } = synth({ itemsPath: 'tickets' });
    const paths = resourcePaths(template);
    expect(paths).toEqual(expect.arrayContaining(['/tickets', '/tickets/{id}']));
    expect(paths.filter((path) => path.startsWith('/items'))).toEqual([]);
    expect(handlerVariables(template).ITEMS_PATH).toBe('tickets');
  });

  test('the API serves exactly the routes of the contract\'s route table, under itemsPath', () => {
    const { template } = synth({ itemsPath: 'tickets' });
    const paths = resourcePathsById(template);
    const served = Object.values(template.findResources('AWS::ApiGateway::Method'))
      .map((method: any) => `${method.Properties.HttpMethod} ${paths[method.Properties.ResourceId.Ref]}`)
      .filter((route) => /^(GET|POST|PUT|PATCH|DELETE|HEAD) \/tickets/.test(route));
    expect(served.sort()).toEqual(ITEMS_ROUTES.map((route) => `${route.method} ${itemsResourcePath(route.resource, 'tickets')}`).sort());
  });

  test('by default the routes are /items and /items/{id}, and the handler is told so', () => {
    const { template } = synth();
    expect(resourcePaths(template)).toEqual(expect.arrayContaining(['/items', '/items/{id}']));
    expect(handlerVariables(template).ITEMS_PATH).toBe('items');
  });

  test.each([
    // The fix names the usable part of what was written, else an example.
    ['orders/{id}', /itemsPath "orders\/\{id\}" is not one path part; .* e\.g\. "orders"/],
    ['{id}', /itemsPath "\{id\}" is not one path part; .* e\.g\. "tickets"/],
    ['', /itemsPath "" is not one path part/],
    ['/orders', /itemsPath "\/orders" is not one path part; .* e\.g\. "orders"/],
    [Lazy.string({ produce: () => 'tickets' }), /itemsPath must be a literal \(not a CloudFormation token\) because/],
  ])('itemsPath %j throws naming the prop and the fix', (itemsPath, message) => {
    expect(() => synth({ itemsPath })).toThrow(message);
  });
});

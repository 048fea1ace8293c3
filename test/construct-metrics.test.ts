import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DeploymentStage, EncryptedFunction, SecureTable, ServerlessService, ValidatedRestApi } from '../src';

// Expected names, namespaces and dimensions are those of the AWS documentation: "Amazon API Gateway dimensions and
// metrics", "Types of metrics for Lambda functions" (an alias is the `Resource` dimension `<function>:<alias>`) and
// "DynamoDB Metrics and dimensions".

function newStack(): Stack {
  return new Stack(new App(), 'Metrics', { env: { account: '111111111111', region: 'us-east-1' } });
}

/** The metric as CloudWatch receives it, with tokens resolved in the stack and the period in seconds. */
function resolved(stack: Stack, metric: cloudwatch.IMetric) {
  const { period, ...stat } = metric.toMetricConfig().metricStat!;
  return { ...stack.resolve(stat), periodSeconds: period.toSeconds() };
}

describe('metric methods', () => {
  test('ValidatedRestApi: AWS/ApiGateway metrics of its stage (ApiName and Stage dimensions)', () => {
    const stack = newStack();
    const api = new ValidatedRestApi(stack, 'Api', { restApiName: 'orders', stageName: 'live', createWebAcl: false });
    const expected = [
      [api.metricCount(), 'Count', 'SampleCount'],
      [api.metricClientError(), '4XXError', 'Sum'],
      [api.metricServerError(), '5XXError', 'Sum'],
      [api.metricLatency(), 'Latency', 'Average'],
      [api.metricIntegrationLatency(), 'IntegrationLatency', 'Average'],
    ] as const;
    for (const [metric, metricName, statistic] of expected) {
      expect(resolved(stack, metric)).toMatchObject({
        namespace: 'AWS/ApiGateway',
        metricName,
        statistic,
        periodSeconds: 300,
        dimensions: [{ name: 'ApiName', value: 'orders' }, { name: 'Stage', value: { Ref: expect.stringMatching(/^ApiDeploymentStagelive/) } }],
      });
    }
  });

  test('EncryptedFunction: AWS/Lambda metrics of the live alias', () => {
    const stack = newStack();
    const fn = new EncryptedFunction(stack, 'Fn', { code: lambda.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' });
    const functionName = { Ref: expect.stringMatching(/^FnFunction/) };
    for (const [metric, metricName] of [[fn.metricInvocations(), 'Invocations'], [fn.metricErrors(), 'Errors'], [fn.metricThrottles(), 'Throttles'],
      [fn.metricDuration(), 'Duration']] as const) {
      const stat = resolved(stack, metric);
      expect(stat).toMatchObject({ namespace: 'AWS/Lambda', metricName });
      expect(stat.dimensions).toEqual(expect.arrayContaining([
        { name: 'FunctionName', value: functionName },
        { name: 'Resource', value: { 'Fn::Join': ['', [functionName, ':live']] } },
      ]));
    }
    // The alarms watch the same metrics, on one-minute periods.
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Period: 60,
      Dimensions: Match.arrayWith([{ Name: 'Resource', Value: { 'Fn::Join': ['', [Match.objectLike({ Ref: Match.stringLikeRegexp('^FnFunction') }), ':live']] } }]),
    });
  });

  test('SecureTable: AWS/DynamoDB throttles, system errors and consumed capacity of its table', () => {
    const stack = newStack();
    const table = new SecureTable(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const tableName = { Ref: expect.stringMatching(/^Table/) };
    for (const [metric, metricName, statistic] of [
      [table.metricReadThrottleEvents(), 'ReadThrottleEvents', 'Sum'],
      [table.metricWriteThrottleEvents(), 'WriteThrottleEvents', 'Sum'],
      [table.metricConsumedReadCapacityUnits(), 'ConsumedReadCapacityUnits', 'Sum'],
      [table.metricConsumedWriteCapacityUnits(), 'ConsumedWriteCapacityUnits', 'Sum'],
    ] as const) {
      expect(resolved(stack, metric)).toMatchObject({ namespace: 'AWS/DynamoDB', metricName, statistic, dimensions: [{ name: 'TableName', value: tableName }] });
    }
    // SystemErrors is reported per operation: the sum over the item operations, each with the TableName and Operation dimensions.
    const systemErrors = table.metricSystemErrors().toMetricConfig().mathExpression!;
    const operations = Object.values(systemErrors.usingMetrics).map((metric) => resolved(stack, metric));
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) {
      expect(operation).toMatchObject({ namespace: 'AWS/DynamoDB', metricName: 'SystemErrors', statistic: 'Sum' });
      expect(operation.dimensions.map((d: { name: string }) => d.name).sort()).toEqual(['Operation', 'TableName']);
    }
    expect(operations.map((o) => o.dimensions.find((d: { name: string }) => d.name === 'Operation').value)).toEqual(expect.arrayContaining(['GetItem', 'PutItem', 'Scan']));
  });

  test('the service dashboard graphs the live alias that the API invokes, not $LATEST', () => {
    const stack = newStack();
    new ServerlessService(stack, 'Orders', { serviceName: 'orders', stage: DeploymentStage.DEV });
    const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metricName of ['Invocations', 'Errors', 'Throttles', 'Duration']) {
      expect(body).toMatch(new RegExp(`AWS/Lambda\\\\",\\\\"${metricName}\\\\",\\\\"FunctionName\\\\",\\\\"",\\{"Ref":"OrdersHandlerFunction[0-9A-F]+"\\},"\\\\",\\\\"Resource`));
    }
  });
});

test('metric periods can be overridden', () => {
  const stack = newStack();
  const api = new ValidatedRestApi(stack, 'Api', { createWebAcl: false });
  expect(resolved(stack, api.metricServerError({ period: Duration.minutes(1) })).periodSeconds).toBe(60);
});

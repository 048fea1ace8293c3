import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface ServiceDashboardProps {
  readonly dashboardName: string;
  readonly api: apigw.RestApi;
  readonly stageName: string;
  readonly handler: lambda.IFunction;
  readonly table: dynamodb.ITableV2;
}

const PERIOD = Duration.minutes(5);

/** One dashboard for the service: API traffic and errors, the handler's health, the table's capacity and throttles. */
export class ServiceDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(...apiWidgets(props.api, props.stageName));
    this.dashboard.addWidgets(...handlerWidgets(props.handler));
    this.dashboard.addWidgets(...tableWidgets(props.table));
  }
}

function apiWidgets(api: apigw.RestApi, stageName: string): cloudwatch.IWidget[] {
  const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: { ApiName: api.restApiName, Stage: stageName },
    statistic,
    period: PERIOD,
  });
  return [
    graph('API requests and errors', [metric('Count', 'Sum'), metric('4XXError', 'Sum'), metric('5XXError', 'Sum')]),
    graph('API latency (ms)', [metric('Latency', 'p50'), metric('Latency', 'p99'), metric('IntegrationLatency', 'p99')]),
  ];
}

function handlerWidgets(handler: lambda.IFunction): cloudwatch.IWidget[] {
  return [
    graph('Handler invocations, errors and throttles', [
      handler.metricInvocations({ period: PERIOD }),
      handler.metricErrors({ period: PERIOD }),
      handler.metricThrottles({ period: PERIOD }),
    ]),
    graph('Handler duration (ms)', [
      handler.metricDuration({ period: PERIOD, statistic: 'p50' }),
      handler.metricDuration({ period: PERIOD, statistic: 'p99' }),
    ]),
  ];
}

function tableWidgets(table: dynamodb.ITableV2): cloudwatch.IWidget[] {
  return [
    graph('Table consumed capacity', [
      table.metricConsumedReadCapacityUnits({ period: PERIOD }),
      table.metricConsumedWriteCapacityUnits({ period: PERIOD }),
    ]),
    graph('Table throttles and system errors', [
      table.metric('ReadThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
      table.metric('WriteThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
      table.metricSystemErrorsForOperations({ period: PERIOD }),
    ]),
  ];
}

function graph(title: string, metrics: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left: metrics, width: 12 });
}

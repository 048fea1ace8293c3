import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { EncryptedFunction } from '../function';
import type { ValidatedRestApi } from '../rest-api';
import type { SecureTable } from '../table';

export interface ServiceDashboardProps {
  readonly dashboardName: string;
  readonly api: ValidatedRestApi;
  readonly handler: EncryptedFunction;
  readonly table: SecureTable;
}

const PERIOD = Duration.minutes(5);

/**
 * One dashboard for the service, from the constructs' own metrics: API traffic and errors, the handler's `live` alias
 * (what the API invokes and the alarms watch), the table's capacity and throttles.
 */
export class ServiceDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(...apiWidgets(props.api));
    this.dashboard.addWidgets(...handlerWidgets(props.handler));
    this.dashboard.addWidgets(...tableWidgets(props.table));
  }
}

function apiWidgets(api: ValidatedRestApi): cloudwatch.IWidget[] {
  return [
    graph('API requests and errors', [
      api.metricCount({ statistic: cloudwatch.Stats.SUM }),
      api.metricClientError(),
      api.metricServerError(),
    ]),
    graph('API latency (ms)', [
      api.metricLatency({ statistic: cloudwatch.Stats.p(50) }),
      api.metricLatency({ statistic: cloudwatch.Stats.p(99) }),
      api.metricIntegrationLatency({ statistic: cloudwatch.Stats.p(99) }),
    ]),
  ];
}

function handlerWidgets(handler: EncryptedFunction): cloudwatch.IWidget[] {
  return [
    graph('Handler invocations, errors and throttles', [
      handler.metricInvocations({ period: PERIOD }),
      handler.metricErrors({ period: PERIOD }),
      handler.metricThrottles({ period: PERIOD }),
    ]),
    graph('Handler duration (ms)', [
      handler.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(50) }),
      handler.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99) }),
    ]),
  ];
}

function tableWidgets(table: SecureTable): cloudwatch.IWidget[] {
  return [
    graph('Table consumed capacity', [
      table.metricConsumedReadCapacityUnits({ period: PERIOD }),
      table.metricConsumedWriteCapacityUnits({ period: PERIOD }),
    ]),
    graph('Table throttles and system errors', [
      table.metricReadThrottleEvents(),
      table.metricWriteThrottleEvents(),
      table.metricSystemErrors(),
    ]),
  ];
}

function graph(title: string, metrics: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left: metrics, width: 12 });
}

import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** A metric of one API stage: namespace `AWS/ApiGateway`, dimensions `ApiName` and `Stage`, sum over 5 minutes by default. */
export function stageMetric(restApi: apigw.IRestApi, stage: apigw.Stage, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: { ApiName: (restApi as apigw.RestApi).restApiName, Stage: stage.stageName },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...props,
  });
}

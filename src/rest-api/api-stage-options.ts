import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { urlExportName } from './api-outputs';
import { corsPreflightOptions } from './api-routes';
import type { ResolvedRestApiProps } from './rest-api-defaults';

/** JSON access log record: who called what, the outcome, and the integration and error details. */
const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  userArn: '$context.identity.userArn',
  cognitoSub: '$context.authorizer.claims.sub',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  requestTimeEpoch: '$context.requestTimeEpoch',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  validationError: '$context.error.validationErrorString',
  wafStatus: '$context.waf.status',
  xrayTraceId: '$context.xrayTraceId',
};

/** The stage's settings: tracing, execution and JSON access logs, throttling and the optional encrypted cache. */
export function stageOptions(props: ResolvedRestApiProps, accessLogGroup: logs.ILogGroup): apigw.StageOptions {
  return {
    stageName: props.stageName,
    tracingEnabled: props.tracingEnabled,
    loggingLevel: props.executionLoggingLevel,
    dataTraceEnabled: props.dataTraceEnabled,
    metricsEnabled: true,
    throttlingRateLimit: props.throttling.rateLimit,
    throttlingBurstLimit: props.throttling.burstLimit,
    accessLogDestination: new apigw.LogGroupLogDestination(accessLogGroup),
    accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
    clientCertificateId: props.clientCertificateId,
    ...(props.cache ? {
      cacheClusterEnabled: true,
      cacheClusterSize: props.cache.clusterSize,
      cachingEnabled: true,
      cacheDataEncrypted: true,
      cacheTtl: props.cache.ttl,
    } : {
      // Said explicitly: omitting them after a cache was on leaves caching on in API Gateway (aws-cdk#32342).
      cacheClusterEnabled: false,
      cachingEnabled: false,
    }),
  };
}

/** The REST API's settings: REGIONAL, no CDK account role, the CORS preflight, the stage and the export of its URL. */
export function restApiProps(scope: Construct, props: ResolvedRestApiProps, accessLogGroup: logs.ILogGroup): apigw.RestApiProps {
  return {
    restApiName: props.restApiName,
    description: props.description,
    endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
    disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
    // CDK's account role carries an AWS-managed policy; accountCloudWatchRole sets one with a customer-managed policy.
    cloudWatchRole: false,
    binaryMediaTypes: props.binaryMediaTypes,
    minCompressionSize: props.minCompressionSize,
    defaultCorsPreflightOptions: props.cors && corsPreflightOptions(props.cors),
    deployOptions: stageOptions(props, accessLogGroup),
    endpointExportName: urlExportName(scope, props),
  };
}

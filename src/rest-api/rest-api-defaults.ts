import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DEFAULT_LOG_RETENTION, KEEP_DATA, withDefaults } from '../core';
import type { ApiCacheOptions, ApiCorsOptions, ApiThrottling } from './api-options';
import type { ValidatedRestApiProps } from './validated-rest-api-props';

/**
 * The defaults of `ValidatedRestApi`, stated once: `resolveRestApiProps` applies them and the helpers take the resolved
 * props. Each is the `@default` of its prop (test/rest-api/rest-api-defaults.test.ts compares them). `authorization`
 * (`ApiAuthorization.iam()`) and `healthCheckAuthorization` (`ApiAuthorization.none()`) are applied by the construct:
 * a helper module may not make an `ApiAuthorization`.
 */

/** The request body limit of the API, the same as the bundled handler's default `MAX_BODY_BYTES`. */
export const DEFAULT_MAX_REQUEST_BODY = Size.kibibytes(64);

/** What `ValidatedRestApiProps` leaves to the construct. */
export const VALIDATED_REST_API_DEFAULTS = Object.freeze({
  stageName: 'prod',
  logRetention: DEFAULT_LOG_RETENTION,
  logRemovalPolicy: KEEP_DATA,
  executionLoggingLevel: apigw.MethodLoggingLevel.ERROR,
  accountCloudWatchRole: false,
  dataTraceEnabled: false,
  tracingEnabled: true,
  /** Requests per 5 minutes one IP may send to a created web ACL. */
  webAclRateLimit: 2000,
  maxRequestBodySize: DEFAULT_MAX_REQUEST_BODY,
  healthCheck: true,
  healthCheckPath: '/health',
  openApiDocument: true,
  exportUrl: true,
});

/** Stage throttling of `ApiThrottling` (requests per second, burst). */
export const API_THROTTLING_DEFAULTS = Object.freeze({
  rateLimit: 100,
  burstLimit: 200,
});

/** The cache cluster of `ApiCacheOptions`. */
export const API_CACHE_DEFAULTS = Object.freeze({
  clusterSize: '0.5',
  ttl: Duration.minutes(5),
});

/** The CORS preflight answer of `ApiCorsOptions`. */
export const API_CORS_DEFAULTS = Object.freeze({
  allowMethods: apigw.Cors.ALL_METHODS,
  allowHeaders: apigw.Cors.DEFAULT_HEADERS,
  allowCredentials: false,
  maxAge: Duration.hours(1),
});

/** Whether the stage gets a created web ACL: as asked, else unless `webAclArn` is given. */
export function createsWebAcl(options: Pick<ValidatedRestApiProps, 'createWebAcl' | 'webAclArn'>): boolean {
  return options.createWebAcl ?? options.webAclArn === undefined;
}

/** `ApiCorsOptions` with its defaults applied. */
export interface ResolvedApiCorsOptions extends ApiCorsOptions {
  readonly allowMethods: string[];
  readonly allowHeaders: string[];
  readonly allowCredentials: boolean;
  readonly maxAge: Duration;
}

/** `ValidatedRestApiProps` with the defaults of this module applied. */
export interface ResolvedRestApiProps extends ValidatedRestApiProps {
  readonly stageName: string;
  readonly cors?: ResolvedApiCorsOptions;
  readonly throttling: Required<ApiThrottling>;
  readonly cache?: Required<ApiCacheOptions>;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly executionLoggingLevel: apigw.MethodLoggingLevel;
  readonly accountCloudWatchRole: boolean;
  readonly dataTraceEnabled: boolean;
  readonly tracingEnabled: boolean;
  readonly createWebAcl: boolean;
  readonly webAclRateLimit: number;
  readonly maxRequestBodySize: Size;
  readonly healthCheck: boolean;
  readonly healthCheckPath: string;
  readonly openApiDocument: boolean;
  readonly exportUrl: boolean;
}

/** The props with every default of this module applied. */
export function resolveRestApiProps(props: ValidatedRestApiProps): ResolvedRestApiProps {
  return {
    ...withDefaults(props, VALIDATED_REST_API_DEFAULTS),
    cors: props.cors && withDefaults(props.cors, API_CORS_DEFAULTS),
    throttling: withDefaults(props.throttling ?? {}, API_THROTTLING_DEFAULTS),
    cache: props.cache && withDefaults(props.cache, API_CACHE_DEFAULTS),
    createWebAcl: createsWebAcl(props),
  };
}

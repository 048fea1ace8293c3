import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiAuthorization } from './api-authorization';

/** Cross-origin resource sharing of a `ValidatedRestApi`. */
export interface ApiCorsOptions {
  /**
   * Origins allowed to call the API from a browser, e.g. `https://app.example.com`.
   * `*` allows every origin and cannot be combined with other origins or with `allowCredentials`.
   * The list must be literal; an entry may be a token (e.g. a CfnParameter), passed to CloudFormation unchecked.
   */
  readonly allowOrigins: string[];
  /**
   * HTTP methods allowed in cross-origin requests.
   * @default - GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed in cross-origin requests.
   * @default - Content-Type, X-Amz-Date, Authorization, X-Api-Key, X-Amz-Security-Token, X-Amz-User-Agent
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers browsers may read.
   * @default - none beyond the CORS-safelisted ones
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether browsers may send cookies or HTTP authentication with cross-origin requests.
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight answer.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default Duration.hours(1)
   */
  readonly maxAge?: Duration;
}

/** Stage-wide request throttling. */
export interface ApiThrottling {
  /**
   * Steady-state requests per second across the stage.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default 100
   */
  readonly rateLimit?: number;
  /**
   * Maximum concurrent request burst across the stage.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default 200
   */
  readonly burstLimit?: number;
}

/** An encrypted API Gateway cache cluster for the stage. */
export interface ApiCacheOptions {
  /**
   * Cache cluster size in GB: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237.
   * @default '0.5'
   */
  readonly clusterSize?: string;
  /**
   * How long responses stay cached (at most one hour).
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default Duration.minutes(5)
   */
  readonly ttl?: Duration;
}

/** A custom domain name in front of the API stage. */
export interface ApiCustomDomain {
  /**
   * The fully qualified domain name, e.g. `api.example.com`: at most 253 characters, and at most 64 when the
   * certificate is created here (ACM's limit on a certificate's first name).
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   */
  readonly domainName: string;
  /**
   * A certificate for `domainName` in the API's region.
   * @default - a DNS-validated certificate is created in `hostedZone` (which is then required)
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The public hosted zone of the domain: an A alias record is created in it (no AAAA: the domain name is IPv4).
   * @default - no DNS records (point the name at the domain's regional endpoint yourself)
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * The base path the stage is mapped to, e.g. `v1`.
   * @default - the root of the domain
   */
  readonly basePath?: string;
}

/** A response a route documents: an API Gateway method response, exported into the API's OpenAPI document. */
export interface ApiRouteResponse {
  /** The HTTP status code, e.g. `200`. */
  readonly statusCode: string;
  /**
   * JSON schema (draft 4) of the `application/json` body.
   * @default - no body
   */
  readonly schema?: apigw.JsonSchema;
}

/** Options of one route added with `ValidatedRestApi.addRoute`. */
export interface ApiRouteOptions {
  /**
   * JSON schema (draft 4) the `application/json` request body must match; API Gateway rejects other bodies with a 400.
   * @default - the body is not validated
   */
  readonly requestSchema?: apigw.JsonSchema;
  /**
   * Query string parameters that must be present.
   * @default - none
   */
  readonly requiredQueryStrings?: string[];
  /**
   * Request headers that must be present.
   * @default - none
   */
  readonly requiredHeaders?: string[];
  /**
   * Query string parameters the route reads when present. Declared parameters are part of the cache key when the
   * stage cache is on (an undeclared one is not, so requests differing only in it would share a cached answer).
   * @default - none
   */
  readonly optionalQueryStrings?: string[];
  /**
   * Request headers the route reads when present; part of the cache key when the stage cache is on.
   * @default - none
   */
  readonly optionalHeaders?: string[];
  /**
   * Path parameters that must be present; every `{name}` of the path is required anyway, so this only restates them.
   * @default - the path parameters of `path`
   */
  readonly requiredPathParameters?: string[];
  /**
   * Authorization of this route.
   * @default - the API's `authorization`
   */
  readonly authorization?: ApiAuthorization;
  /**
   * The responses the integration answers with, as method responses (API Gateway's own error responses are
   * documented anyway).
   * @default - none documented
   */
  readonly responses?: ApiRouteResponse[];
  /**
   * A short summary of the route: the method's `OperationName` and the operation's `summary` in the OpenAPI document.
   * @default - `METHOD path` in the OpenAPI document, no operation name
   */
  readonly summary?: string;
  /**
   * A longer description of the route, for the operation's `description` in the OpenAPI document.
   * @default - only what the authorization requires
   */
  readonly description?: string;
}

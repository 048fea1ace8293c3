import { RemovalPolicy, Size } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiAuthorization } from './api-authorization';
import { ApiCacheOptions, ApiCorsOptions, ApiCustomDomain, ApiThrottling } from './api-options';

/** Properties of a `ValidatedRestApi`. */
export interface ValidatedRestApiProps {
  /**
   * Name of the REST API.
   * @default - the construct path
   */
  readonly restApiName?: string;
  /**
   * Description of the REST API.
   * @default - none
   */
  readonly description?: string;
  /**
   * Default authorization of every route (the health route has its own).
   * @default ApiAuthorization.iam()
   */
  readonly authorization?: ApiAuthorization;
  /**
   * Cross-origin resource sharing: OPTIONS preflight methods (without authorization) on every resource, and CORS
   * headers on API Gateway's error responses.
   * @default - no CORS (same-origin or server-to-server clients)
   */
  readonly cors?: ApiCorsOptions;
  /**
   * Name of the stage, part of the default endpoint's URL.
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Stage-wide throttling.
   * @default - 100 requests per second, bursts of 200
   */
  readonly throttling?: ApiThrottling;
  /**
   * An encrypted cache cluster caching GET responses. Cached responses are shared by every caller with the same
   * path and parameters, so enable it only for data every authorised caller may see.
   * @default - no cache
   */
  readonly cache?: ApiCacheOptions;
  /**
   * Retention of the access, execution and WAF log groups.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Removal policy of the log groups (and of the created log key).
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Customer-managed key encrypting the log groups; its key policy must let `logs.<region>.amazonaws.com` use it.
   * @default - a key with rotation is created
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Level of execution logging. API Gateway writes execution logs only once the account's API Gateway CloudWatch
   * role is set (an account-level prerequisite, see docs/deploying.md).
   * @default apigw.MethodLoggingLevel.ERROR
   */
  readonly executionLoggingLevel?: apigw.MethodLoggingLevel;
  /**
   * Whether to set the region's API Gateway account CloudWatch role (`AWS::ApiGateway::Account`), which API Gateway
   * needs before a stage with execution or access logging deploys. The setting is shared by every API of the account
   * and region: let one stack own it. The role, its policy and the setting are kept when the stack is deleted.
   * @default false (the role must already be set, see docs/deploying.md; `ServerlessService` sets it by default)
   */
  readonly accountCloudWatchRole?: boolean;
  /**
   * Whether execution logs include full request and response bodies (they may contain personal data).
   * @default false
   */
  readonly dataTraceEnabled?: boolean;
  /**
   * Whether X-Ray traces requests through the stage.
   * @default true
   */
  readonly tracingEnabled?: boolean;
  /**
   * A custom domain name mapped to the stage.
   * @default - only the default execute-api endpoint
   */
  readonly customDomain?: ApiCustomDomain;
  /**
   * Whether to turn off the default execute-api endpoint so that clients must use `customDomain`.
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
  /**
   * ARN of an existing regional WAFv2 web ACL to associate with the stage.
   * @default - see `createWebAcl`
   */
  readonly webAclArn?: string;
  /**
   * Whether to create a regional WAFv2 web ACL (AWS managed IP reputation, common and known-bad-inputs rule groups
   * plus a per-IP rate limit, logged to an encrypted log group) and associate it with the stage.
   * @default - true unless `webAclArn` is given
   */
  readonly createWebAcl?: boolean;
  /**
   * Requests per 5-minute window one IP may send before the created web ACL blocks it.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default 2000
   */
  readonly webAclRateLimit?: number;
  /**
   * Longest request body the API accepts. The created web ACL blocks a longer one with `413` and the API's error body
   * (`PayloadTooLarge`); the AWS Common Rule Set's own 8 KB body rule only counts. At most 64 KiB with a created web
   * ACL (the most WAF inspects of an API Gateway body; above 16 KiB WAF charges for the extra inspection), at most
   * API Gateway's 10 MiB quota otherwise. Give the same limit to the integration (ServerlessService does).
   * @default Size.kibibytes(64)
   */
  readonly maxRequestBodySize?: Size;
  /**
   * Whether to add the health route, a MOCK integration answering 200 `{"status":"ok"}` without invoking Lambda.
   * @default true
   */
  readonly healthCheck?: boolean;
  /**
   * Path of the health route.
   * @default '/health'
   */
  readonly healthCheckPath?: string;
  /**
   * Authorization of the health route. It answers a constant, so load balancers and uptime monitors that cannot
   * sign requests may call it.
   * @default ApiAuthorization.none()
   */
  readonly healthCheckAuthorization?: ApiAuthorization;
  /**
   * Media types API Gateway treats as binary, e.g. `image/png`.
   * @default - none
   */
  readonly binaryMediaTypes?: string[];
  /**
   * Responses at least this large are compressed when the client accepts it.
   * @default - no compression (compressed responses that reflect input next to secrets enable BREACH-style attacks)
   */
  readonly minCompressionSize?: Size;
  /**
   * ID of an API Gateway client certificate the stage presents to HTTP backends.
   * @default - none (Lambda and MOCK integrations do not use one)
   */
  readonly clientCertificateId?: string;
  /**
   * Whether synthesis writes the API's OpenAPI 3.0 document into the cloud assembly next to the stack's template
   * (`openApiDocumentFile`).
   * @default true
   */
  readonly openApiDocument?: boolean;
  /**
   * Whether the URL outputs are exported for other stacks.
   * @default true
   */
  readonly exportUrl?: boolean;
  /**
   * Export name of the URL output; the custom-domain URL output is exported as `<name>-Domain`.
   * @default - `<stack name>-<construct id>-Url`
   */
  readonly urlExportName?: string;
  /**
   * Tags applied to every taggable resource of the construct (as `Tags.of(construct).add(key, value)` does).
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

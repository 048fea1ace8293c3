import { CfnOutput, Duration, RemovalPolicy, Size, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ApiAuthorization } from './api-authorization';
import { AccountCloudWatchRole } from './private/account-cloudwatch-role';
import { createEncryptedLogGroup } from './private/encrypted-log-group';
import { addJsonGatewayResponses } from './private/gateway-responses';
import { allowCloudWatchLogs, createRotatedKey } from './private/keys';
import { routeIdentifier } from './private/openapi';
import { writeOpenApiDocumentAtSynthesis } from './private/openapi-synthesis';
import { API_GATEWAY_MAX_PAYLOAD_BYTES, DEFAULT_MAX_REQUEST_BODY } from './private/request-limits';
import { MAX_INSPECTED_BODY_BYTES, RegionalWebAcl } from './private/web-acl';

/** Cross-origin resource sharing of a `ValidatedRestApi`. */
export interface ApiCorsOptions {
  /**
   * Origins allowed to call the API from a browser, e.g. `https://app.example.com`.
   * `*` allows every origin and cannot be combined with other origins or with `allowCredentials`.
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
   * @default Duration.hours(1)
   */
  readonly maxAge?: Duration;
}

/** Stage-wide request throttling. */
export interface ApiThrottling {
  /**
   * Steady-state requests per second across the stage.
   * @default 100
   */
  readonly rateLimit?: number;
  /**
   * Maximum concurrent request burst across the stage.
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
   * @default Duration.minutes(5)
   */
  readonly ttl?: Duration;
}

/** A custom domain name in front of the API stage. */
export interface ApiCustomDomain {
  /** The fully qualified domain name, e.g. `api.example.com`. */
  readonly domainName: string;
  /**
   * A certificate for `domainName` in the API's region.
   * @default - a DNS-validated certificate is created in `hostedZone` (which is then required)
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The public hosted zone of the domain: A and AAAA alias records are created in it.
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
}

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
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Customer-managed key encrypting the log groups; its key policy must let `logs.<region>.amazonaws.com` use it.
   * @default - a key with rotation is created
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Level of execution logging. API Gateway writes execution logs only once the account's API Gateway CloudWatch
   * role is set (an account-level prerequisite, see the README).
   * @default apigw.MethodLoggingLevel.ERROR
   */
  readonly executionLoggingLevel?: apigw.MethodLoggingLevel;
  /**
   * Whether to set the region's API Gateway account CloudWatch role (`AWS::ApiGateway::Account`), which API Gateway
   * needs before a stage with execution or access logging deploys. The setting is shared by every API of the account
   * and region: let one stack own it.
   * @default false (the role must already be set, see the README)
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
}

const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'ANY'];
const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
const DEFAULT_RATE_LIMIT = 100;
const DEFAULT_BURST_LIMIT = 200;
const DEFAULT_WEB_ACL_RATE_LIMIT = 2000;
const JSON_CONTENT_TYPE = 'application/json';

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

/**
 * A REST API (REGIONAL) whose requests are validated before Lambda runs: JSON-schema body models and required
 * parameters checked by the API's own validators, IAM (or Cognito) authorization by default, CORS with explicit
 * origins also on API Gateway's JSON error responses, stage throttling, JSON access logs and execution logs in
 * KMS-encrypted log groups, X-Ray, a WAFv2 web ACL, an optional encrypted cache and custom domain, a health route
 * and URL outputs.
 */
export class ValidatedRestApi extends Construct {
  /** The REST API. */
  public readonly restApi: apigw.RestApi;
  /** The deployed stage. */
  public readonly stage: apigw.Stage;
  /** The URL clients use: the custom domain's when one is configured, the stage's execute-api URL otherwise. */
  public readonly url: string;
  /** The execute-api URL of the stage (unusable when `disableExecuteApiEndpoint` is set). */
  public readonly executeApiUrl: string;
  /** The custom domain's URL, if a custom domain is configured. */
  public readonly domainUrl?: string;
  /** The KMS-encrypted log group receiving JSON access logs. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The KMS-encrypted log group API Gateway writes execution logs to (`API-Gateway-Execution-Logs_<api id>/<stage>`). */
  public readonly executionLogGroup: logs.LogGroup;
  /** The key encrypting the log groups. */
  public readonly logEncryptionKey: kms.IKey;
  /** The account-level CloudWatch role, if `accountCloudWatchRole` is on. */
  public readonly accountCloudWatchRole?: iam.Role;
  /** The custom domain, if configured. */
  public readonly domain?: apigw.DomainName;
  /** The custom domain's certificate (given or created), if a custom domain is configured. */
  public readonly certificate?: acm.ICertificate;
  /** The created web ACL, if `createWebAcl` is on. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The ARN of the web ACL associated with the stage, if any. */
  public readonly webAclArn?: string;
  /** The validator checking bodies and parameters, shared by every route with a request schema. */
  public readonly bodyAndParametersValidator: apigw.RequestValidator;
  /** The validator checking parameters only, shared by every route with required parameters and no schema. */
  public readonly parametersValidator: apigw.RequestValidator;
  /** The health route's method, if `healthCheck` is on. */
  public readonly healthMethod?: apigw.Method;
  /** The allowed CORS origins (empty without CORS). */
  public readonly corsAllowOrigins: string[];
  /**
   * The file name, in the cloud assembly directory, of the OpenAPI 3.0 document written at synthesis:
   * `<stack artifact id>.openapi.json` (`<stack artifact id>.<construct id>.openapi.json` for a stack's further APIs).
   */
  public readonly openApiDocumentFile?: string;

  private readonly defaultAuthorization: ApiAuthorization;
  private readonly cacheEnabled: boolean;
  private readonly routes = new Set<string>();
  private readonly cognitoAuthorizers = new Map<cognito.IUserPool, apigw.CognitoUserPoolsAuthorizer>();
  /** Response models by their schema, so that routes answering the same body share one model. */
  private readonly responseModels = new Map<string, apigw.Model>();

  constructor(scope: Construct, id: string, props: ValidatedRestApiProps = {}) {
    super(scope, id);
    validateProps(props);

    const stageName = props.stageName ?? 'prod';
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const logRemovalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;
    this.defaultAuthorization = props.authorization ?? ApiAuthorization.iam();
    this.cacheEnabled = props.cache !== undefined;
    this.corsAllowOrigins = props.cors?.allowOrigins ?? [];

    this.logEncryptionKey = props.logEncryptionKey
      ?? createRotatedKey(this, 'LogKey', `Encrypts the log groups of ${this.node.path}`, logRemovalPolicy);
    allowCloudWatchLogs(this.logEncryptionKey);
    this.accessLogGroup = createEncryptedLogGroup(this, 'AccessLogs', {
      encryptionKey: this.logEncryptionKey,
      retention: logRetention,
      removalPolicy: logRemovalPolicy,
    });

    this.restApi = new apigw.RestApi(this, 'Api', {
      restApiName: props.restApiName,
      description: props.description,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
      // CDK's account role carries an AWS-managed policy; accountCloudWatchRole sets one with a customer-managed policy.
      cloudWatchRole: false,
      binaryMediaTypes: props.binaryMediaTypes,
      minCompressionSize: props.minCompressionSize,
      defaultCorsPreflightOptions: props.cors && corsPreflightOptions(props.cors),
      deployOptions: this.stageOptions(stageName, props),
      endpointExportName: this.urlExportName(props),
    });
    this.stage = this.restApi.deploymentStage;
    this.executeApiUrl = this.restApi.url;

    this.executionLogGroup = createEncryptedLogGroup(this, 'ExecutionLogs', {
      // API Gateway writes to this fixed name; creating it first gives it encryption and retention.
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${stageName}`,
      encryptionKey: this.logEncryptionKey,
      retention: logRetention,
      removalPolicy: logRemovalPolicy,
    });
    this.stage.node.addDependency(this.executionLogGroup);
    if (props.accountCloudWatchRole) {
      const accountRole = new AccountCloudWatchRole(this, 'AccountCloudWatchRole');
      this.stage.node.addDependency(accountRole.account);
      this.accountCloudWatchRole = accountRole.role;
    }

    this.bodyAndParametersValidator = this.restApi.addRequestValidator('BodyAndParametersValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.parametersValidator = this.restApi.addRequestValidator('ParametersValidator', {
      validateRequestBody: false,
      validateRequestParameters: true,
    });

    addJsonGatewayResponses(this.restApi, props.cors && {
      // A gateway response holds static headers only: with several origins, the first one is sent.
      origin: props.cors.allowOrigins[0],
      allowCredentials: props.cors.allowCredentials ?? false,
      exposeHeaders: props.cors.exposeHeaders,
    });

    this.acknowledgeStageFindings(props);

    const webAcl = this.configureWebAcl(props, logRetention, logRemovalPolicy);
    this.webAcl = webAcl.webAcl;
    this.webAclArn = webAcl.webAclArn;

    if (props.healthCheck ?? true) {
      this.healthMethod = this.addHealthRoute(
        props.healthCheckPath ?? '/health',
        props.healthCheckAuthorization ?? ApiAuthorization.none(),
      );
    }

    if (props.customDomain) {
      const domain = this.addCustomDomain(props.customDomain);
      this.domain = domain.domain;
      this.certificate = domain.certificate;
      this.domainUrl = domain.url;
    }
    this.url = this.domainUrl ?? this.executeApiUrl;

    this.configureUrlOutputs(props);
    if (props.openApiDocument ?? true) this.openApiDocumentFile = writeOpenApiDocumentAtSynthesis(this.restApi, id);
  }

  /**
   * Routes `method path` to the given function (use its alias) through a Lambda proxy integration.
   * The function may be invoked by this method of this API only. Bodies matching `options.requestSchema` and the
   * required parameters are checked by the API's validators before the function runs.
   *
   * @param path the resource path, e.g. `/items/{id}`
   * @param method the HTTP method: GET, POST, PUT, PATCH, DELETE, HEAD or ANY
   * @param handler the function (or alias) to invoke
   * @param options validation and authorization of the route
   */
  public addRoute(path: string, method: string, handler: lambda.IFunction, options: ApiRouteOptions = {}): apigw.Method {
    const httpMethod = method.toUpperCase();
    const route = `${httpMethod} ${path}`;
    validateRoute(path, httpMethod, options, route);
    this.claimRoute(route);

    const requestParameters = routeRequestParameters(path, options);
    const resource = this.restApi.root.resourceForPath(path);
    const integration = new apigw.LambdaIntegration(handler, {
      proxy: true,
      // Only the deployed stage may invoke the function, not the console's test invocations.
      allowTestInvoke: false,
      cacheKeyParameters: this.cacheEnabled ? Object.keys(requestParameters) : undefined,
    });

    const methodOptions: apigw.MethodOptions = {
      ...this.authorizationOptions(options.authorization ?? this.defaultAuthorization),
      requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      requestValidator: options.requestSchema
        ? this.bodyAndParametersValidator
        : Object.keys(requestParameters).length > 0 ? this.parametersValidator : undefined,
      requestModels: options.requestSchema
        ? { [JSON_CONTENT_TYPE]: this.addRequestModel(route, options.requestSchema) }
        : undefined,
      methodResponses: options.responses?.map((response) => this.methodResponse(route, response)),
    };
    const apiMethod = resource.addMethod(httpMethod, integration, methodOptions);
    this.acknowledgeAuthorizationFindings(apiMethod, options.authorization ?? this.defaultAuthorization);
    return apiMethod;
  }

  /**
   * Allows the grantee to call the API with IAM authorization (`execute-api:Invoke`).
   *
   * @param grantee the principal to allow
   * @param method the HTTP method to allow, `*` for all
   * @param path the resource path to allow, e.g. `/items/*`; `/*` for all
   */
  public grantInvoke(grantee: iam.IGrantable, method: string = '*', path: string = '/*'): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.restApi.arnForExecuteApi(method, path, this.stage.stageName)],
    });
  }

  private stageOptions(stageName: string, props: ValidatedRestApiProps): apigw.StageOptions {
    const cacheTtl = props.cache?.ttl ?? Duration.minutes(5);
    return {
      stageName,
      tracingEnabled: props.tracingEnabled ?? true,
      loggingLevel: props.executionLoggingLevel ?? apigw.MethodLoggingLevel.ERROR,
      dataTraceEnabled: props.dataTraceEnabled ?? false,
      metricsEnabled: true,
      throttlingRateLimit: props.throttling?.rateLimit ?? DEFAULT_RATE_LIMIT,
      throttlingBurstLimit: props.throttling?.burstLimit ?? DEFAULT_BURST_LIMIT,
      accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
      accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      clientCertificateId: props.clientCertificateId,
      ...(props.cache ? {
        cacheClusterEnabled: true,
        cacheClusterSize: props.cache.clusterSize ?? '0.5',
        cachingEnabled: true,
        cacheDataEncrypted: true,
        cacheTtl,
      } : {}),
    };
  }

  private authorizationOptions(authorization: ApiAuthorization): apigw.MethodOptions {
    if (authorization.authorizationType !== apigw.AuthorizationType.COGNITO) {
      return { authorizationType: authorization.authorizationType };
    }
    return {
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizer: this.cognitoAuthorizer(authorization.userPool!),
      authorizationScopes: authorization.authorizationScopes,
    };
  }

  /** One authorizer per user pool, created on first use (an authorizer no method uses fails synthesis). */
  private cognitoAuthorizer(userPool: cognito.IUserPool): apigw.CognitoUserPoolsAuthorizer {
    let authorizer = this.cognitoAuthorizers.get(userPool);
    if (!authorizer) {
      authorizer = new apigw.CognitoUserPoolsAuthorizer(this, `CognitoAuthorizer${this.cognitoAuthorizers.size}`, {
        cognitoUserPools: [userPool],
      });
      this.cognitoAuthorizers.set(userPool, authorizer);
    }
    return authorizer;
  }

  private addRequestModel(route: string, schema: apigw.JsonSchema): apigw.Model {
    const [method, path] = route.split(' ');
    const baseId = `${routeIdentifier(method, path)}Model`;
    let id = baseId;
    for (let n = 2; this.restApi.node.tryFindChild(id); n++) id = `${baseId}${n}`;
    return this.restApi.addModel(id, {
      contentType: JSON_CONTENT_TYPE,
      description: `Request body of ${route}`,
      schema,
    });
  }

  private methodResponse(route: string, response: ApiRouteResponse): apigw.MethodResponse {
    if (!response.schema) return { statusCode: response.statusCode };
    const key = JSON.stringify(response.schema);
    let model = this.responseModels.get(key);
    if (!model) {
      const [method, path] = route.split(' ');
      model = this.restApi.addModel(`${routeIdentifier(method, path)}${response.statusCode}ResponseModel`, {
        contentType: JSON_CONTENT_TYPE,
        description: `Response body of ${route} (${response.statusCode})`,
        schema: response.schema,
      });
      this.responseModels.set(key, model);
    }
    return { statusCode: response.statusCode, responseModels: { [JSON_CONTENT_TYPE]: model } };
  }

  private claimRoute(route: string): void {
    if (this.routes.has(route)) {
      throw new Error(`ValidatedRestApi: the route ${route} is already defined; add each path and method once.`);
    }
    this.routes.add(route);
  }

  private addHealthRoute(path: string, authorization: ApiAuthorization): apigw.Method {
    const route = `GET ${path}`;
    validateRoute(path, 'GET', {}, route, 'healthCheckPath');
    this.claimRoute(route);
    const healthMethod = this.restApi.root.resourceForPath(path).addMethod('GET', new apigw.MockIntegration({
      passthroughBehavior: apigw.PassthroughBehavior.NEVER,
      requestTemplates: { [JSON_CONTENT_TYPE]: '{"statusCode": 200}' },
      integrationResponses: [{ statusCode: '200', responseTemplates: { [JSON_CONTENT_TYPE]: '{"status":"ok"}' } }],
    }), {
      ...this.authorizationOptions(authorization),
      methodResponses: [{ statusCode: '200', responseModels: { [JSON_CONTENT_TYPE]: apigw.Model.EMPTY_MODEL } }],
    });
    if (authorization.authorizationType === apigw.AuthorizationType.NONE) {
      const reason = 'The health route answers a constant {"status":"ok"} from a MOCK integration (no backend, no data) '
        + 'so that load balancers and uptime monitors, which cannot sign requests, can reach it; '
        + 'set healthCheckAuthorization to protect it.';
      Validations.of(healthMethod).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      Validations.of(healthMethod).acknowledge({ id: 'AwsSolutions-COG4', reason });
    } else {
      this.acknowledgeAuthorizationFindings(healthMethod, authorization);
    }
    return healthMethod;
  }

  private acknowledgeAuthorizationFindings(apiMethod: apigw.Method, authorization: ApiAuthorization): void {
    if (authorization.authorizationType === apigw.AuthorizationType.IAM) {
      Validations.of(apiMethod).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'The method uses IAM (SigV4) authorization, the default; ApiAuthorization.cognito() selects a '
          + 'Cognito user pool authorizer instead.',
      });
    }
  }

  /** Findings on the stage that a documented prop removes. */
  private acknowledgeStageFindings(props: ValidatedRestApiProps): void {
    if (!props.cache) {
      for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
        Validations.of(this.stage).acknowledge({
          id: `${pack}-APIGWCacheEnabledAndEncrypted`,
          reason: 'Caching is off by default: cached responses are shared across callers and cost an hourly cache '
            + 'cluster; the cache prop turns on an encrypted cache.',
        });
      }
    }
    if (!props.clientCertificateId) {
      for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
        Validations.of(this.stage).acknowledge({
          id: `${pack}-APIGWSSLEnabled`,
          reason: 'A client certificate authenticates API Gateway to HTTP backends; Lambda and MOCK integrations do not '
            + 'use one. The clientCertificateId prop sets one for HTTP integrations.',
        });
      }
    }
  }

  private configureWebAcl(props: ValidatedRestApiProps, logRetention: logs.RetentionDays, logRemovalPolicy: RemovalPolicy) {
    let webAcl: wafv2.CfnWebACL | undefined;
    let webAclArn = props.webAclArn;
    if (props.createWebAcl ?? props.webAclArn === undefined) {
      webAcl = new RegionalWebAcl(this, 'WebAcl', {
        rateLimit: props.webAclRateLimit ?? DEFAULT_WEB_ACL_RATE_LIMIT,
        maxBodyBytes: (props.maxRequestBodySize ?? DEFAULT_MAX_REQUEST_BODY).toBytes(),
        logEncryptionKey: this.logEncryptionKey,
        logRetention,
        logRemovalPolicy,
      }).webAcl;
      webAclArn = webAcl.attrArn;
    }
    if (webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.stage.stageArn,
        webAclArn,
      });
    }
    return { webAcl, webAclArn };
  }

  private addCustomDomain(customDomain: ApiCustomDomain) {
    const certificate = customDomain.certificate ?? new acm.Certificate(this, 'Certificate', {
      domainName: customDomain.domainName,
      validation: acm.CertificateValidation.fromDns(customDomain.hostedZone),
    });
    const domain = new apigw.DomainName(this, 'Domain', {
      domainName: customDomain.domainName,
      certificate,
      endpointType: apigw.EndpointType.REGIONAL,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });
    domain.addBasePathMapping(this.restApi, { basePath: customDomain.basePath, stage: this.stage });

    if (customDomain.hostedZone) {
      const target = route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain));
      new route53.ARecord(this, 'DomainARecord', { zone: customDomain.hostedZone, recordName: customDomain.domainName, target });
      new route53.AaaaRecord(this, 'DomainAaaaRecord', { zone: customDomain.hostedZone, recordName: customDomain.domainName, target });
    }
    const basePath = customDomain.basePath ? `${customDomain.basePath}/` : '';
    return { domain, certificate, url: `https://${customDomain.domainName}/${basePath}` };
  }

  /** The exports of the URL outputs, `undefined` when `exportUrl` is off. */
  private urlExportName(props: ValidatedRestApiProps): string | undefined {
    if (!(props.exportUrl ?? true)) return undefined;
    return props.urlExportName ?? `${Stack.of(this).stackName}-${this.node.id.replace(/[^A-Za-z0-9-]/g, '')}-Url`;
  }

  /** RestApi always outputs its stage URL as `Endpoint`; the custom domain gets its own output. */
  private configureUrlOutputs(props: ValidatedRestApiProps): void {
    const endpointOutput = this.restApi.node.findChild('Endpoint') as CfnOutput;
    if (props.disableExecuteApiEndpoint) {
      this.restApi.node.tryRemoveChild('Endpoint');
    } else {
      endpointOutput.description = 'URL of the API stage';
    }
    if (this.domainUrl) {
      const exportName = this.urlExportName(props);
      new CfnOutput(this, 'DomainUrl', {
        value: this.domainUrl,
        description: 'URL of the API on its custom domain',
        exportName: exportName && `${exportName}-Domain`,
      });
    }
  }
}

function corsPreflightOptions(cors: ApiCorsOptions): apigw.CorsOptions {
  return {
    allowOrigins: cors.allowOrigins,
    allowMethods: cors.allowMethods ?? apigw.Cors.ALL_METHODS,
    allowHeaders: cors.allowHeaders ?? apigw.Cors.DEFAULT_HEADERS,
    exposeHeaders: cors.exposeHeaders,
    allowCredentials: cors.allowCredentials ?? false,
    maxAge: cors.maxAge ?? Duration.hours(1),
  };
}

/** Every request parameter of the route: path parameters and the listed required ones (true), the optional ones (false). */
function routeRequestParameters(path: string, options: ApiRouteOptions): Record<string, boolean> {
  const parameters: Record<string, boolean> = {};
  for (const name of pathParameters(path)) parameters[`method.request.path.${name}`] = true;
  for (const name of options.requiredQueryStrings ?? []) parameters[`method.request.querystring.${name}`] = true;
  for (const name of options.requiredHeaders ?? []) parameters[`method.request.header.${name}`] = true;
  for (const name of options.optionalQueryStrings ?? []) parameters[`method.request.querystring.${name}`] ??= false;
  for (const name of options.optionalHeaders ?? []) parameters[`method.request.header.${name}`] ??= false;
  return parameters;
}

function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1]);
}

function validateRoute(path: string, method: string, options: ApiRouteOptions, route: string, pathProp = 'path'): void {
  if (!/^\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_.-]+\+?\})?(\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_.-]+\+?\}))*$/.test(path)) {
    throw new Error(`ValidatedRestApi: ${pathProp} "${path}" is not a resource path; use segments like /items/{id} `
      + '(leading slash, no trailing slash, no empty segments).');
  }
  if (!ROUTE_METHODS.includes(method)) {
    throw new Error(`ValidatedRestApi: method "${method}" of ${route} is not supported; use one of ${ROUTE_METHODS.join(', ')} `
      + '(OPTIONS is answered by the CORS preflight).');
  }
  if (options.requestSchema && (method === 'GET' || method === 'HEAD')) {
    throw new Error(`ValidatedRestApi: options.requestSchema of ${route} validates a body, which ${method} requests do not carry; `
      + 'use requiredQueryStrings instead.');
  }
  validateParameterNames(options, route);
  const declared = new Set(pathParameters(path));
  for (const name of options.requiredPathParameters ?? []) {
    if (!declared.has(name)) {
      throw new Error(`ValidatedRestApi: options.requiredPathParameters of ${route} names "${name}", which is not a {${name}} `
        + 'segment of the path; add it to the path or remove it.');
    }
  }
}

function validateMaxRequestBodySize(props: ValidatedRestApiProps): void {
  if (props.maxRequestBodySize === undefined) return;
  const bytes = props.maxRequestBodySize.toBytes();
  const createsWebAcl = props.createWebAcl ?? props.webAclArn === undefined;
  const max = createsWebAcl ? MAX_INSPECTED_BODY_BYTES : API_GATEWAY_MAX_PAYLOAD_BYTES;
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > max) {
    throw new Error(`ValidatedRestApi: maxRequestBodySize (${bytes} bytes) must be from 1 to ${max} bytes`
      + (createsWebAcl ? ' with a created web ACL (the most WAF inspects of an API Gateway body).' : ' (API Gateway\'s payload quota).'));
  }
}

/** Query string and header names a method request can declare; a name both required and optional is a mistake. */
function validateParameterNames(options: ApiRouteOptions, route: string): void {
  const lists: [keyof ApiRouteOptions, string[] | undefined][] = [
    ['requiredQueryStrings', options.requiredQueryStrings], ['optionalQueryStrings', options.optionalQueryStrings],
    ['requiredHeaders', options.requiredHeaders], ['optionalHeaders', options.optionalHeaders],
  ];
  for (const [prop, names] of lists) {
    for (const name of names ?? []) {
      if (!/^[A-Za-z0-9_.~-]{1,128}$/.test(name)) {
        throw new Error(`ValidatedRestApi: options.${prop} of ${route} names "${name}"; use letters, digits and _ . ~ - only.`);
      }
    }
  }
  const both = (required?: string[], optional?: string[]) => (required ?? []).filter((name) => (optional ?? []).includes(name));
  const twice = [...both(options.requiredQueryStrings, options.optionalQueryStrings), ...both(options.requiredHeaders, options.optionalHeaders)];
  for (const name of twice) {
    throw new Error(`ValidatedRestApi: "${name}" of ${route} is listed as both required and optional; keep it in one list.`);
  }
}

function validateProps(props: ValidatedRestApiProps): void {
  if (props.cors) validateCors(props.cors);
  if (props.stageName !== undefined && !Token.isUnresolved(props.stageName) && !/^[A-Za-z0-9_-]{1,128}$/.test(props.stageName)) {
    throw new Error(`ValidatedRestApi: stageName "${props.stageName}" is invalid; use 1 to 128 letters, digits, hyphens or underscores.`);
  }
  validateThrottling(props.throttling);
  if (props.cache) validateCache(props.cache);
  if (props.createWebAcl && props.webAclArn !== undefined) {
    throw new Error('ValidatedRestApi: createWebAcl and webAclArn are mutually exclusive; '
      + 'remove webAclArn to create a web ACL, or createWebAcl to associate the given one.');
  }
  validateMaxRequestBodySize(props);
  const rateLimit = props.webAclRateLimit;
  if (rateLimit !== undefined && !Token.isUnresolved(rateLimit) && (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000)) {
    throw new Error(`ValidatedRestApi: webAclRateLimit (${rateLimit}) must be an integer from 10 to 2000000000 requests per 5 minutes.`);
  }
  if (props.disableExecuteApiEndpoint && !props.customDomain) {
    throw new Error('ValidatedRestApi: disableExecuteApiEndpoint leaves the API unreachable without customDomain; '
      + 'set customDomain or keep the default endpoint.');
  }
  if (props.customDomain && !props.customDomain.certificate && !props.customDomain.hostedZone) {
    throw new Error(`ValidatedRestApi: customDomain.certificate is required when customDomain.hostedZone is not given (${props.customDomain.domainName}); `
      + 'pass a certificate, or a hosted zone to create a DNS-validated one.');
  }
  const zoneName = props.customDomain?.hostedZone?.zoneName;
  const domainName = props.customDomain?.domainName;
  if (zoneName && domainName && !Token.isUnresolved(zoneName) && !Token.isUnresolved(domainName)
    && domainName !== zoneName && !domainName.endsWith(`.${zoneName}`)) {
    throw new Error(`ValidatedRestApi: customDomain.domainName "${domainName}" is not in customDomain.hostedZone "${zoneName}"; `
      + 'use a name inside the zone or the zone of the name.');
  }
}

function validateCors(cors: ApiCorsOptions): void {
  const origins = cors.allowOrigins;
  if (origins.length === 0) {
    throw new Error('ValidatedRestApi: cors.allowOrigins is empty; list the origins allowed to call the API (e.g. https://app.example.com) or omit cors.');
  }
  if (origins.includes('*')) {
    if (cors.allowCredentials) {
      throw new Error("ValidatedRestApi: cors.allowOrigins '*' cannot be combined with cors.allowCredentials (browsers reject it); "
        + 'list the explicit origins or turn allowCredentials off.');
    }
    if (origins.length > 1) {
      throw new Error("ValidatedRestApi: cors.allowOrigins mixes '*' with explicit origins; use either '*' alone or explicit origins.");
    }
  }
  for (const origin of origins) {
    if (origin !== '*' && !Token.isUnresolved(origin) && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) {
      throw new Error(`ValidatedRestApi: cors.allowOrigins entry "${origin}" is not an origin; use scheme://host[:port] `
        + 'without path or trailing slash, e.g. https://app.example.com.');
    }
  }
  for (const method of cors.allowMethods ?? []) {
    if (!CORS_METHODS.includes(method)) {
      throw new Error(`ValidatedRestApi: cors.allowMethods entry "${method}" is not an HTTP method; use ${CORS_METHODS.join(', ')}.`);
    }
  }
  if (cors.maxAge && !cors.maxAge.isUnresolved() && cors.maxAge.toSeconds() > 86400) {
    throw new Error(`ValidatedRestApi: cors.maxAge (${cors.maxAge.toSeconds()} s) exceeds one day, more than browsers honour; lower it.`);
  }
}

function validateThrottling(throttling?: ApiThrottling): void {
  const rate = throttling?.rateLimit;
  if (rate !== undefined && !Token.isUnresolved(rate) && rate < 0) {
    throw new Error(`ValidatedRestApi: throttling.rateLimit (${rate}) must be >= 0 requests per second.`);
  }
  const burst = throttling?.burstLimit;
  if (burst !== undefined && !Token.isUnresolved(burst) && (burst < 0 || !Number.isInteger(burst))) {
    throw new Error(`ValidatedRestApi: throttling.burstLimit (${burst}) must be a whole number >= 0.`);
  }
}

function validateCache(cache: ApiCacheOptions): void {
  if (cache.clusterSize !== undefined && !CACHE_CLUSTER_SIZES.includes(cache.clusterSize)) {
    throw new Error(`ValidatedRestApi: cache.clusterSize "${cache.clusterSize}" is not a cache size; use one of ${CACHE_CLUSTER_SIZES.join(', ')}.`);
  }
  if (cache.ttl && !cache.ttl.isUnresolved() && cache.ttl.toSeconds() > 3600) {
    throw new Error(`ValidatedRestApi: cache.ttl (${cache.ttl.toSeconds()} s) exceeds API Gateway's maximum of 3600 s; lower it.`);
  }
}

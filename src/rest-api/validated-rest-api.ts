import { CfnElement } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledgeStageFindings } from './api-acknowledgements';
import { ApiAuthorization } from './api-authorization';
import { addCustomDomain } from './api-domain';
import { addExecutionLogging, apiLogSettings } from './api-logging';
import { stageMetric } from './api-metrics';
import { ApiRouteOptions } from './api-options';
import { configureUrlOutputs } from './api-outputs';
import { RouteMethods } from './api-route-methods';
import { restApiProps } from './api-stage-options';
import { validateApiProps } from './api-validation';
import { addJsonGatewayResponses, gatewayResponseCors } from './gateway-responses';
import { writeOpenApiDocumentAtSynthesis } from './openapi-synthesis';
import { applyTags, createEncryptedLogGroup, pinLogicalIdWhenFinal } from '../core';
import { resolveRestApiProps } from './rest-api-defaults';
import { ValidatedRestApiProps } from './validated-rest-api-props';
import { configureStageWebAcl } from './web-acl';

/**
 * A REST API (REGIONAL) whose requests are validated before Lambda runs: JSON-schema body models and required
 * parameters checked by the API's own validators, IAM (or Cognito) authorization by default, CORS with explicit
 * origins also on API Gateway's JSON error responses, stage throttling, JSON access logs and execution logs in
 * KMS-encrypted log groups, X-Ray, a WAFv2 web ACL, an optional encrypted cache and custom domain, a health route
 * and URL outputs.
 *
 * - **Validation**: `addRoute(path, method, handler, options)` attaches `options.requestSchema` (JSON schema) as an
 *   `application/json` model and marks path parameters, `requiredQueryStrings` and `requiredHeaders` as required;
 *   `optionalQueryStrings` and `optionalHeaders` declare what the route reads when present (`GET /items` of
 *   `ServerlessService` declares `limit` and `nextToken`). Two
 *   validators belong to the API and are shared by all routes: body + parameters (routes with a schema) and
 *   parameters only. The integration is a Lambda proxy to exactly the function you pass (pass the `live` alias); the
 *   Lambda permission is scoped to that method of this API's stage (no console test-invoke permission). A path and
 *   method can be added once.
 * - **Documentation**: `options.optionalQueryStrings` declares accepted, not required, query strings (part of the cache
 *   key), and `options.responses` (`{ statusCode, schema? }`) the integration's responses as method responses; both
 *   reach the OpenAPI document written at synthesis (see [docs/local-mode.md](https://github.com/cdk-secure-serverless/cdk-secure-serverless/blob/main/docs/local-mode.md#openapi)).
 * - **Authorization**: `ApiAuthorization.iam()` (SigV4, the default), `ApiAuthorization.cognito(userPool, scopes?)`,
 *   `ApiAuthorization.none()` only when asked for (cdk-nag then reports the open methods: that finding is yours to
 *   accept); per route with `options.authorization`. `grantInvoke(grantee,
 *   method?, path?)` grants `execute-api:Invoke` for IAM-authorized APIs.
 * - **CORS**: `cors.allowOrigins` lists explicit origins; `*` with `allowCredentials`, an empty list, `*` mixed with
 *   origins, an origin with a path, or an origin with uppercase letters (browsers send the scheme and host in
 *   lowercase, RFC 6454) throws. Every resource gets an OPTIONS preflight (MOCK, 204, no authorization,
 *   whatever the API's authorization). With several origins the preflight echoes the request's origin when it is
 *   listed.
 *   Real (non-preflight) responses of a Lambda-proxy route carry only the headers the function returns: the bundled
 *   items handler adds `Access-Control-Allow-Origin` itself, **your own functions must too** (decision, issue 24).
 *   Give them the API's origins (`api.corsAllowOrigins`) and answer with the request's `Origin` when it is listed, as
 *   the user route of the [README](https://github.com/cdk-secure-serverless/cdk-secure-serverless/blob/main/README.md#validatedrestapi) does.
 * - **Checked at synthesis** (what API Gateway would refuse at deploy or enforce differently): a path variable beside
 *   a sibling variable (`/items/{id}` and `/items/{itemId}/comments`), a request schema that uses a keyword local mode
 *   and the handler do not enforce (`oneOf`, `format`, `uniqueItems`, ...), is not valid draft-04 or cannot be
 *   satisfied (compiled with ajv in draft-04 mode: a pattern that does not compile, an unknown type, an empty enum,
 *   `required` forbidden by `additionalProperties: false`, a minimum above its maximum), a response `statusCode` that is
 *   not three digits from 100 to 599, a `customDomain.domainName` that is not a bare Route 53 / ACM name
 *   (`https://api.example.com` throws, suggesting `api.example.com`), and a token where a literal is needed.
 * - **Error responses**: API Gateway's own 4XX/5XX (authorization failures, throttling, WAF blocks, validation)
 *   answer in the handler's JSON shape `{"error":{"code","message","requestId"}}` with CORS headers,
 *   `X-Content-Type-Options: nosniff` and `Cache-Control: no-store`; failed validation answers 400 with
 *   `error.details` = `$context.error.validationErrorString`. Gateway responses only hold static headers (no request
 *   origin, no template logic), so with several allowed origins they carry the **first** origin: list the origin of
 *   your main browser client first.
 * - **Stage** (`stageName`, default `prod`): X-Ray tracing, execution logging at `ERROR` (data trace off), metrics,
 *   throttling (100 rps, burst 200), JSON access logs (request id, ip, caller, user, time, method, resource path,
 *   status, protocol, response length, latency, integration status/error, error and validation messages, WAF status)
 *   to a KMS-encrypted log group; the execution log group `API-Gateway-Execution-Logs_<api id>/<stage>` is created
 *   beforehand so it is encrypted and has retention too. Logs keep one year and are retained on delete; the key
 *   (created with rotation, or `logEncryptionKey`) lets only CloudWatch Logs of this account and region use it.
 *   `cache` adds an encrypted cache cluster (GET responses shared by all callers with the same path and declared
 *   parameters, every declared query string and header being in the cache key: enable it only for data every caller
 *   may see).
 * - **Execution-logging prerequisite**: API Gateway refuses a stage with logging until the region's account setting
 *   has a CloudWatch role. The construct does not use CDK's `cloudWatchRole: true` (AWS-managed policy). Either set
 *   the role once per account and region outside this stack, or turn on `accountCloudWatchRole: true` in one
 *   stack: it creates the `AWS::ApiGateway::Account` with a role whose customer-managed policy lists exact log actions,
 *   limited to the region. `ServerlessService` turns it on by default, so its first deploy works in a fresh account;
 *   `ValidatedRestApi` leaves it off (the setting is account-wide, one stack should own it). Role, policy and setting
 *   are `RETAIN`ed, as CDK's own `cloudWatchRoleRemovalPolicy` does: deleting the stack must not leave the region
 *   pointing at a deleted role.
 * - **WAF**: by default a regional WAFv2 web ACL with the AWS managed IP reputation, common and known-bad-inputs
 *   rule groups and a per-IP rate rule (`webAclRateLimit`, 2000 per 5 minutes) is created, logged (Authorization
 *   header redacted) to an encrypted `aws-waf-logs-*` log group, and associated with the stage. `webAclArn`
 *   associates an existing web ACL instead; `createWebAcl: false` opts out (cdk-nag then reports it). Its first rule,
 *   `BodySizeLimit`, blocks bodies over `maxRequestBodySize` (default 64 KiB, at most 64 KiB) with `413` and the API's
 *   error body (the web ACL inspects bodies up to that size; above 16 KiB WAF charges for it); the common rule set's
 *   8 KB `SizeRestrictions_BODY` is set to count.
 * - **Custom domain**: `customDomain.domainName` with a `certificate` and/or a `hostedZone` (a DNS-validated
 *   certificate is created when only the zone is given); TLS 1.2 security policy, base path mapping
 *   (`basePath`), an A alias record in the zone (no AAAA: the domain name is IPv4 only). `disableExecuteApiEndpoint` forces clients through the
 *   domain.
 * - **Health route**: `GET /health` is a MOCK integration answering `{"status":"ok"}` without invoking Lambda. It
 *   uses no authorization so load balancers and uptime monitors, which cannot sign requests, reach it (it returns
 *   a constant, is throttled and behind the web ACL); `healthCheckAuthorization`, `healthCheckPath` and
 *   `healthCheck: false` change that.
 * - **Outputs**: the stage URL is output and exported as `<stack>-<id>-Url` (`urlExportName` to rename,
 *   `exportUrl: false` to not export); the custom-domain URL gets its own output (`<export name>-Domain`). `url` is
 *   the URL clients use (the custom domain's when there is one).
 * - Also: `binaryMediaTypes`, `minCompressionSize` (off by default: compressing responses that reflect input next
 *   to secrets enables BREACH-style attacks), `clientCertificateId` for HTTP backends.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as apigw from 'aws-cdk-lib/aws-apigateway';
 * import * as cognito from 'aws-cdk-lib/aws-cognito';
 * import * as lambda from 'aws-cdk-lib/aws-lambda';
 * import * as route53 from 'aws-cdk-lib/aws-route53';
 * import { ApiAuthorization, ValidatedRestApi } from 'cdk-secure-serverless';
 *
 * const app = new App();
 * const stack = new Stack(app, 'ItemsApi', { env: { account: '111111111111', region: 'eu-west-1' } });
 * const itemsFunction = new lambda.Function(stack, 'Items', {
 *   runtime: lambda.Runtime.NODEJS_24_X,
 *   handler: 'index.handler',
 *   code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{}" });'),
 * });
 * const itemsAlias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: itemsFunction.currentVersion });
 * const userPool = new cognito.UserPool(stack, 'Users');
 * const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' });
 *
 * const api = new ValidatedRestApi(stack, 'ItemsApi', {
 *   stageName: 'v1',
 *   authorization: ApiAuthorization.cognito(userPool),
 *   cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true },
 *   throttling: { rateLimit: 50, burstLimit: 100 },
 *   customDomain: { domainName: 'api.example.com', hostedZone: zone },
 *   urlExportName: 'items-api-url',
 * });
 *
 * api.addRoute('/items', 'POST', itemsAlias, {
 *   requestSchema: {
 *     type: apigw.JsonSchemaType.OBJECT,
 *     required: ['name'],
 *     properties: { name: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 200 } },
 *     additionalProperties: false,
 *   },
 * });
 * api.addRoute('/items', 'GET', itemsAlias, { requiredQueryStrings: ['limit'] });
 * api.addRoute('/items/{id}', 'GET', itemsAlias);
 * api.addRoute('/items/{id}', 'DELETE', itemsAlias, { authorization: ApiAuthorization.iam() });
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
   * `<stack artifact id>.<construct path below the stack, ids joined by dots>.openapi.json`, e.g.
   * `orders-prod.Orders.Api.openapi.json`.
   */
  public readonly openApiDocumentFile?: string;

  private readonly routeMethods: RouteMethods;

  constructor(scope: Construct, id: string, props: ValidatedRestApiProps = {}) {
    super(scope, id);
    applyTags(this, props.tags);
    validateApiProps(props, this);
    const resolved = resolveRestApiProps(props);

    this.corsAllowOrigins = resolved.cors?.allowOrigins ?? [];

    const logSettings = apiLogSettings(this, resolved);
    this.logEncryptionKey = logSettings.encryptionKey;
    this.accessLogGroup = createEncryptedLogGroup(this, 'AccessLogs', logSettings);

    this.restApi = new apigw.RestApi(this, 'Api', restApiProps(this, resolved, this.accessLogGroup));
    this.stage = this.restApi.deploymentStage;
    if (this.restApi.latestDeployment) pinLogicalIdWhenFinal(this.restApi.latestDeployment.node.defaultChild as CfnElement);
    this.executeApiUrl = this.restApi.url;

    const executionLogging = addExecutionLogging(this, this.restApi, resolved.stageName, logSettings, resolved.accountCloudWatchRole);
    this.executionLogGroup = executionLogging.logGroup;
    this.accountCloudWatchRole = executionLogging.accountCloudWatchRole;

    this.routeMethods = new RouteMethods(this, this.restApi, {
      defaultAuthorization: resolved.authorization ?? ApiAuthorization.iam(),
      cacheEnabled: resolved.cache !== undefined,
    });
    this.bodyAndParametersValidator = this.routeMethods.bodyAndParametersValidator;
    this.parametersValidator = this.routeMethods.parametersValidator;

    addJsonGatewayResponses(this.restApi, gatewayResponseCors(resolved.cors));

    acknowledgeStageFindings(this.stage, props);

    const webAcl = configureStageWebAcl(this, this.stage, {
      ...resolved,
      logEncryptionKey: logSettings.encryptionKey,
      logRetention: logSettings.retention,
      logRemovalPolicy: logSettings.removalPolicy,
    });
    this.webAcl = webAcl.webAcl;
    this.webAclArn = webAcl.webAclArn;

    if (resolved.healthCheck) {
      this.healthMethod = this.routeMethods.addHealthRoute(
        resolved.healthCheckPath,
        resolved.healthCheckAuthorization ?? ApiAuthorization.none(),
      );
    }

    if (resolved.customDomain) {
      const domain = addCustomDomain(this, this.restApi, this.stage, resolved.customDomain);
      this.domain = domain.domain;
      this.certificate = domain.certificate;
      this.domainUrl = domain.url;
    }
    this.url = this.domainUrl ?? this.executeApiUrl;

    configureUrlOutputs(this, this.restApi, resolved, this.domainUrl);
    if (resolved.openApiDocument) this.openApiDocumentFile = writeOpenApiDocumentAtSynthesis(this.restApi);
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
    return this.routeMethods.addLambdaRoute(path, method, handler, options);
  }

  /**
   * A metric of this API's stage (namespace `AWS/ApiGateway`, dimensions `ApiName` and `Stage`).
   * @default - sum over 5 minutes
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return stageMetric(this.restApi, this.stage, metricName, props);
  }

  /** Requests to the stage (sample count over 5 minutes by default). */
  public metricCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Count', { statistic: cloudwatch.Stats.SAMPLE_COUNT, ...props });
  }

  /** Requests answered 4XX (sum over 5 minutes by default). */
  public metricClientError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('4XXError', props);
  }

  /** Requests answered 5XX (sum over 5 minutes by default). */
  public metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('5XXError', props);
  }

  /** Time from request to response, in ms (average over 5 minutes by default). */
  public metricLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Latency', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /** Time the backend took, in ms (average over 5 minutes by default). */
  public metricIntegrationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('IntegrationLatency', { statistic: cloudwatch.Stats.AVERAGE, ...props });
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
}

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnResource, CfnTemplate, ResolutionContext, UnresolvableError, referencedLogicalId, resolveValue, resourcesOfType } from './template';
import { JsonSchemaSubset } from '../lib/contract/items';
import { belongsToRestApi, methodPath, resourcePaths } from '../lib/openapi';

/** A Lambda function of the template, runnable in this process. */
export interface LocalFunction {
  readonly logicalId: string;
  /** Absolute path of the module that exports the handler. */
  readonly modulePath: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly environment: Record<string, string>;
  /** Variables whose value refers to a resource local mode does not emulate. */
  readonly unresolvedVariables: string[];
  /** Why local mode cannot run this function (its routes answer 502 with this reason); undefined when it runs. */
  readonly unavailable?: string;
}

/** A static response of a MOCK integration. */
export interface MockResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ApiMethod {
  readonly httpMethod: string;
  readonly authorizationType: string;
  /** For COGNITO_USER_POOLS: the ARNs of the user pools whose tokens the method's authorizer accepts. */
  readonly userPoolArns: string[];
  /** For COGNITO_USER_POOLS: OAuth scopes an access token must carry (empty: an ID token is expected). */
  readonly authorizationScopes: string[];
  readonly integrationType: string;
  readonly function?: LocalFunction;
  readonly mockResponse?: MockResponse;
  /** Request body JSON schemas by content type. */
  readonly requestModels: Record<string, JsonSchemaSubset>;
  readonly validateBody: boolean;
  readonly validateParameters: boolean;
  /** Required parameters as `path.id`, `querystring.limit` or `header.x-name`. */
  readonly requiredParameters: string[];
}

export interface ApiResource {
  /** The resource path with its `{param}` segments, e.g. `/items/{id}`. */
  readonly path: string;
  readonly methods: Map<string, ApiMethod>;
}

export interface GatewayResponse {
  readonly statusCode?: number;
  readonly headers: Record<string, string>;
  readonly template?: string;
}

/** Everything the local gateway serves for one REST API of the template. */
export interface RestApiDefinition {
  readonly name: string;
  readonly stageName: string;
  readonly resources: ApiResource[];
  readonly gatewayResponses: Map<string, GatewayResponse>;
}

/** `'value'` in a mapping expression is a static value; anything else (e.g. `method.request.header.x`) is not served. */
function staticMappings(parameters: Record<string, string> | undefined, prefix: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters ?? {})) {
    const match = /^'(.*)'$/s.exec(String(value));
    if (key.startsWith(prefix) && match) headers[key.slice(prefix.length)] = match[1];
  }
  return headers;
}

/**
 * Inline code (`Code.fromInline`, `ZipFile`) as Lambda stores it: the text in a file named index.js. Written to a
 * folder named by the code's hash, so the same code is one module.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-code.html
 */
function inlineCodeFolder(code: string): string {
  const dir = join(tmpdir(), 'cdk-secure-serverless-inline', createHash('sha256').update(code).digest('hex').slice(0, 16));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), code);
  return dir;
}

/** The folder with the function's code, or why local mode has none. */
function codeFolder(resource: CfnResource, assemblyDir: string, context: ResolutionContext): { dir?: string; unavailable?: string } {
  const props = resource.Properties ?? {};
  if (props.PackageType === 'Image') return { unavailable: 'a container image function is not run in local mode' };
  if (props.Runtime !== undefined && !String(props.Runtime).startsWith('nodejs')) {
    return { unavailable: `runtime ${props.Runtime} is not run in local mode (Node.js runtimes only)` };
  }
  if (props.Code?.ZipFile !== undefined) {
    try {
      return { dir: inlineCodeFolder(String(resolveValue(props.Code.ZipFile, context))) };
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error;
      return { unavailable: `its inline code refers to a resource local mode does not emulate (${error.message})` };
    }
  }
  // Asset metadata when the app was synthesized with it (the CDK CLI's default), else the asset named by the S3 key.
  const s3Key = /^([0-9a-f]{64})\.zip$/.exec(String(props.Code?.S3Key ?? ''));
  const assetPath: string | undefined = resource.Metadata?.['aws:asset:path'] ?? (s3Key ? `asset.${s3Key[1]}` : undefined);
  if (!assetPath || !existsSync(join(assemblyDir, assetPath))) return { unavailable: 'its code is neither inline nor a local asset (aws:asset:path)' };
  return { dir: join(assemblyDir, assetPath) };
}

/** The handler module as the Lambda Node.js runtime looks for it: `<file>.js`, `.mjs`, then `.cjs`. */
function handlerModule(dir: string, file: string): string | undefined {
  return ['.js', '.mjs', '.cjs'].map((ext) => join(dir, file + ext)).find((candidate) => existsSync(candidate));
}

function localFunction(template: CfnTemplate, logicalId: string, assemblyDir: string, context: ResolutionContext): LocalFunction {
  const resource = template.Resources[logicalId];
  const props = resource.Properties ?? {};
  const handler = String(props.Handler ?? 'index.handler');
  const separator = handler.lastIndexOf('.');
  const code = codeFolder(resource, assemblyDir, context);
  const modulePath = code.dir ? handlerModule(code.dir, handler.slice(0, separator)) : undefined;
  const unavailable = code.unavailable ?? (modulePath ? undefined : `no ${handler.slice(0, separator)}.js, .mjs or .cjs in its code (handler ${handler})`);
  const environment: Record<string, string> = {};
  const unresolvedVariables: string[] = [];
  for (const [name, value] of Object.entries<unknown>(props.Environment?.Variables ?? {})) {
    try {
      environment[name] = String(resolveValue(value, context));
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error;
      unresolvedVariables.push(name);
    }
  }
  const timeoutSeconds = Number(props.Timeout ?? 3);
  return { logicalId, modulePath: modulePath ?? '', exportName: handler.slice(separator + 1), timeoutSeconds, environment, unresolvedVariables, unavailable };
}

/** The function behind a Lambda proxy integration URI (which names the function, an alias or a version). */
function integratedFunctionId(template: CfnTemplate, uri: unknown): string | undefined {
  const candidates: string[] = [];
  const collect = (value: unknown): void => {
    const id = referencedLogicalId(value);
    if (id) candidates.push(id);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  collect(uri);
  for (const id of candidates) {
    const resource: CfnResource | undefined = template.Resources[id];
    if (resource?.Type === 'AWS::Lambda::Function') return id;
    if (resource?.Type === 'AWS::Lambda::Alias' || resource?.Type === 'AWS::Lambda::Version') {
      return referencedLogicalId(resource.Properties?.FunctionName);
    }
  }
  return undefined;
}

function mockResponse(integration: Record<string, any>): MockResponse {
  const responses: Record<string, any>[] = integration.IntegrationResponses ?? [];
  const chosen = responses.find((response) => !response.SelectionPattern) ?? responses[0] ?? { StatusCode: '200' };
  return {
    statusCode: Number(chosen.StatusCode),
    headers: staticMappings(chosen.ResponseParameters, 'method.response.header.'),
    body: chosen.ResponseTemplates?.['application/json'] ?? '',
  };
}

/** The user pool ARNs of a Cognito authorizer, resolved against the emulated pools (unresolvable ones are left out). */
function authorizerUserPoolArns(template: CfnTemplate, authorizerRef: unknown, context: ResolutionContext): string[] {
  const authorizer = template.Resources[referencedLogicalId(authorizerRef) ?? ''];
  return (authorizer?.Properties?.ProviderARNs ?? []).flatMap((arn: unknown) => {
    try {
      return [String(resolveValue(arn, context))];
    } catch (error) {
      if (error instanceof UnresolvableError) return [];
      throw error;
    }
  });
}

/** Reads one REST API (routes, models, validators, gateway responses, integrations) from the template. */
export function readRestApi(template: CfnTemplate, apiId: string, assemblyDir: string, context: ResolutionContext): RestApiDefinition {
  const belongs = (r: CfnResource) => belongsToRestApi(r, apiId);
  const paths = resourcePaths(template, apiId);
  const models = new Map(resourcesOfType(template, 'AWS::ApiGateway::Model').map(([id, r]) => [id, r.Properties?.Schema ?? {}]));
  const validators = new Map(resourcesOfType(template, 'AWS::ApiGateway::RequestValidator').map(([id, r]) => [id, r.Properties ?? {}]));
  const functions = new Map<string, LocalFunction>();
  const resources = new Map<string, ApiResource>();

  for (const [, method] of resourcesOfType(template, 'AWS::ApiGateway::Method').filter(([, r]) => belongs(r))) {
    const props = method.Properties!;
    const path = methodPath(paths, method);
    const integration: Record<string, any> = props.Integration ?? {};
    const validator = validators.get(referencedLogicalId(props.RequestValidatorId) ?? '') ?? {};
    let fn: LocalFunction | undefined;
    if (integration.Type === 'AWS_PROXY') {
      const functionId = integratedFunctionId(template, integration.Uri);
      if (functionId) {
        fn = functions.get(functionId) ?? localFunction(template, functionId, assemblyDir, context);
        functions.set(functionId, fn);
      }
    }
    const requestModels = Object.fromEntries(Object.entries<unknown>(props.RequestModels ?? {})
      .map(([contentType, model]) => [contentType, models.get(referencedLogicalId(model) ?? '')])
      .filter(([, schema]) => schema !== undefined));
    const apiResource = resources.get(path) ?? { path, methods: new Map() };
    resources.set(path, apiResource);
    apiResource.methods.set(String(props.HttpMethod).toUpperCase(), {
      httpMethod: String(props.HttpMethod).toUpperCase(),
      authorizationType: props.AuthorizationType ?? 'NONE',
      userPoolArns: authorizerUserPoolArns(template, props.AuthorizerId, context),
      authorizationScopes: (props.AuthorizationScopes ?? []).map(String),
      integrationType: integration.Type ?? 'MOCK',
      function: fn,
      mockResponse: integration.Type === 'MOCK' ? mockResponse(integration) : undefined,
      requestModels,
      validateBody: validator.ValidateRequestBody === true,
      validateParameters: validator.ValidateRequestParameters === true,
      requiredParameters: Object.entries<unknown>(props.RequestParameters ?? {})
        .filter(([, required]) => required === true)
        .map(([name]) => name.replace(/^method\.request\./, '')),
    });
  }

  const gatewayResponses = new Map(resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').filter(([, r]) => belongs(r))
    .map(([, r]) => [String(r.Properties!.ResponseType), {
      statusCode: r.Properties!.StatusCode ? Number(r.Properties!.StatusCode) : undefined,
      headers: staticMappings(r.Properties!.ResponseParameters, 'gatewayresponse.header.'),
      template: r.Properties!.ResponseTemplates?.['application/json'],
    }] as const));
  const stage = resourcesOfType(template, 'AWS::ApiGateway::Stage').find(([, r]) => belongs(r));
  return {
    name: String(template.Resources[apiId].Properties?.Name ?? apiId),
    stageName: String(stage?.[1].Properties?.StageName ?? 'local'),
    resources: [...resources.values()],
    gatewayResponses,
  };
}

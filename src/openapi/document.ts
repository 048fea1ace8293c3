import { STATUS_CODES } from 'node:http';
import { OpenApiSchema, gatewayTemplateSchema, sampledArrayItems, toOpenApiSchema, withArrayItems } from './schema';
import { CfnResource, CfnTemplate, belongsToRestApi, methodPath, referencedLogicalId, resourcePaths, resourcesOfType } from './template';

/** Options of `openApiDocument`. */
export interface OpenApiOptions {
  /** Logical id of the `AWS::ApiGateway::RestApi`; default: the template's only REST API. */
  readonly restApiLogicalId?: string;
  /** Region of the stack, for the execute-api URL; default: a `region` server variable. */
  readonly region?: string;
  /** `info.version`; default `1.0.0`. */
  readonly version?: string;
}

/** An OpenAPI 3.0 document (plain JSON). */
export type OpenApiDocument = { [key: string]: any };

/** API Gateway's default status of each gateway response type (developer guide, "Gateway response types"). */
const GATEWAY_RESPONSE_STATUS: Record<string, string> = {
  ACCESS_DENIED: '403',
  BAD_REQUEST_BODY: '400',
  BAD_REQUEST_PARAMETERS: '400',
  EXPIRED_TOKEN: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  REQUEST_TOO_LARGE: '413',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  WAF_FILTERED: '403',
  DEFAULT_5XX: '5XX',
};

/** API Gateway's own body when no gateway response is configured. */
const API_GATEWAY_DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** The name of the security scheme of IAM-authorized methods (the one API Gateway's own export uses). */
export const SIGV4_SCHEME = 'sigv4';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'ANY']);

/** The template metadata key of a method's description (CloudFormation has no such property). */
export const OPERATION_DESCRIPTION_METADATA = 'cdk-secure-serverless:description';

/** The template metadata key of the schemas of a method's parameters by name (API Gateway passes them as strings). */
export const PARAMETER_SCHEMAS_METADATA = 'cdk-secure-serverless:parameter-schemas';

/**
 * `components.schemas`: each distinct schema once, under a name derived from where it comes from (a model's name, a
 * gateway error body); operations refer to it with `$ref`.
 */
class SchemaComponents {
  readonly schemas: Record<string, OpenApiSchema> = {};

  ref(name: string, schema: OpenApiSchema): OpenApiSchema {
    const base = name.replace(/[^A-Za-z0-9._-]/g, '') || 'Schema';
    const text = JSON.stringify(schema);
    let candidate = base;
    for (let n = 2; this.schemas[candidate] && JSON.stringify(this.schemas[candidate]) !== text; n++) candidate = `${base}${n}`;
    this.schemas[candidate] = schema;
    return { $ref: `#/components/schemas/${candidate}` };
  }
}

/** `GET /items/{id}` -> `GetItemsById`: a readable identifier of a route, used for construct and operation ids. */
export function routeIdentifier(method: string, path: string): string {
  const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
  const word = (text: string) => text.split(/[^A-Za-z0-9]+/).filter(Boolean).map(capitalize).join('');
  const segments = path.split('/').filter(Boolean).map((segment) => {
    const parameter = /^\{([^}+]+)(\+?)\}$/.exec(segment);
    return parameter ? `By${word(parameter[1])}${parameter[2] ? 'Proxy' : ''}` : word(segment);
  });
  return `${capitalize(method)}${segments.join('') || 'Root'}`;
}

interface GatewayResponseConfig {
  readonly statusCode?: string;
  readonly template?: string;
}

/** Reads the template's gateway responses once and answers which status and body schema each type has. */
class GatewayResponses {
  private readonly configured: Map<string, GatewayResponseConfig>;
  /** Item schemas of the arrays of every configured body, so an empty `[]` in one template is typed as in another. */
  private readonly arrayItems = new Map<string, OpenApiSchema>();

  constructor(template: CfnTemplate, apiId: string) {
    this.configured = new Map(resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse')
      .filter(([, r]) => belongsToRestApi(r, apiId))
      .map(([, r]) => [String(r.Properties?.ResponseType), {
        statusCode: typeof r.Properties?.StatusCode === 'string' ? r.Properties.StatusCode : undefined,
        template: r.Properties?.ResponseTemplates?.['application/json'],
      }]));
    for (const { template: body } of this.configured.values()) {
      const sampled = body === undefined ? undefined : gatewayTemplateSchema(body);
      if (sampled) for (const [path, items] of sampledArrayItems(sampled)) this.arrayItems.set(path, items);
    }
  }

  status(type: string): string {
    return this.configured.get(type)?.statusCode ?? GATEWAY_RESPONSE_STATUS[type];
  }

  /** The body schema: the type's own template, else its DEFAULT_4XX/5XX template, else API Gateway's default. */
  schema(type: string, components: SchemaComponents): OpenApiSchema | undefined {
    const fallback = this.status(type).startsWith('5') ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const template = this.configured.get(type)?.template ?? this.configured.get(fallback)?.template ?? API_GATEWAY_DEFAULT_TEMPLATE;
    const schema = gatewayTemplateSchema(template);
    return schema && components.ref('GatewayError', withArrayItems(schema, this.arrayItems));
  }
}

/** A documented response: a description and the schemas its body may follow. */
interface ResponseParts {
  readonly descriptions: string[];
  readonly schemas: OpenApiSchema[];
  readonly headers: string[];
}

function addResponse(
  responses: Map<string, ResponseParts>, status: string, description: string, schema?: OpenApiSchema, headers: string[] = [],
): void {
  const parts = responses.get(status) ?? { descriptions: [], schemas: [], headers: [] };
  responses.set(status, parts);
  if (!parts.descriptions.includes(description)) parts.descriptions.push(description);
  if (schema && !parts.schemas.some((known) => JSON.stringify(known) === JSON.stringify(schema))) parts.schemas.push(schema);
  for (const header of headers) if (!parts.headers.includes(header)) parts.headers.push(header);
}

function responseObject(parts: ResponseParts): Record<string, unknown> {
  const [first, ...more] = parts.schemas;
  const schema = more.length === 0 ? first : { anyOf: parts.schemas };
  return {
    description: parts.descriptions.join('; '),
    ...(parts.headers.length > 0 ? { headers: Object.fromEntries(parts.headers.map((name) => [name, { schema: { type: 'string' } }])) } : {}),
    ...(schema ? { content: { 'application/json': { schema } } } : {}),
  };
}

/**
 * The name of an authorizer's security scheme: its construct id (from the construct path in the template's metadata),
 * else its name without the hash CDK appends, else its logical id.
 */
function authorizerSchemeName(authorizer: CfnResource | undefined, logicalId: string): string {
  const path = authorizer?.Metadata?.['aws:cdk:path'];
  const segments = typeof path === 'string' ? path.split('/') : [];
  if (segments.length >= 2) return segments[segments.length - 1] === 'Resource' ? segments[segments.length - 2] : segments[segments.length - 1];
  const name = authorizer?.Properties?.Name;
  return typeof name === 'string' ? name.replace(/[0-9A-F]{8}$/, '') || name : logicalId;
}

/** Which security scheme a method uses, and the schemes the document defines for it. */
function methodSecurity(
  template: CfnTemplate, props: Record<string, any>, schemes: Record<string, unknown>,
): { security: Record<string, string[]>[]; note?: string } {
  const type = String(props.AuthorizationType ?? 'NONE');
  if (type === 'AWS_IAM') {
    schemes[SIGV4_SCHEME] = {
      'type': 'apiKey',
      'name': 'Authorization',
      'in': 'header',
      'description': 'AWS Signature Version 4 (service execute-api) by credentials allowed execute-api:Invoke on the method.',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
    return { security: [{ [SIGV4_SCHEME]: [] }] };
  }
  if (type === 'COGNITO_USER_POOLS') {
    const authorizerId = referencedLogicalId(props.AuthorizerId) ?? 'CognitoAuthorizer';
    const authorizer = template.Resources[authorizerId]?.Properties ?? {};
    const name = authorizerSchemeName(template.Resources[authorizerId], authorizerId);
    const header = /^method\.request\.header\.(.+)$/.exec(String(authorizer.IdentitySource ?? ''))?.[1] ?? 'Authorization';
    schemes[name] = {
      'type': 'apiKey',
      'name': header,
      'in': 'header',
      'description': 'A Cognito user pool token (the raw JWT, no "Bearer" prefix).',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
    };
    const scopes: string[] = Array.isArray(props.AuthorizationScopes) ? props.AuthorizationScopes.map(String) : [];
    return {
      security: [{ [name]: [] }],
      note: scopes.length > 0 ? `Requires an access token with one of the scopes ${scopes.join(', ')}.` : 'Requires an ID token.',
    };
  }
  return { security: [] };
}

/** The gateway response types API Gateway may answer a method with instead of its integration. */
function gatewayResponseTypes(props: Record<string, any>, validator: Record<string, any>, hasWebAcl: boolean): string[] {
  const types = ['THROTTLED', 'DEFAULT_5XX'];
  if (hasWebAcl) types.push('WAF_FILTERED');
  const authorization = String(props.AuthorizationType ?? 'NONE');
  if (authorization === 'AWS_IAM') types.push('MISSING_AUTHENTICATION_TOKEN', 'INVALID_SIGNATURE', 'EXPIRED_TOKEN', 'ACCESS_DENIED');
  if (authorization === 'COGNITO_USER_POOLS') types.push('UNAUTHORIZED', 'ACCESS_DENIED');
  if (validator.ValidateRequestParameters === true) types.push('BAD_REQUEST_PARAMETERS');
  if (validator.ValidateRequestBody === true && props.RequestModels) types.push('BAD_REQUEST_BODY');
  if (BODY_METHODS.has(String(props.HttpMethod).toUpperCase())) types.push('REQUEST_TOO_LARGE');
  return types;
}

/** A model of the template: its name (the `Name` property, else its logical id) and its schema. */
interface TemplateModel {
  readonly name: string;
  readonly schema: unknown;
}

function modelSchema(models: Map<string, TemplateModel>, model: unknown, components: SchemaComponents): OpenApiSchema | undefined {
  const found = models.get(referencedLogicalId(model) ?? '');
  // Built-in models are named by string ('Empty', 'Error'): `Empty` has no body.
  return found === undefined ? undefined : components.ref(found.name, toOpenApiSchema(found.schema));
}

function operationResponses(
  props: Record<string, any>, models: Map<string, TemplateModel>, gateway: GatewayResponses, gatewayTypes: string[], components: SchemaComponents,
): Record<string, unknown> {
  const responses = new Map<string, ResponseParts>();
  const methodResponses: Record<string, any>[] = props.MethodResponses ?? [];
  for (const response of methodResponses) {
    const status = String(response.StatusCode);
    const schema = modelSchema(models, response.ResponseModels?.['application/json'], components);
    const headers = Object.keys(response.ResponseParameters ?? {})
      .map((key) => /^method\.response\.header\.(.+)$/.exec(key)?.[1]).filter((name): name is string => name !== undefined);
    addResponse(responses, status, STATUS_CODES[Number(status)] ?? status, schema, headers);
  }
  if (!methodResponses.some((response) => String(response.StatusCode).startsWith('2'))) {
    addResponse(responses, 'default', 'The integration\'s response (no method responses are documented)');
  }
  for (const type of gatewayTypes) {
    const status = gateway.status(type);
    // A status the method documents as well may come from either: both schemas apply.
    const target = status === '5XX' ? [...responses.keys()].filter((known) => /^5\d\d$/.test(known)).concat(status) : [status];
    for (const code of target) addResponse(responses, code, `API Gateway ${type}`, gateway.schema(type, components));
  }
  const order = (status: string) => (status === 'default' ? '999' : status);
  const sorted = [...responses].sort(([a], [b]) => order(a).localeCompare(order(b)));
  return Object.fromEntries(sorted.map(([status, parts]) => [status, responseObject(parts)]));
}

function parameters(path: string, props: Record<string, any>, schemas: Record<string, OpenApiSchema>): Record<string, unknown>[] {
  const declared = Object.entries<unknown>(props.RequestParameters ?? {}).flatMap(([key, required]) => {
    const match = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
    if (!match) return [];
    const location = match[1] === 'querystring' ? 'query' : match[1];
    const schema = match[1] === 'querystring' && schemas[match[2]] ? schemas[match[2]] : { type: 'string' };
    return [{ name: match[2], in: location, required: location === 'path' || required === true, schema }];
  });
  // OpenAPI requires every path template variable to be declared.
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    if (!declared.some((p) => p.in === 'path' && p.name === name)) declared.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  return declared;
}

function servers(template: CfnTemplate, apiId: string, region: string | undefined): Record<string, unknown>[] {
  const domains = resourcesOfType(template, 'AWS::ApiGateway::BasePathMapping').filter(([, r]) => belongsToRestApi(r, apiId))
    .flatMap(([, mapping]) => {
      const domainId = referencedLogicalId(mapping.Properties?.DomainName);
      const domainName = domainId ? template.Resources[domainId]?.Properties?.DomainName : mapping.Properties?.DomainName;
      if (typeof domainName !== 'string') return [];
      const basePath = typeof mapping.Properties?.BasePath === 'string' ? mapping.Properties.BasePath : '';
      // Paths start with `/`: a server URL ends without one (redocly's no-server-trailing-slash).
      return [{ url: `https://${domainName}${basePath ? `/${basePath}` : ''}`, description: 'Custom domain' }];
    });
  if (template.Resources[apiId].Properties?.DisableExecuteApiEndpoint === true) return domains;
  const stage = resourcesOfType(template, 'AWS::ApiGateway::Stage').find(([, r]) => belongsToRestApi(r, apiId))?.[1];
  const stageName = typeof stage?.Properties?.StageName === 'string' ? stage.Properties.StageName : 'prod';
  const concreteRegion = region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : undefined;
  return [...domains, {
    url: `https://{restApiId}.execute-api.${concreteRegion ?? '{region}'}.amazonaws.com/${stageName}`,
    description: `The stage ${stageName} on the execute-api endpoint`,
    variables: {
      restApiId: { default: 'restApiId', description: 'The id of the deployed REST API (the stack\'s Endpoint output names it)' },
      ...(concreteRegion ? {} : { region: { default: 'us-east-1', description: 'The region of the stack' } }),
    },
  }];
}

function findRestApi(template: CfnTemplate, logicalId: string | undefined): [string, CfnResource] {
  const apis = resourcesOfType(template, 'AWS::ApiGateway::RestApi');
  if (logicalId !== undefined) {
    const api = apis.find(([id]) => id === logicalId);
    if (!api) throw new Error(`The template has no AWS::ApiGateway::RestApi ${logicalId}; its REST APIs: ${apis.map(([id]) => id).join(', ') || 'none'}.`);
    return api;
  }
  if (apis.length !== 1) throw new Error(`The template has ${apis.length} REST APIs (${apis.map(([id]) => id).join(', ') || 'none'}); name one.`);
  return apis[0];
}

/**
 * The OpenAPI 3.0 document of a REST API of a synthesized template: its resources and methods, required and optional
 * parameters, request bodies from the models, the documented method responses plus every gateway response API
 * Gateway may answer with (with the body schema of its template), the security scheme of each method, and the
 * server URLs of the stage and custom domains.
 */
export function openApiDocument(template: CfnTemplate, options: OpenApiOptions = {}): OpenApiDocument {
  const [apiId, api] = findRestApi(template, options.restApiLogicalId);
  const paths = resourcePaths(template, apiId);
  const models = new Map(resourcesOfType(template, 'AWS::ApiGateway::Model')
    .map(([id, r]) => [id, { name: typeof r.Properties?.Name === 'string' ? r.Properties.Name : id, schema: r.Properties?.Schema ?? {} }]));
  const components = new SchemaComponents();
  const validators = new Map(resourcesOfType(template, 'AWS::ApiGateway::RequestValidator').map(([id, r]) => [id, r.Properties ?? {}]));
  const gateway = new GatewayResponses(template, apiId);
  const hasWebAcl = resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation').length > 0;
  const securitySchemes: Record<string, unknown> = {};
  const documentPaths: Record<string, Record<string, unknown>> = {};

  const allMethods = resourcesOfType(template, 'AWS::ApiGateway::Method').filter(([, r]) => belongsToRestApi(r, apiId))
    .map(([, method]) => ({ path: methodPath(paths, method), props: method.Properties ?? {}, metadata: method.Metadata ?? {} }))
    .sort((a, b) => a.path.localeCompare(b.path));
  // A resource with only the CORS preflight is not an operation of the API: browsers send that one on their own.
  const served = new Set(allMethods.filter((m) => String(m.props.HttpMethod).toUpperCase() !== 'OPTIONS').map((m) => m.path));
  const methods = allMethods.filter((m) => served.has(m.path));
  for (const { path, props, metadata } of methods) {
    const httpMethod = String(props.HttpMethod).toUpperCase();
    const validator = validators.get(referencedLogicalId(props.RequestValidatorId) ?? '') ?? {};
    const { security, note } = methodSecurity(template, props, securitySchemes);
    const bodies = Object.entries<unknown>(props.RequestModels ?? {})
      .map(([contentType, model]) => [contentType, modelSchema(models, model, components)] as const)
      .filter((entry): entry is [string, OpenApiSchema] => entry[1] !== undefined);
    const description = [metadata[OPERATION_DESCRIPTION_METADATA], note].filter((text) => typeof text === 'string' && text).join('\n\n');
    const operation = {
      operationId: routeIdentifier(httpMethod, path).replace(/^./, (c) => c.toLowerCase()),
      summary: typeof props.OperationName === 'string' ? props.OperationName : `${httpMethod} ${path}`,
      ...(description ? { description } : {}),
      parameters: parameters(path, props, metadata[PARAMETER_SCHEMAS_METADATA] ?? {}),
      ...(bodies.length > 0 ? {
        requestBody: {
          required: validator.ValidateRequestBody === true,
          content: Object.fromEntries(bodies.map(([contentType, schema]) => [contentType, { schema }])),
        },
      } : {}),
      responses: operationResponses(props, models, gateway, gatewayResponseTypes(props, validator, hasWebAcl), components),
      security,
    };
    // `ANY` has no OpenAPI method; API Gateway's own export names it x-amazon-apigateway-any-method.
    const key = httpMethod === 'ANY' ? 'x-amazon-apigateway-any-method' : httpMethod.toLowerCase();
    (documentPaths[path] ??= {})[key] = operation;
  }

  const props = api.Properties ?? {};
  return {
    openapi: '3.0.3',
    info: {
      title: typeof props.Name === 'string' ? props.Name : apiId,
      ...(typeof props.Description === 'string' ? { description: props.Description } : {}),
      version: options.version ?? '1.0.0',
    },
    servers: servers(template, apiId, options.region),
    paths: documentPaths,
    components: {
      schemas: components.schemas,
      ...(Object.keys(securitySchemes).length > 0 ? { securitySchemes } : {}),
    },
  };
}

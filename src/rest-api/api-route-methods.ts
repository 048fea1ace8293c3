import { CfnResource, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeAuthorizationFindings, acknowledgeOpenHealthRoute } from './api-acknowledgements';
import { MethodAuthorizers } from './api-authorizers';
import { routeRequestParameters } from './api-routes';
import { validateRoute } from './api-validation';
import { OPERATION_DESCRIPTION_METADATA, routeIdentifier } from '../openapi';
import { API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS, integrationTimeoutMessage } from './request-limits';
import { Fail, failIn, known } from '../core';
import type { ApiAuthorization } from './api-authorization';
import type { ApiRouteOptions, ApiRouteResponse } from './api-options';

const JSON_CONTENT_TYPE = 'application/json';

/**
 * API Gateway allows one variable path part among the children of a resource; a second is refused at deploy with
 * "A sibling ({id}) of this resource already has a variable path part -- only one is allowed"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html#setup-method-resources).
 */
function assertNoSiblingPathVariable(root: apigw.IResource, path: string, route: string, fail: Fail): void {
  let parent: IConstruct = root;
  let parentPath = '';
  for (const part of path.split('/').filter((segment) => segment.length > 0)) {
    // A resource's construct id is its path part (ResourceBase.addResource).
    const children = parent.node.children.filter((child) => child instanceof apigw.Resource);
    const sibling = children.find((child) => isVariable(child.node.id) && child.node.id !== part);
    if (isVariable(part) && sibling) {
      const siblingPath = `${parentPath}/${sibling.node.id}`;
      fail(`path "${path}" of ${route} puts the variable ${part} beside its sibling ${sibling.node.id} `
        + `(${siblingPath}); API Gateway allows one variable path part per resource ("A sibling (${sibling.node.id}) of this `
        + `resource already has a variable path part -- only one is allowed"). Use the same name, e.g. ${siblingPath}.`);
    }
    const next = children.find((child) => child.node.id === part);
    if (!next) return;
    parent = next;
    parentPath = `${parentPath}/${part}`;
  }
}

/** The function behind `handler` (itself, or the function of an alias or version) answers before API Gateway gives up. */
function assertAnswersInTime(handler: lambda.IFunction, route: string, fail: Fail): void {
  const fn = handler instanceof lambda.Alias ? handler.version.lambda : handler instanceof lambda.Version ? handler.lambda : handler;
  const seconds = fn instanceof lambda.Function ? fn.timeout?.toSeconds({ integral: false }) : undefined;
  if (known(seconds) && seconds > API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS) {
    fail(`${integrationTimeoutMessage(`the timeout of the function routed by ${route} (${fn.node.path})`, seconds)}`);
  }
}

function isVariable(pathPart: string): boolean {
  return pathPart.startsWith('{');
}

/** What every route of the API shares. */
export interface RouteMethodsProps {
  /** Authorization of a route that sets none. */
  readonly defaultAuthorization: ApiAuthorization;
  /** Whether the stage caches responses (the request parameters are then the cache keys). */
  readonly cacheEnabled: boolean;
}

/**
 * The methods of a `ValidatedRestApi`: each route once, checked by one of the API's two request validators, request
 * and response models, authorizers. `scope` is the `ValidatedRestApi`, which owns the Cognito authorizers and the
 * errors of its routes.
 */
export class RouteMethods {
  /** The validator checking bodies and parameters, shared by every route with a request schema. */
  public readonly bodyAndParametersValidator: apigw.RequestValidator;
  /** The validator checking parameters only, shared by every route with required parameters and no schema. */
  public readonly parametersValidator: apigw.RequestValidator;

  private readonly routes = new Set<string>();
  private readonly authorizers: MethodAuthorizers;
  /** Response models by their schema, so that routes answering the same body share one model. */
  private readonly responseModels = new Map<string, apigw.Model>();
  private readonly fail: Fail;

  constructor(scope: Construct, private readonly restApi: apigw.RestApi, private readonly props: RouteMethodsProps) {
    this.authorizers = new MethodAuthorizers(scope);
    this.fail = failIn(scope, 'ValidatedRestApi');
    this.bodyAndParametersValidator = restApi.addRequestValidator('BodyAndParametersValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.parametersValidator = restApi.addRequestValidator('ParametersValidator', {
      validateRequestBody: false,
      validateRequestParameters: true,
    });
  }

  /** `method path` to the function through a Lambda proxy integration that only the deployed stage may invoke. */
  public addLambdaRoute(path: string, method: string, handler: lambda.IFunction, options: ApiRouteOptions): apigw.Method {
    // Upper-casing a token would hide it from validateRoute's literal check.
    const httpMethod = Token.isUnresolved(method) ? method : method.toUpperCase();
    const route = `${httpMethod} ${path}`;
    validateRoute(path, httpMethod, options, route, this.fail);
    this.claimRoute(route);
    assertNoSiblingPathVariable(this.restApi.root, path, route, this.fail);
    assertAnswersInTime(handler, route, this.fail);

    const requestParameters = routeRequestParameters(path, options);
    const resource = this.restApi.root.resourceForPath(path);
    const integration = new apigw.LambdaIntegration(handler, {
      proxy: true,
      // Only the deployed stage may invoke the function, not the console's test invocations.
      allowTestInvoke: false,
      cacheKeyParameters: this.props.cacheEnabled ? Object.keys(requestParameters) : undefined,
    });

    const authorization = options.authorization ?? this.props.defaultAuthorization;
    const methodOptions: apigw.MethodOptions = {
      ...this.authorizers.methodOptions(authorization),
      requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      requestValidator: options.requestSchema
        ? this.bodyAndParametersValidator
        : Object.keys(requestParameters).length > 0 ? this.parametersValidator : undefined,
      requestModels: options.requestSchema
        ? { [JSON_CONTENT_TYPE]: this.addRequestModel(route, options.requestSchema) }
        : undefined,
      methodResponses: options.responses?.map((response) => this.methodResponse(route, response)),
      operationName: options.summary,
    };
    const apiMethod = resource.addMethod(httpMethod, integration, methodOptions);
    // CloudFormation has no description of a method: the OpenAPI generator reads it from the template's metadata.
    if (options.description) (apiMethod.node.defaultChild as CfnResource).addMetadata(OPERATION_DESCRIPTION_METADATA, options.description);
    acknowledgeAuthorizationFindings(apiMethod, authorization);
    return apiMethod;
  }

  /** `GET path` answered 200 `{"status":"ok"}` by a MOCK integration, without invoking Lambda. */
  public addHealthRoute(path: string, authorization: ApiAuthorization): apigw.Method {
    const route = `GET ${path}`;
    validateRoute(path, 'GET', {}, route, this.fail, 'healthCheckPath');
    this.claimRoute(route);
    const healthMethod = this.restApi.root.resourceForPath(path).addMethod('GET', new apigw.MockIntegration({
      passthroughBehavior: apigw.PassthroughBehavior.NEVER,
      requestTemplates: { [JSON_CONTENT_TYPE]: '{"statusCode": 200}' },
      integrationResponses: [{ statusCode: '200', responseTemplates: { [JSON_CONTENT_TYPE]: '{"status":"ok"}' } }],
    }), {
      ...this.authorizers.methodOptions(authorization),
      methodResponses: [{ statusCode: '200', responseModels: { [JSON_CONTENT_TYPE]: apigw.Model.EMPTY_MODEL } }],
    });
    if (authorization.authorizationType === apigw.AuthorizationType.NONE) {
      acknowledgeOpenHealthRoute(healthMethod);
    } else {
      acknowledgeAuthorizationFindings(healthMethod, authorization);
    }
    return healthMethod;
  }

  private claimRoute(route: string): void {
    if (this.routes.has(route)) {
      this.fail(`the route ${route} is already defined; add each path and method once.`);
    }
    this.routes.add(route);
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
}

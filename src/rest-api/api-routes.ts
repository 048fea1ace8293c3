import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { ApiRouteOptions } from './api-options';
import { pathParameters } from './api-validation';
import type { ResolvedApiCorsOptions } from './rest-api-defaults';

/** The preflight answer of the CORS options. */
export function corsPreflightOptions(cors: ResolvedApiCorsOptions): apigw.CorsOptions {
  return {
    allowOrigins: cors.allowOrigins,
    allowMethods: cors.allowMethods,
    allowHeaders: cors.allowHeaders,
    exposeHeaders: cors.exposeHeaders,
    allowCredentials: cors.allowCredentials,
    maxAge: cors.maxAge,
  };
}

/** Every request parameter of the route: path parameters and the listed required ones (true), the optional ones (false). */
export function routeRequestParameters(path: string, options: ApiRouteOptions): Record<string, boolean> {
  const parameters: Record<string, boolean> = {};
  for (const name of pathParameters(path)) parameters[`method.request.path.${name}`] = true;
  for (const name of options.requiredQueryStrings ?? []) parameters[`method.request.querystring.${name}`] = true;
  for (const name of options.requiredHeaders ?? []) parameters[`method.request.header.${name}`] = true;
  for (const name of options.optionalQueryStrings ?? []) parameters[`method.request.querystring.${name}`] ??= false;
  for (const name of options.optionalHeaders ?? []) parameters[`method.request.header.${name}`] ??= false;
  return parameters;
}

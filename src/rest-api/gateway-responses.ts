import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { ResolvedApiCorsOptions } from './rest-api-defaults';
import { GATEWAY_ERRORS, gatewayErrorTemplate } from '../contract';

/** The CORS headers a gateway response carries; gateway responses can only hold static header values. */
export interface GatewayResponseCors {
  /** The single origin written into `Access-Control-Allow-Origin`. */
  readonly origin: string;
  /** Whether `Access-Control-Allow-Credentials: true` is sent. */
  readonly allowCredentials: boolean;
  /** Headers listed in `Access-Control-Expose-Headers`, if any. */
  readonly exposeHeaders?: string[];
}

/** The CORS headers of the API's CORS options, `undefined` without CORS. */
export function gatewayResponseCors(cors: ResolvedApiCorsOptions | undefined): GatewayResponseCors | undefined {
  return cors && {
    // A gateway response holds static headers only: with several origins, the first one is sent.
    origin: cors.allowOrigins[0],
    allowCredentials: cors.allowCredentials,
    exposeHeaders: cors.exposeHeaders,
  };
}

/** Headers of every gateway response: CORS (when configured) and no MIME sniffing or caching of errors. */
export function gatewayResponseHeaders(cors?: GatewayResponseCors): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': "'nosniff'",
    'Cache-Control': "'no-store'",
  };
  if (cors) {
    headers['Access-Control-Allow-Origin'] = `'${cors.origin}'`;
    if (cors.origin !== '*') headers.Vary = "'Origin'";
    if (cors.allowCredentials) headers['Access-Control-Allow-Credentials'] = "'true'";
    if (cors.exposeHeaders && cors.exposeHeaders.length > 0) {
      headers['Access-Control-Expose-Headers'] = `'${cors.exposeHeaders.join(',')}'`;
    }
  }
  return headers;
}

/**
 * Replaces every API Gateway error body (`{"message": ...}`, no CORS headers, so browsers hide them) with the API's
 * error contract and the CORS headers, one gateway response per type so each carries its own code.
 */
export function addJsonGatewayResponses(api: apigw.RestApi, cors?: GatewayResponseCors): void {
  const responseHeaders = gatewayResponseHeaders(cors);
  for (const [responseType, { status }] of Object.entries(GATEWAY_ERRORS)) {
    api.addGatewayResponse(responseType, {
      type: apigw.ResponseType.of(responseType),
      statusCode: status === undefined ? undefined : String(status),
      responseHeaders,
      templates: { 'application/json': gatewayErrorTemplate(responseType) },
    });
  }
}

import * as apigw from 'aws-cdk-lib/aws-apigateway';

/** The CORS headers a gateway response carries; gateway responses can only hold static header values. */
export interface GatewayResponseCors {
  /** The single origin written into `Access-Control-Allow-Origin`. */
  readonly origin: string;
  /** Whether `Access-Control-Allow-Credentials: true` is sent. */
  readonly allowCredentials: boolean;
  /** Headers listed in `Access-Control-Expose-Headers`, if any. */
  readonly exposeHeaders?: string[];
}

/**
 * The error body shared with the bundled handler: `{"error":{"code","message","requestId"}}`.
 * Gateway response templates only substitute variables (no VTL); `messageString` is already a quoted JSON string.
 */
export const GATEWAY_ERROR_TEMPLATE =
  '{"error":{"code":"$context.error.responseType","message":$context.error.messageString,"requestId":"$context.requestId"}}';

/** The error body of a request that failed validation, with the validator's explanation in `details`. */
export const GATEWAY_VALIDATION_ERROR_TEMPLATE =
  '{"error":{"code":"$context.error.responseType","message":$context.error.messageString,'
  + '"details":"$context.error.validationErrorString","requestId":"$context.requestId"}}';

const VALIDATION_RESPONSE_TYPES = [apigw.ResponseType.BAD_REQUEST_BODY, apigw.ResponseType.BAD_REQUEST_PARAMETERS];
const DEFAULT_RESPONSE_TYPES = [apigw.ResponseType.DEFAULT_4XX, apigw.ResponseType.DEFAULT_5XX];

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
 * Replaces API Gateway's own 4XX/5XX bodies (`{"message": ...}`, no CORS headers, so browsers hide them) with the
 * handler's JSON error shape and the CORS headers; validation failures also carry the validation error detail.
 */
export function addJsonGatewayResponses(api: apigw.RestApi, cors?: GatewayResponseCors): void {
  const responseHeaders = gatewayResponseHeaders(cors);
  for (const type of DEFAULT_RESPONSE_TYPES) {
    api.addGatewayResponse(type.responseType, {
      type,
      responseHeaders,
      templates: { 'application/json': GATEWAY_ERROR_TEMPLATE },
    });
  }
  for (const type of VALIDATION_RESPONSE_TYPES) {
    api.addGatewayResponse(type.responseType, {
      type,
      statusCode: '400',
      responseHeaders,
      templates: { 'application/json': GATEWAY_VALIDATION_ERROR_TEMPLATE },
    });
  }
}

import { Size } from 'aws-cdk-lib';

/** The request body limit of the API, the same as the bundled handler's default `MAX_BODY_BYTES`. */
export const DEFAULT_MAX_REQUEST_BODY = Size.kibibytes(64);

/** API Gateway's payload quota for REST APIs. */
export const API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

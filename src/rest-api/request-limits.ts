/** API Gateway's payload quota for REST APIs. */
export const API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * API Gateway's integration timeout for REST APIs: 29 seconds by default. A Regional REST API can raise it through a
 * Service Quotas request (at the cost of account-level throttle quota), which the library's integrations do not use
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html).
 */
export const API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;

/**
 * The fix for a function that outlives API Gateway's wait: after 29 s API Gateway answers 504 while the function
 * keeps running, so its result is lost and its duration alarm (a fraction of the timeout) reports what no caller saw.
 */
export function integrationTimeoutMessage(prop: string, seconds: number): string {
  return `${prop} (${seconds} s) exceeds API Gateway's integration timeout of ${API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS} s `
    + '(the default quota of REST APIs): API Gateway answers 504 while the function keeps running. Set it to at most '
    + `${API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS} seconds, or move the work to an asynchronous invocation.`;
}

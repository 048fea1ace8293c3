/**
 * The custom resource protocol, spoken by the library's helper functions themselves (a PUT of the result to the
 * pre-signed ResponseURL), so they need neither the CDK Provider framework nor AwsCustomResource and their functions.
 */

/** The body PUT to the ResponseURL. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}

/** CloudFormation rejects response bodies over 4 KiB; keep the reason well below. */
const MAX_REASON_LENGTH = 1000;

/** The response that reports `error` as the failure of the request; the reason names the log stream. */
export function failedResponse(response: CustomResourceResponse, error: unknown, logStreamName: string): CustomResourceResponse {
  return { ...response, Status: 'FAILED', Reason: failureReason(error, logStreamName).slice(0, MAX_REASON_LENGTH) };
}

/** `Name: message (log stream ...)`, for the response and the function's own log. */
export function failureReason(error: unknown, logStreamName: string): string {
  return `${errorName(error)}: ${errorMessage(error)} (log stream ${logStreamName})`;
}

/** Reports the result to CloudFormation; a failure here throws so the invocation is retried, then dead-lettered. */
export async function respond(responseUrl: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify(response);
  const result = await fetch(responseUrl, {
    method: 'PUT',
    // The pre-signed URL is signed without a content type.
    headers: { 'content-type': '' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!result.ok) {
    throw new Error(`CloudFormation rejected the custom resource response: HTTP ${result.status}`);
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

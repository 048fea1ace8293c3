// eslint-disable-next-line import/no-extraneous-dependencies -- bundled into assets/ by esbuild, not a runtime dependency of the library
import { CloudFormationClient, SetStackPolicyCommand } from '@aws-sdk/client-cloudformation';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';

/**
 * Custom resource `Custom::StackPolicy`: sets the CloudFormation stack policy of the stack it belongs to, allowing
 * every update but replacement and deletion of the protected (stateful) resources.
 *
 * It speaks the custom resource protocol itself (a PUT of the result to the pre-signed ResponseURL), so it needs
 * neither the CDK Provider framework nor AwsCustomResource and their helper functions.
 */

/** Properties the construct passes to the custom resource. */
export interface StackPolicyProperties {
  /** Id (ARN) of the stack whose policy is set. */
  readonly StackId: string;
  /** Logical ids of the resources that must never be replaced or deleted by an update. */
  readonly ProtectedLogicalResourceIds?: string[];
}

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

const cloudFormation = new CloudFormationClient({});

/** The stack policy document: allow every update, deny replacing or deleting the protected resources. */
export function stackPolicyDocument(protectedLogicalResourceIds: string[]): object {
  const statements: object[] = [{ Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' }];
  if (protectedLogicalResourceIds.length > 0) {
    statements.push({
      Effect: 'Deny',
      Principal: '*',
      Action: ['Update:Replace', 'Update:Delete'],
      Resource: protectedLogicalResourceIds.map((id) => `LogicalResourceId/${id}`),
    });
  }
  return { Statement: statements };
}

export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  const physicalResourceId = event.RequestType === 'Create' ? `${event.LogicalResourceId}-${event.StackId}` : event.PhysicalResourceId;
  let response: CustomResourceResponse = {
    Status: 'SUCCESS',
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  try {
    // On Delete there is nothing to undo: the policy goes with the stack, or the resource was removed on purpose.
    if (event.RequestType !== 'Delete') {
      await setStackPolicy(event.ResourceProperties as unknown as StackPolicyProperties);
    }
  } catch (error) {
    const reason = `${errorName(error)}: ${errorMessage(error)} (log stream ${context.logStreamName})`;
    // The event's ResponseURL is a pre-signed credential: never log the event itself.
    console.error(JSON.stringify({ message: 'stack policy not set', requestType: event.RequestType, stackId: event.StackId, reason }));
    response = { ...response, Status: 'FAILED', Reason: reason.slice(0, MAX_REASON_LENGTH) };
  }
  await respond(event.ResponseURL, response);
}

async function setStackPolicy(properties: StackPolicyProperties): Promise<void> {
  if (typeof properties.StackId !== 'string' || properties.StackId === '') {
    throw new Error('the StackId property is missing');
  }
  const ids = properties.ProtectedLogicalResourceIds ?? [];
  await cloudFormation.send(new SetStackPolicyCommand({
    StackName: properties.StackId,
    StackPolicyBody: JSON.stringify(stackPolicyDocument(ids)),
  }));
  console.log(JSON.stringify({ message: 'stack policy set', stackId: properties.StackId, protectedLogicalResourceIds: ids }));
}

/** Reports the result to CloudFormation; a failure here throws so the invocation is retried, then dead-lettered. */
async function respond(responseUrl: string, response: CustomResourceResponse): Promise<void> {
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

// eslint-disable-next-line import/no-extraneous-dependencies -- bundled into assets/ by esbuild, not a runtime dependency of the library
import { CloudFormationClient, DescribeStacksCommand, SetStackPolicyCommand } from '@aws-sdk/client-cloudformation';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { CustomResourceResponse, failedResponse, failureReason, respond } from '../shared/custom-resource';

/**
 * The stack-policy function of `StackProtection`, invoked two ways:
 *
 * - by an EventBridge rule on its stack's `CREATE_COMPLETE` and `UPDATE_COMPLETE` (CloudFormation Stack Status Change
 *   events), with the policy's properties as input: it sets the stack policy that denies replacing or deleting the
 *   protected resources. The stack is then in a stable state, so nothing relies on `SetStackPolicy` being accepted
 *   while the stack is in progress;
 * - as the custom resource `Custom::StackPolicy`, which does nothing on Create and Update and, on Delete (protection
 *   removed from the app), replaces the policy with one that allows every update, so the protection can be lifted.
 *   While the whole stack is being deleted the policy no longer matters and is left alone.
 *
 * It speaks the custom resource protocol itself (../shared/custom-resource).
 */

/** The EventBridge rule's input; the custom resource gets the same properties. */
export interface StackPolicyProperties {
  /** Id (ARN) of the stack whose policy is set. */
  readonly StackId: string;
  /** Logical ids of the resources that must never be replaced or deleted by an update. */
  readonly ProtectedLogicalResourceIds?: string[];
}

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

/** Either the custom resource event or the EventBridge rule's constant input. */
export type StackPolicyEvent = CloudFormationCustomResourceEvent | StackPolicyProperties;

export async function handler(event: StackPolicyEvent, context: Context): Promise<void> {
  if ('RequestType' in event) {
    return handleCustomResource(event, context);
  }
  // From the EventBridge rule: a failure throws, so Lambda retries the asynchronous invocation and then dead-letters it.
  const ids = event.ProtectedLogicalResourceIds ?? [];
  await setStackPolicy(event.StackId, stackPolicyDocument(ids), ids);
}

async function handleCustomResource(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  const physicalResourceId = event.RequestType === 'Create' ? `${event.LogicalResourceId}-${event.StackId}` : event.PhysicalResourceId;
  let response: CustomResourceResponse = {
    Status: 'SUCCESS',
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  try {
    if (event.RequestType === 'Delete') {
      await liftStackPolicy(event.ResourceProperties as unknown as StackPolicyProperties);
    }
  } catch (error) {
    const reason = failureReason(error, context.logStreamName);
    // The event's ResponseURL is a pre-signed credential: never log the event itself.
    console.error(JSON.stringify({ message: 'stack policy not lifted', requestType: event.RequestType, stackId: event.StackId, reason }));
    response = failedResponse(response, error, context.logStreamName);
  }
  await respond(event.ResponseURL, response);
}

/** Allows every update again, unless the stack itself is being deleted. */
async function liftStackPolicy(properties: StackPolicyProperties): Promise<void> {
  const stackId = requiredStackId(properties);
  const { Stacks: stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
  const status = stacks?.[0]?.StackStatus ?? '';
  if (status.startsWith('DELETE_')) {
    console.log(JSON.stringify({ message: 'stack is being deleted: stack policy left alone', stackId, status }));
    return;
  }
  // With nothing protected the document is the allow-every-update policy.
  await setStackPolicy(stackId, stackPolicyDocument([]), []);
}

function requiredStackId(properties: StackPolicyProperties): string {
  if (typeof properties.StackId !== 'string' || properties.StackId === '') {
    throw new Error('the StackId property is missing');
  }
  return properties.StackId;
}

async function setStackPolicy(stackId: string, policy: object, protectedLogicalResourceIds: string[]): Promise<void> {
  await cloudFormation.send(new SetStackPolicyCommand({
    StackName: requiredStackId({ StackId: stackId }),
    StackPolicyBody: JSON.stringify(policy),
  }));
  console.log(JSON.stringify({ message: 'stack policy set', stackId, protectedLogicalResourceIds }));
}

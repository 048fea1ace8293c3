import { Aws, Fn, Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Length of the UUID that ends a CloudFormation stack id (`arn:...:stack/<name>/<uuid>`). */
const STACK_UUID_LENGTH = 36;

/**
 * A physical name for a resource that a service makes you name and that outlives its stack: `prefix`, the construct's
 * path and the UUID CloudFormation gives each stack it creates. A retry after a failed create, or a new stack of the same
 * name after a deleted one, gets a new name instead of "already exists" from what the earlier stack kept.
 */
export function namePerStackCreation(scope: IConstruct, prefix: string, maxLength: number): string {
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  const pathPart = Names.uniqueResourceName(scope, { maxLength: maxLength - prefix.length - STACK_UUID_LENGTH - 1, separator: '-' });
  return `${prefix}${pathPart}-${stackUuid}`;
}

import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * How the library keeps what holds data: CloudFormation's `RetainExceptOnCreate`. Kept on update and stack deletion,
 * but deleted when the stack's first create rolls back, so a failed first deploy leaves nothing behind that the retry
 * would collide with (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
 */
export const KEEP_DATA = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Lets CloudWatch Logs of the key's region encrypt log groups of the key's account with it.
 *
 * CloudWatch Logs uses the key itself, so only the key policy (not IAM) can allow it. The statement is
 * limited to log groups of this account and region by the encryption context. A key imported from
 * outside the app cannot be changed (`statementAdded` is false): its owner must add the statement.
 */
export function allowCloudWatchLogsToUse(key: kms.IKey): iam.AddToResourcePolicyResult {
  const stack = Stack.of(key);
  return key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }));
}

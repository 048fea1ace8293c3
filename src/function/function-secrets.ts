import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { viaService } from '../core';

/**
 * Lets the role read each secret (and decrypt it through Secrets Manager) and returns the environment variables
 * carrying their ARNs; `scope` is the `EncryptedFunction`.
 */
export function allowReadingSecrets(
  scope: Construct, role: iam.IPrincipal, secrets: { [envName: string]: secretsmanager.ISecret },
): { [name: string]: string } {
  const variables: { [name: string]: string } = {};
  for (const [envName, secret] of Object.entries(secrets)) {
    variables[envName] = secret.secretArn;
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      // A secret imported by name has a partial ARN; Secrets Manager appends six random characters.
      resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
    }));
    if (secret.encryptionKey) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: viaService(scope, 'secretsmanager'),
      }));
    }
  }
  return variables;
}

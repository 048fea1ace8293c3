import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Settings of a log group encrypted with a customer-managed key. */
export interface EncryptedLogGroupOptions {
  /** The key encrypting the log events; its policy must let CloudWatch Logs use it (see `allowCloudWatchLogs`). */
  readonly encryptionKey: kms.IKey;
  /** How long the log group keeps log events. */
  readonly retention: logs.RetentionDays;
  /** What happens to the log group when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
  /** The log group's name, when a service writes to a fixed one. @default - generated */
  readonly logGroupName?: string;
}

/** A log group encrypted with a customer-managed key, with retention: created up front so that no LogRetention helper is needed. */
export function createEncryptedLogGroup(scope: Construct, id: string, options: EncryptedLogGroupOptions): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName: options.logGroupName,
    encryptionKey: options.encryptionKey,
    retention: options.retention,
    removalPolicy: options.removalPolicy,
  });
}

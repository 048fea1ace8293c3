import { CfnElement, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pinLogicalIdWhenFinal } from '../core';
import type { ProvisionedConcurrencyOptions } from './encrypted-function-props';

/** Name of the alias that every invoker (API Gateway, grants, CodeDeploy) uses. */
export const LIVE_ALIAS_NAME = 'live';

/** The `live` alias and, when provisioned concurrency is asked for, its scalable target. */
export interface LiveAlias {
  readonly alias: lambda.Alias;
  readonly provisionedConcurrencyScaling?: lambda.IScalableFunctionAttribute;
}

/** How the `live` alias retries and scales, resolved (no default left to apply). */
export interface LiveAliasSettings {
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly provisionedConcurrency?: Required<ProvisionedConcurrencyOptions>;
}

/**
 * The `live` alias on the function's current version, retrying failed asynchronous invocations before they go to the
 * queue, with provisioned concurrency scaled on utilization when asked for; `scope` is the `EncryptedFunction`.
 */
export function createLiveAlias(scope: Construct, fn: lambda.Function, deadLetterQueue: sqs.IQueue, settings: LiveAliasSettings): LiveAlias {
  const alias = new lambda.Alias(scope, 'LiveAlias', {
    aliasName: LIVE_ALIAS_NAME,
    version: fn.currentVersion,
  });
  pinLogicalIdWhenFinal(fn.currentVersion.node.defaultChild as CfnElement);
  alias.configureAsyncInvoke({
    retryAttempts: settings.retryAttempts,
    maxEventAge: settings.maxEventAge,
    onFailure: destinationWithoutGrant(deadLetterQueue),
  });
  const options = settings.provisionedConcurrency;
  if (!options) return { alias };
  const scaling = alias.addAutoScaling({ minCapacity: options.minCapacity, maxCapacity: options.maxCapacity });
  scaling.scaleOnUtilization({ utilizationTarget: options.utilizationTarget });
  return { alias, provisionedConcurrencyScaling: scaling };
}

/**
 * The queue as an on-failure destination without `SqsDestination`'s grant, whose `grantSendMessages`
 * adds `kms:GenerateDataKey*`/`kms:ReEncrypt*`; the function scaffold grants exact actions itself.
 */
export function destinationWithoutGrant(queue: sqs.IQueue): lambda.IDestination {
  return { bind: () => ({ destination: queue.queueArn }) };
}

import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { acknowledgeFindings, addAlarmActions, FINDING_FAMILIES, createErrorRateAlarm, createEncryptedDeadLetterQueue, allowServiceToEncryptDeadLetters } from '../core';
import type { ValidatedRestApi } from '../rest-api';

/** What the service's alarm topic is made of. */
export interface AlarmTopicProps {
  readonly encryptionKey: kms.IKey;
  readonly alarmEmail?: string;
  /** Removal policy of the email subscription's dead-letter queue. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The service's alarm topic, encrypted with the service key, that CloudWatch alarms of this account and region may
 * publish to, with the email subscription (and its dead-letter queue) when one is given.
 */
export function createAlarmTopic(scope: Construct, props: AlarmTopicProps): sns.Topic {
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: 'Service alarms',
    masterKey: props.encryptionKey,
    enforceSSL: true,
  });
  allowCloudWatchAlarmsToPublish(topic, props.encryptionKey);
  if (props.alarmEmail) {
    // Messages SNS cannot deliver (an unconfirmed or bouncing address) stay 14 days in an encrypted, SSL-only queue.
    const deadLetterQueue = createEncryptedDeadLetterQueue(scope, 'AlarmDeadLetterQueue', props.encryptionKey, props.removalPolicy);
    acknowledgeFindings(deadLetterQueue, FINDING_FAMILIES.alarmDeadLetterQueue);
    allowSnsOfThisAccountToUseKeyForDeadLetters(props.encryptionKey);
    topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail, { deadLetterQueue }));
  }
  return topic;
}

/**
 * An SSE topic policy that holds only the TLS deny replaces SNS's default policy, so CloudWatch may publish only when
 * a statement allows it; the key must let CloudWatch make the topic's data keys. Both carry the confused-deputy
 * conditions: only alarms of this account and region.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html (SNS topic policy)
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services (key policy)
 */
function allowCloudWatchAlarmsToPublish(topic: sns.Topic, key: kms.IKey): void {
  const conditions = alarmsOfThisAccount(topic);
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions,
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions,
  }));
}

function alarmsOfThisAccount(scope: Construct): { [operator: string]: { [key: string]: string } } {
  const stack = Stack.of(scope);
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
  };
}

/**
 * SNS moves undeliverable messages into the SSE-KMS dead-letter queue itself, so the key policy must let SNS make that
 * queue's data keys. Limited to topics of this account and region: naming the topic itself would make the key depend on
 * the topic the key encrypts (a circular dependency).
 * https://docs.aws.amazon.com/sns/latest/dg/sns-configure-dead-letter-queue.html
 */
function allowSnsOfThisAccountToUseKeyForDeadLetters(key: kms.IKey): void {
  const stack = Stack.of(key);
  allowServiceToEncryptDeadLetters(key, 'AllowSnsToWriteUndeliveredAlarmsToTheDeadLetterQueue', 'sns.amazonaws.com', {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'sns', resource: '*' }) },
  });
}

/** The alarm on the share of API requests answered 5XX; `rate` is a fraction of requests. */
export function createApi5xxAlarm(
  scope: Construct, api: ValidatedRestApi, rate: number, alarmActions: cloudwatch.IAlarmAction[],
): cloudwatch.Alarm {
  const alarm = createErrorRateAlarm(scope, 'Api5xxAlarm', {
    // Five-minute sums of 5XX answers and counts of requests.
    errors: api.metricServerError(),
    requests: api.metricCount(),
    threshold: rate,
    evaluationPeriods: 1,
    description: `At least ${Math.round(rate * 10_000) / 100}% of API requests answered 5XX in 5 minutes`,
  });
  addAlarmActions(alarm, alarmActions);
  return alarm;
}

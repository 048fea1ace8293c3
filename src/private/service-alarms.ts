import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { createErrorRateAlarm } from './alarms';
import type { ValidatedRestApi } from '../validated-rest-api';

/** The service's alarm topic, encrypted with the service key, with the email subscription when one is given. */
export function createAlarmTopic(scope: Construct, encryptionKey: kms.IKey, alarmEmail?: string): sns.Topic {
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: 'Service alarms',
    masterKey: encryptionKey,
    enforceSSL: true,
  });
  if (alarmEmail) {
    topic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
  }
  return topic;
}

/** The alarm on the share of API requests answered 5XX; `threshold` is a fraction of requests (its documented default: 0.01). */
export function createApi5xxAlarm(
  scope: Construct, api: ValidatedRestApi, threshold: number | undefined, alarmActions: cloudwatch.IAlarmAction[],
): cloudwatch.Alarm {
  const rate = threshold ?? 0.01;
  const alarm = createErrorRateAlarm(scope, 'Api5xxAlarm', {
    // Five-minute sums of 5XX answers and counts of requests.
    errors: api.metricServerError(),
    requests: api.metricCount(),
    threshold: rate,
    evaluationPeriods: 1,
    description: `At least ${Math.round(rate * 10_000) / 100}% of API requests answered 5XX in 5 minutes`,
  });
  alarm.addAlarmAction(...alarmActions);
  return alarm;
}

import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ArtifactBucket, DeploymentStage, EncryptedFunction, SecureTable, TableCapacity, ValidatedRestApi } from '../../src';

/**
 * Every numeric limit a prop takes from AWS (or from the browsers), held at the limit itself: the value AWS still
 * accepts must be accepted, the first one beyond it refused with a message naming the prop. An off-by-one in either
 * direction fails here. Each row cites where the limit is documented; the values are read from those pages, not from
 * the library's code.
 */
interface Bound {
  /** The prop as the error names it. */
  readonly prop: string;
  /** Where AWS documents the limit. */
  readonly source: string;
  /** Builds the construct with the prop set to the value. */
  readonly build: (stack: Stack, value: number) => unknown;
  /** Values at the documented limits, which must be accepted. */
  readonly accepted: readonly number[];
  /** Values just beyond them, which must be refused. */
  readonly refused: readonly number[];
}

const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');
const partitionKey = { name: 'id', type: dynamodb.AttributeType.STRING };
const fn = (stack: Stack, props: object) => new EncryptedFunction(stack, 'Fn', { code, handler: 'index.handler', ...props });
const api = (stack: Stack, props: object) => new ValidatedRestApi(stack, 'Api', props);
const table = (stack: Stack, props: object) => new SecureTable(stack, 'Table', { partitionKey, ...props });
const givenCertificate = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Certificate',
  'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012');
const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' });
/** A domain name of `length` characters: 63-character labels (the DNS maximum) under example.com, cut from the front. */
function domainOf(length: number): string {
  const long = `${Array.from({ length: 5 }, () => 'a'.repeat(63)).join('.')}.example.com`;
  return long.slice(long.length - length);
}

const BOUNDS: Bound[] = [
  {
    prop: 'cache.ttl',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html: the maximum TTL is 3600 seconds',
    build: (s, v) => api(s, { cache: { ttl: Duration.seconds(v) } }),
    accepted: [0, 3600],
    refused: [3601],
  },
  {
    prop: 'cors.maxAge',
    source: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Access-Control-Max-Age: Firefox caps it at 86400 seconds (24 hours)',
    build: (s, v) => api(s, { cors: { allowOrigins: ['https://app.example.com'], maxAge: Duration.seconds(v) } }),
    accepted: [86400],
    refused: [86401],
  },
  {
    prop: 'throttling.rateLimit',
    source: 'https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html: throttlingRateLimit, requests per second (0 throttles every request)',
    build: (s, v) => api(s, { throttling: { rateLimit: v, burstLimit: 10 } }),
    accepted: [0],
    refused: [-1],
  },
  {
    prop: 'throttling.burstLimit',
    source: 'https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html: throttlingBurstLimit, an integer',
    build: (s, v) => api(s, { throttling: { rateLimit: 10, burstLimit: v } }),
    accepted: [0],
    refused: [-1, 1.5],
  },
  {
    prop: 'webAclRateLimit',
    source: 'https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html: Limit, valid range 10 to 2000000000',
    build: (s, v) => api(s, { webAclRateLimit: v }),
    accepted: [10, 2_000_000_000],
    refused: [9, 2_000_000_001, 10.5],
  },
  {
    prop: 'maxRequestBodySize',
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html: API Gateway bodies up to 64 KB inspected',
    build: (s, v) => api(s, { maxRequestBodySize: Size.bytes(v) }),
    accepted: [1, 64 * 1024],
    refused: [0, 64 * 1024 + 1],
  },
  {
    prop: 'maxRequestBodySize',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html: payload size 10 MB',
    build: (s, v) => api(s, { createWebAcl: false, maxRequestBodySize: Size.bytes(v) }),
    accepted: [10 * 1024 * 1024],
    refused: [10 * 1024 * 1024 + 1],
  },
  {
    prop: 'customDomain.domainName',
    source: 'https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html: a certificate\'s first name, at most 64 octets',
    build: (s, v) => api(s, { customDomain: { domainName: domainOf(v), hostedZone: zone(s) } }),
    accepted: [64],
    refused: [65],
  },
  {
    prop: 'customDomain.domainName',
    source: 'https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html: a name of the certificate, at most 253 octets',
    build: (s, v) => api(s, { customDomain: { domainName: domainOf(v), hostedZone: zone(s), certificate: givenCertificate(s) } }),
    accepted: [253],
    refused: [254],
  },
  {
    prop: 'alarms.api5xxRate',
    source: 'a fraction of requests (README, DeploymentStage): more than none, at most all of them',
    build: (_s, v) => DeploymentStage.custom({ name: 'qa', alarms: { api5xxRate: v } }),
    accepted: [0.0001, 1],
    refused: [0, 1.01],
  },
  {
    prop: 'secretRotationPeriod',
    source: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html: AutomaticallyAfterDays, 1 to 1000',
    build: (_s, v) => DeploymentStage.custom({ name: 'qa', secretRotationPeriod: Duration.days(v) }),
    accepted: [1, 1000],
    refused: [0, 1001, 1.5],
  },
  {
    prop: 'backup.retention',
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html: DeleteAfterDays, in whole days (at least 1)',
    build: (s, v) => table(s, { backup: { retention: Duration.hours(v) } }),
    accepted: [24],
    refused: [23],
  },
  {
    prop: 'capacity.readCapacity',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ProvisionedThroughput.html: ReadCapacityUnits, minimum 1',
    build: (_s, v) => TableCapacity.provisioned({ readCapacity: v, writeCapacity: 5 }),
    accepted: [1],
    refused: [0, 1.5],
  },
  {
    prop: 'capacity.maxReadRequestUnits',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_OnDemandThroughput.html: a maximum is greater than or equal to 1',
    build: (_s, v) => TableCapacity.onDemand({ maxReadRequestUnits: v }),
    accepted: [1],
    refused: [0, 1.5],
  },
  {
    prop: 'capacity.maxWriteRequestUnits',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_OnDemandThroughput.html: a maximum is greater than or equal to 1',
    build: (_s, v) => TableCapacity.onDemand({ maxWriteRequestUnits: v }),
    accepted: [1],
    refused: [0, 1.5],
  },
  {
    prop: 'pointInTimeRecoveryPeriod',
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PointInTimeRecoverySpecification.html: RecoveryPeriodInDays, 1 to 35',
    build: (s, v) => table(s, { pointInTimeRecoveryPeriod: Duration.days(v) }),
    accepted: [1, 35],
    refused: [0, 36],
  },
  {
    prop: 'noncurrentVersionTransitionAfter',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html: to S3 Standard-IA after at least 30 days',
    build: (s, v) => new ArtifactBucket(s, 'Bucket', { noncurrentVersionTransitionAfter: Duration.days(v), noncurrentVersionExpiration: Duration.days(400) }),
    accepted: [30],
    refused: [29],
  },
  {
    prop: 'retryAttempts',
    source: 'https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html: MaximumRetryAttempts, 0 to 2',
    build: (s, v) => fn(s, { retryAttempts: v }),
    accepted: [0, 2],
    refused: [3, -1],
  },
  {
    prop: 'maxEventAge',
    source: 'https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html: MaximumEventAgeInSeconds, 60 to 21600',
    build: (s, v) => fn(s, { maxEventAge: Duration.seconds(v) }),
    accepted: [60, 21600],
    refused: [59, 21601],
  },
  {
    prop: 'timeout',
    source: 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html: Timeout, at most 900 seconds',
    build: (s, v) => fn(s, { timeout: Duration.seconds(v) }),
    accepted: [900],
    refused: [901],
  },
];

const newStack = () => new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });

describe.each(BOUNDS.map((bound) => [`${bound.prop} (${bound.accepted.join(', ')} accepted; ${bound.refused.join(', ')} refused)`, bound] as const))(
  '%s', (_name, bound) => {
    test.each(bound.accepted)('%p is accepted', (value) => {
      expect(() => bound.build(newStack(), value)).not.toThrow();
    });
    test.each(bound.refused)('%p is refused, naming the prop', (value) => {
      expect(() => bound.build(newStack(), value)).toThrow(bound.prop);
    });
  },
);

test('the domain names of the customDomain row have the lengths they claim, in valid labels', () => {
  for (const length of [64, 65, 253, 254]) {
    const name = domainOf(length);
    expect(name).toHaveLength(length);
    expect(name.split('.').every((label) => label.length >= 1 && label.length <= 63)).toBe(true);
  }
});

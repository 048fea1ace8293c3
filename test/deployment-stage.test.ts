import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DeploymentStage, DeploymentStageProps } from '../src';

describe('presets', () => {
  test('DEV is cheap and disposable', () => {
    const dev = DeploymentStage.DEV;
    expect(dev.name).toBe('dev');
    expect(dev.tableOnDemand).toBe(true);
    expect(dev.functionMemorySize).toBe(256);
    expect(dev.logRetention).toBe(logs.RetentionDays.ONE_WEEK);
    expect(dev.logLevel).toBe(lambda.ApplicationLogLevel.DEBUG);
    expect(dev.provisionedConcurrencyEnabled).toBe(false);
    expect(dev.deploymentConfig).toBeUndefined();
    expect(dev.gradualRollout).toBe(false);
    expect(dev.apiCacheEnabled).toBe(false);
    expect(dev.wafEnabled).toBe(false);
    expect(dev.removalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(dev.stackProtection).toBe(false);
    expect(dev.corsAllowOrigins).toEqual(['http://localhost:3000']);
  });

  test('STAGING is production-shaped: provisioned table, linear rollout, WAF, RETAIN and stack protection', () => {
    const staging = DeploymentStage.STAGING;
    expect(staging.name).toBe('staging');
    expect(staging.tableOnDemand).toBe(false);
    expect([staging.tableMinReadCapacity, staging.tableMaxReadCapacity]).toEqual([5, 50]);
    expect(staging.deploymentConfig).toBe(codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE);
    expect(staging.wafEnabled).toBe(true);
    expect(staging.removalPolicy).toBe(RemovalPolicy.RETAIN);
    expect(staging.stackProtection).toBe(true);
    expect(staging.corsAllowOrigins).toEqual([]);
  });

  test('PROD has provisioned concurrency, cache, canary rollout, long logs, strict alarms, RETAIN and stack protection', () => {
    const prod = DeploymentStage.PROD;
    expect(prod.name).toBe('prod');
    expect(prod.functionMemorySize).toBe(1024);
    expect(prod.provisionedConcurrencyEnabled).toBe(true);
    expect([prod.minProvisionedConcurrency, prod.maxProvisionedConcurrency, prod.provisionedConcurrencyUtilization]).toEqual([2, 20, 0.7]);
    expect(prod.reservedConcurrency).toBeGreaterThanOrEqual(prod.maxProvisionedConcurrency);
    expect(prod.deploymentConfig).toBe(codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES);
    expect(prod.gradualRollout).toBe(true);
    expect(prod.apiCacheEnabled).toBe(false);
    expect(prod.apiCacheTtl.toSeconds()).toBe(300);
    expect(prod.logRetention).toBe(logs.RetentionDays.ONE_YEAR);
    expect(prod.logLevel).toBe(lambda.ApplicationLogLevel.INFO);
    expect(prod.functionErrorsAlarmThreshold).toBe(1);
    expect(prod.api5xxRateAlarmThreshold).toBe(0.01);
    expect(prod.removalPolicy).toBe(RemovalPolicy.RETAIN);
    expect(prod.stackProtection).toBe(true);
    expect(prod.secretRotationPeriod.toDays()).toBe(30);
  });

  test('a preset cannot be changed through its CORS origins array, nor through the array it was given', () => {
    DeploymentStage.DEV.corsAllowOrigins.push('https://evil.example.com');
    expect(DeploymentStage.DEV.corsAllowOrigins).toEqual(['http://localhost:3000']);
    const origins = ['https://qa.example.com'];
    const qa = DeploymentStage.custom({ name: 'qa', corsAllowOrigins: origins });
    origins.push('https://evil.example.com');
    expect(qa.corsAllowOrigins).toEqual(['https://qa.example.com']);
  });
});

describe('custom', () => {
  test('inherits every unset field from DEV by default', () => {
    const qa = DeploymentStage.custom({ name: 'qa', functionMemorySize: 512 });
    expect(qa.name).toBe('qa');
    expect(qa.functionMemorySize).toBe(512);
    expect(qa.tableOnDemand).toBe(DeploymentStage.DEV.tableOnDemand);
    expect(qa.logRetention).toBe(DeploymentStage.DEV.logRetention);
    expect(qa.removalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(qa.deploymentConfig).toBeUndefined();
  });

  test('inherits from the stage it is based on and overrides what it sets', () => {
    const euProd = DeploymentStage.custom({
      name: 'prod-eu',
      basedOn: DeploymentStage.PROD,
      corsAllowOrigins: ['https://app.example.eu'],
      logRetention: logs.RetentionDays.TWO_YEARS,
      minProvisionedConcurrency: 0,
      maxProvisionedConcurrency: 0,
    });
    expect(euProd.corsAllowOrigins).toEqual(['https://app.example.eu']);
    expect(euProd.logRetention).toBe(logs.RetentionDays.TWO_YEARS);
    expect(euProd.provisionedConcurrencyEnabled).toBe(false);
    expect(euProd.stackProtection).toBe(true);
    expect(euProd.deploymentConfig).toBe(codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES);
    expect(euProd.functionMemorySize).toBe(1024);
  });

  test('rollout: a config turns it on, false turns it off, true without a config uses a 10% canary', () => {
    const linear = codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_2MINUTES;
    expect(DeploymentStage.custom({ name: 'a', deploymentConfig: linear }).deploymentConfig).toBe(linear);
    expect(DeploymentStage.custom({ name: 'b', basedOn: DeploymentStage.PROD, gradualRollout: false }).deploymentConfig).toBeUndefined();
    expect(DeploymentStage.custom({ name: 'c', gradualRollout: true }).deploymentConfig).toBe(codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES);
    expect(DeploymentStage.custom({ name: 'd', basedOn: DeploymentStage.STAGING, gradualRollout: true }).deploymentConfig)
      .toBe(codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE);
    expect(() => DeploymentStage.custom({ name: 'e', gradualRollout: false, deploymentConfig: linear })).toThrow(
      'DeploymentStage "e": deploymentConfig is set but gradualRollout is false; remove deploymentConfig or set gradualRollout to true.',
    );
  });

  test.each<[string, Partial<DeploymentStageProps>, string]>([
    ['name', { name: 'Prod' }, 'name must start with a lowercase letter and contain only lowercase letters, digits and hyphens (at most 20 characters); rename it, e.g. "qa" or "prod-eu".'],
    ['long name', { name: 'a-very-long-stage-name-indeed' }, 'name must start with a lowercase letter'],
    ['memory too small', { functionMemorySize: 64 }, 'functionMemorySize (64) must be a whole number from 128 to 10240; set functionMemorySize within that range.'],
    ['memory too large', { functionMemorySize: 20_000 }, 'functionMemorySize (20000) must be a whole number from 128 to 10240'],
    ['timeout', { functionTimeout: Duration.minutes(20) }, 'functionTimeout (seconds) (1200) must be a whole number from 1 to 900'],
    ['read capacity order', { tableMinReadCapacity: 20, tableMaxReadCapacity: 10 }, 'tableMaxReadCapacity (10) must be >= tableMinReadCapacity (20); raise tableMaxReadCapacity or lower tableMinReadCapacity.'],
    ['write capacity order', { tableMinWriteCapacity: 20, tableMaxWriteCapacity: 10 }, 'tableMaxWriteCapacity (10) must be >= tableMinWriteCapacity (20)'],
    ['zero capacity', { tableMinReadCapacity: 0 }, 'tableMinReadCapacity (0) must be a whole number from 1 to 40000'],
    ['table utilisation', { tableTargetUtilizationPercent: 95 }, 'tableTargetUtilizationPercent (95) must be at least 20 and at most 90'],
    ['provisioned order', { minProvisionedConcurrency: 5, maxProvisionedConcurrency: 2 }, 'maxProvisionedConcurrency (2) must be >= minProvisionedConcurrency (5)'],
    ['reserved below provisioned', { maxProvisionedConcurrency: 30, reservedConcurrency: 10 }, 'reservedConcurrency (10) must be >= maxProvisionedConcurrency (30); raise reservedConcurrency or lower maxProvisionedConcurrency.'],
    ['provisioned utilisation', { provisionedConcurrencyUtilization: 0.95 }, 'provisionedConcurrencyUtilization (0.95) must be at least 0.1 and at most 0.9'],
    ['throttling burst', { throttlingBurstLimit: -1 }, 'throttlingBurstLimit (-1) must be a whole number >= 0; set throttlingBurstLimit to 0 or more.'],
    ['throttling rate', { throttlingRateLimit: -5 }, 'throttlingRateLimit (-5) must be >= 0'],
    ['cache size', { apiCacheSize: '2' }, 'apiCacheSize ("2") is not an API Gateway cache size; use one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237.'],
    ['cache ttl', { apiCacheTtl: Duration.hours(2) }, 'apiCacheTtl (seconds) (7200) must be a whole number from 0 to 3600'],
    ['destroy with protection', { removalPolicy: RemovalPolicy.DESTROY, stackProtection: true }, 'removalPolicy DESTROY contradicts stackProtection, which retains stateful resources; set removalPolicy to RETAIN or stackProtection to false.'],
    ['wildcard origin', { corsAllowOrigins: ['*'] }, 'corsAllowOrigins entry "*" is not an origin; use scheme://host[:port] without a path or wildcard, e.g. https://app.example.com.'],
    ['origin with path', { corsAllowOrigins: ['https://app.example.com/login'] }, 'corsAllowOrigins entry "https://app.example.com/login" is not an origin'],
    ['errors threshold', { functionErrorsAlarmThreshold: 1.5 }, 'functionErrorsAlarmThreshold (1.5) must be a whole number >= 0'],
    ['throttles threshold', { functionThrottlesAlarmThreshold: -1 }, 'functionThrottlesAlarmThreshold (-1) must be a whole number >= 0'],
    ['table throttles threshold', { tableThrottlesAlarmThreshold: -1 }, 'tableThrottlesAlarmThreshold (-1) must be a whole number >= 0'],
    ['duration fraction zero', { durationAlarmFractionOfTimeout: 0 }, 'durationAlarmFractionOfTimeout (0) must be greater than 0 and at most 1'],
    ['duration fraction above one', { durationAlarmFractionOfTimeout: 1.2 }, 'durationAlarmFractionOfTimeout (1.2) must be greater than 0 and at most 1'],
    ['5xx rate', { api5xxRateAlarmThreshold: 5 }, 'api5xxRateAlarmThreshold (5) must be at least 0 and at most 1'],
    ['rotation period', { secretRotationPeriod: Duration.days(2000) }, 'secretRotationPeriod (days) (2000) must be a whole number from 1 to 1000'],
    ['rotation in hours', { secretRotationPeriod: Duration.hours(36) }, 'secretRotationPeriod (days) (1.5) must be a whole number from 1 to 1000'],
  ])('rejects an invalid %s, naming the prop and the fix', (_, overrides, message) => {
    const props = { name: 'qa', ...overrides } as DeploymentStageProps;
    expect(() => DeploymentStage.custom(props)).toThrow(`DeploymentStage "${props.name}": ${message}`);
  });

  test('accepts the boundaries', () => {
    expect(() => DeploymentStage.custom({
      name: 'edge-0123456789abcde',
      functionMemorySize: 10_240,
      functionTimeout: Duration.minutes(15),
      throttlingBurstLimit: 0,
      throttlingRateLimit: 0,
      apiCacheTtl: Duration.seconds(0),
      durationAlarmFractionOfTimeout: 1,
      secretRotationPeriod: Duration.days(1),
      corsAllowOrigins: ['https://app.example.com:8443', 'http://localhost:5173'],
    })).not.toThrow();
  });
});

describe('fromContext', () => {
  function scopeWithContext(context: Record<string, unknown>): Stack {
    return new Stack(new App({ context }), 'Stage');
  }

  test('is DEV when the context does not set a stage', () => {
    expect(DeploymentStage.fromContext(scopeWithContext({}))).toBe(DeploymentStage.DEV);
  });

  test.each([
    ['prod', DeploymentStage.PROD],
    ['PROD', DeploymentStage.PROD],
    [' Staging ', DeploymentStage.STAGING],
    ['dev', DeploymentStage.DEV],
  ])('reads -c stage=%s case-insensitively', (value, expected) => {
    expect(DeploymentStage.fromContext(scopeWithContext({ stage: value }))).toBe(expected);
  });

  test('an unknown stage throws, listing the known ones', () => {
    expect(() => DeploymentStage.fromContext(scopeWithContext({ stage: 'production' }))).toThrow(
      'DeploymentStage: unknown stage "production" in the CDK context "stage"; use one of dev, staging, prod (e.g. cdk synth -c stage=prod).',
    );
    expect(() => DeploymentStage.fromContext(scopeWithContext({ stage: 3 }))).toThrow(/unknown stage 3 .*use one of dev, staging, prod/);
  });
});

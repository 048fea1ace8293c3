import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  DeploymentStage, DeploymentStageProps, EncryptedFunction, EncryptedFunctionProps, SecureTable, SecureTableProps, TableCapacity,
  ValidatedRestApi, ValidatedRestApiProps,
} from '../../src';

const PRESETS = [DeploymentStage.DEV, DeploymentStage.STAGING, DeploymentStage.PROD];

/** Days of a log retention (the enum's values are days, per the CloudWatch Logs API). */
const retentionDays = (retention: logs.RetentionDays) => Number(retention);

describe('presets', () => {
  test('fromContext names them dev, staging and prod', () => {
    expect(PRESETS.map((stage) => stage.name)).toEqual(['dev', 'staging', 'prod']);
  });

  test('DEV is disposable; STAGING and PROD keep their data and protect the stack', () => {
    expect([DeploymentStage.DEV.removalPolicy, DeploymentStage.DEV.stackProtection]).toEqual([RemovalPolicy.DESTROY, false]);
    for (const stage of [DeploymentStage.STAGING, DeploymentStage.PROD]) {
      expect([stage.removalPolicy, stage.stackProtection]).toEqual([RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, true]);
    }
  });

  test('DEV bills the table on demand and deploys at once; STAGING and PROD provision, keep warm instances and roll out gradually', () => {
    expect(DeploymentStage.DEV.table.capacity?.billingMode).toBe(dynamodb.BillingMode.PAY_PER_REQUEST);
    expect(DeploymentStage.DEV.handlerFunction.provisionedConcurrency).toBeUndefined();
    expect(DeploymentStage.DEV.handlerFunction.deployment).toBeUndefined();
    for (const stage of [DeploymentStage.STAGING, DeploymentStage.PROD]) {
      expect(stage.table.capacity?.billingMode).toBe(dynamodb.BillingMode.PROVISIONED);
      expect(stage.handlerFunction.provisionedConcurrency?.minCapacity).toBeGreaterThanOrEqual(1);
      expect(stage.handlerFunction.deployment).toBeDefined();
      expect(stage.api.createWebAcl).toBe(true);
    }
  });

  test('every preset is within the limits of AWS and of the constructs', () => {
    for (const stage of PRESETS) {
      // API Gateway's integration timeout is 29 s: a longer handler timeout could never be used by the API.
      expect(stage.handlerFunction.timeout!.toSeconds()).toBeLessThanOrEqual(29);
      // Lambda cannot provision more concurrency than the function reserves.
      if (stage.handlerFunction.provisionedConcurrency) {
        expect(stage.handlerFunction.provisionedConcurrency.maxCapacity).toBeLessThanOrEqual(stage.handlerFunction.reservedConcurrentExecutions!);
      }
      // No preset caches GETs: a cached GET would hand stale versions to the items API's optimistic updates.
      expect(stage.api.cache).toBeUndefined();
      expect(stage.alarms.api5xxRate).toBeGreaterThan(0);
      expect(stage.alarms.api5xxRate).toBeLessThanOrEqual(1);
    }
  });

  test('production keeps logs for at least a year (PCI DSS 3.2.1 requirement 10.7)', () => {
    expect(retentionDays(DeploymentStage.PROD.logRetention)).toBeGreaterThanOrEqual(365);
    expect(DeploymentStage.PROD.handlerFunction.applicationLogLevel).toBe(lambda.ApplicationLogLevel.INFO);
  });

  test('each stage is at least as large and as strict as the one before it', () => {
    for (const [smaller, larger] of [[DeploymentStage.DEV, DeploymentStage.STAGING], [DeploymentStage.STAGING, DeploymentStage.PROD]]) {
      expect(larger.handlerFunction.memorySize!).toBeGreaterThanOrEqual(smaller.handlerFunction.memorySize!);
      expect(larger.handlerFunction.reservedConcurrentExecutions!).toBeGreaterThanOrEqual(smaller.handlerFunction.reservedConcurrentExecutions ?? 0);
      expect(larger.api.throttling!.rateLimit!).toBeGreaterThanOrEqual(smaller.api.throttling!.rateLimit!);
      expect(larger.alarms.handlerFunction!.errors!).toBeLessThanOrEqual(smaller.alarms.handlerFunction!.errors!);
      expect(larger.alarms.table!.throttles!).toBeLessThanOrEqual(smaller.alarms.table!.throttles!);
      expect(larger.alarms.api5xxRate!).toBeLessThanOrEqual(smaller.alarms.api5xxRate!);
      expect(retentionDays(larger.logRetention)).toBeGreaterThanOrEqual(retentionDays(smaller.logRetention));
    }
  });

  test('a preset cannot be changed through the settings it returns, nor through the objects it was given', () => {
    (DeploymentStage.DEV.api.cors!.allowOrigins as string[]).push('https://evil.example.com');
    Object.assign(DeploymentStage.PROD.handlerFunction, { memorySize: 128 });
    expect(DeploymentStage.DEV.api.cors!.allowOrigins).toEqual(['http://localhost:3000']);
    expect(DeploymentStage.PROD.handlerFunction.memorySize).toBe(1024);

    const given = { allowOrigins: ['https://qa.example.com'] };
    const qa = DeploymentStage.custom({ name: 'qa', api: { cors: given } });
    given.allowOrigins.push('https://evil.example.com');
    expect(qa.api.cors!.allowOrigins).toEqual(['https://qa.example.com']);
  });

  /**
   * The jsii kernel gives every object that crosses to Python, Java or Go an id: it defines a symbol-keyed property on
   * it (`Symbol($__jsii__objid__$)`), which a frozen or sealed object refuses ("object is not extensible").
   */
  test('every group, and every plain object in it, can cross the jsii boundary', () => {
    const stages = [...PRESETS, DeploymentStage.custom({ name: 'qa', basedOn: DeploymentStage.PROD }), DeploymentStage.fromContext(new App())];
    const plainObjects = (value: unknown): object[] => {
      if (Array.isArray(value)) return [value, ...value.flatMap(plainObjects)];
      if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        return [value, ...Object.values(value).flatMap(plainObjects)];
      }
      return [];
    };
    for (const stage of stages) {
      for (const group of ['table', 'handlerFunction', 'api', 'alarms'] as const) {
        for (const object of plainObjects(stage[group])) {
          expect(() => Object.defineProperty(object, Symbol('$__jsii__objid__$'), { value: 'test@10000' })).not.toThrow();
        }
      }
    }
  });
});

describe('custom', () => {
  test('takes every group and field it does not set from DEV by default', () => {
    const qa = DeploymentStage.custom({ name: 'qa', handlerFunction: { memorySize: 512 } });
    expect(qa.name).toBe('qa');
    expect(qa.handlerFunction).toEqual({ ...DeploymentStage.DEV.handlerFunction, memorySize: 512 });
    for (const group of ['table', 'api', 'alarms'] as const) expect(qa[group]).toEqual(DeploymentStage.DEV[group]);
    const dev = DeploymentStage.DEV;
    expect([qa.logRetention, qa.removalPolicy, qa.stackProtection, qa.secretRotationPeriod])
      .toEqual([dev.logRetention, dev.removalPolicy, dev.stackProtection, dev.secretRotationPeriod]);
  });

  test('a group it sets is merged field by field: the base group\'s other fields stay (issue 24 item 9)', () => {
    const prod = DeploymentStage.PROD;
    const bigProd = DeploymentStage.custom({ name: 'prod-big', basedOn: prod, handlerFunction: { memorySize: 2048 } });
    expect(bigProd.handlerFunction.memorySize).toBe(2048);
    expect(bigProd.handlerFunction.deployment).toBe(prod.handlerFunction.deployment);
    expect(bigProd.handlerFunction.provisionedConcurrency).toEqual({ minCapacity: 2, maxCapacity: 20, utilizationTarget: 0.7 });
    expect(bigProd.handlerFunction.reservedConcurrentExecutions).toBe(200);
    expect(bigProd.handlerFunction.timeout).toBe(prod.handlerFunction.timeout);
  });

  test('a struct field of a group (api.throttling) replaces the base\'s field whole; the others stay the base stage\'s', () => {
    const euProd = DeploymentStage.custom({
      name: 'prod-eu',
      basedOn: DeploymentStage.PROD,
      api: { throttling: { rateLimit: 10, burstLimit: 20 }, cors: { allowOrigins: ['https://app.example.eu'] } },
      logRetention: logs.RetentionDays.TWO_YEARS,
    });
    expect(euProd.api).toEqual({ throttling: { rateLimit: 10, burstLimit: 20 }, cors: { allowOrigins: ['https://app.example.eu'] }, createWebAcl: true });
    expect(euProd.handlerFunction).toEqual(DeploymentStage.PROD.handlerFunction);
    expect(euProd.table).toEqual(DeploymentStage.PROD.table);
    expect(euProd.alarms).toEqual(DeploymentStage.PROD.alarms);
    expect(euProd.logRetention).toBe(logs.RetentionDays.TWO_YEARS);
    expect(euProd.stackProtection).toBe(true);
  });
});

describe('validation at stage creation is the constructs\' own', () => {
  /** The error a construct throws for the props, without the construct path it ends with (a stage has none). */
  function constructError(build: (stack: Stack) => void): string {
    const stack = new Stack(new App(), 'Check', { env: { account: '111111111111', region: 'us-east-1' } });
    try {
      build(stack);
    } catch (error) {
      return (error as Error).message.replace(/ \(construct Check\/[A-Za-z]+\)$/, '');
    }
    throw new Error('the construct accepted the props');
  }
  function stageError(props: DeploymentStageProps): string {
    try {
      DeploymentStage.custom(props);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the stage accepted the props');
  }
  const code = lambda.Code.fromInline('exports.handler = async () => {};');
  const fn = (props: Partial<EncryptedFunctionProps>) => (stack: Stack) => new EncryptedFunction(stack, 'Fn', { code, handler: 'index.handler', ...props });
  const api = (props: ValidatedRestApiProps) => (stack: Stack) => new ValidatedRestApi(stack, 'Api', props);
  const table = (props: Partial<SecureTableProps>) => (stack: Stack) => new SecureTable(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, ...props });
  const FUNCTION = ['EncryptedFunction: ', ''];
  const API = ['ValidatedRestApi: ', ''];

  // [case, stage props, the stage's prop path, the construct's prefix and prop path, the same value given to the construct]
  test.each<[string, Partial<DeploymentStageProps>, string, string[], (stack: Stack) => void]>([
    ['memory', { handlerFunction: { memorySize: 64 } }, 'handlerFunction.', FUNCTION, fn({ memorySize: 64 })],
    ['timeout', { handlerFunction: { timeout: Duration.minutes(20) } }, 'handlerFunction.', FUNCTION, fn({ timeout: Duration.minutes(20) })],
    ['provisioned above reserved', { handlerFunction: { reservedConcurrentExecutions: 10, provisionedConcurrency: { minCapacity: 1, maxCapacity: 30 } } },
      'handlerFunction.', FUNCTION, fn({ reservedConcurrentExecutions: 10, provisionedConcurrency: { minCapacity: 1, maxCapacity: 30 } })],
    ['provisioned utilisation', { handlerFunction: { provisionedConcurrency: { minCapacity: 1, maxCapacity: 2, utilizationTarget: 0.95 } } },
      'handlerFunction.', FUNCTION, fn({ provisionedConcurrency: { minCapacity: 1, maxCapacity: 2, utilizationTarget: 0.95 } })],
    ['negative reserved concurrency', { handlerFunction: { reservedConcurrentExecutions: -1 } }, 'handlerFunction.', FUNCTION, fn({ reservedConcurrentExecutions: -1 })],
    ['throttling burst', { api: { throttling: { burstLimit: -1 } } }, 'api.', API, api({ throttling: { burstLimit: -1 } })],
    ['cache size', { api: { cache: { clusterSize: '2' } } }, 'api.', API, api({ cache: { clusterSize: '2' } })],
    ['wildcard origin with credentials', { api: { cors: { allowOrigins: ['*'], allowCredentials: true } } }, 'api.', API, api({ cors: { allowOrigins: ['*'], allowCredentials: true } })],
    ['origin with a path', { api: { cors: { allowOrigins: ['https://app.example.com/login'] } } }, 'api.', API, api({ cors: { allowOrigins: ['https://app.example.com/login'] } })],
    ['handler errors threshold of 0', { alarms: { handlerFunction: { errors: 0 } } }, 'alarms.handlerFunction.', ['EncryptedFunction: ', 'alarmThresholds.'], fn({ alarmThresholds: { errors: 0 } })],
    ['duration fraction above one', { alarms: { handlerFunction: { durationFractionOfTimeout: 1.2 } } }, 'alarms.handlerFunction.', ['EncryptedFunction: ', 'alarmThresholds.'],
      fn({ alarmThresholds: { durationFractionOfTimeout: 1.2 } })],
    ['table throttles threshold of 0', { alarms: { table: { throttles: 0 } } }, 'alarms.table.', ['SecureTable: ', 'alarmThresholds.'], table({ alarmThresholds: { throttles: 0 } })],
  ])('rejects %s with the construct\'s message, naming the stage\'s prop', (_, overrides, stagePath, [owner, constructPath], build) => {
    const message = stageError({ name: 'qa', ...overrides });
    expect(message.startsWith(`DeploymentStage "qa": ${stagePath}`)).toBe(true);
    // The same check: the same message once each names the prop relative to itself.
    const relative = (text: string, prefix: string, path: string) => text.slice(prefix.length).split(path).join('');
    expect(relative(message, 'DeploymentStage "qa": ', stagePath)).toBe(relative(constructError(build), owner, constructPath));
  });

  test('a capacity is checked by TableCapacity when it is made, before any stage holds it', () => {
    expect(() => TableCapacity.provisioned({ readCapacity: 20, writeCapacity: 5, maxReadCapacity: 10 })).toThrow(
      'SecureTable: capacity.maxReadCapacity (10) must be >= readCapacity (20); raise maxReadCapacity or lower readCapacity.',
    );
  });

  test.each<[string, Partial<DeploymentStageProps>, string]>([
    ['name', { name: 'Prod' }, 'name must start with a lowercase letter and contain only lowercase letters, digits and hyphens (at most 20 characters); rename it, e.g. "qa" or "prod-eu".'],
    ['long name', { name: 'a-very-long-stage-name-indeed' }, 'name must start with a lowercase letter'],
    ['5XX rate as a percentage', { alarms: { api5xxRate: 5 } }, 'alarms.api5xxRate (5) is a fraction of requests: it must be greater than 0 and at most 1, e.g. 0.01 for 1 %.'],
    ['5XX rate of 0', { alarms: { api5xxRate: 0 } }, 'alarms.api5xxRate (0) is a fraction of requests'],
    ['destroy with protection', { removalPolicy: RemovalPolicy.DESTROY, stackProtection: true }, 'removalPolicy DESTROY contradicts stackProtection, which retains stateful resources; set removalPolicy to RETAIN_ON_UPDATE_OR_DELETE (or RETAIN) or stackProtection to false.'],
    // API Gateway quotas: a REST API's integration timeout is 29 seconds by default.
    ['handler timeout beyond API Gateway\'s wait', { handlerFunction: { timeout: Duration.seconds(30) } }, 'handlerFunction.timeout (30 s) exceeds API Gateway\'s integration timeout of 29 s'],
    ['rotation period', { secretRotationPeriod: Duration.days(2000) }, 'secretRotationPeriod (2000 days) must be a whole number of days from 1 to 1000; set it within that range.'],
    ['rotation in hours', { secretRotationPeriod: Duration.hours(36) }, 'secretRotationPeriod (1.5 days) must be a whole number of days from 1 to 1000'],
  ])('rejects an invalid %s with the stage\'s own checks', (_, overrides, message) => {
    const props = { name: 'qa', ...overrides };
    expect(() => DeploymentStage.custom(props)).toThrow(`DeploymentStage "${props.name}": ${message}`);
  });

  test('accepts the boundaries', () => {
    expect(() => DeploymentStage.custom({
      name: 'edge-0123456789abcde',
      handlerFunction: { memorySize: 10_240, timeout: Duration.seconds(29) },
      api: { throttling: { rateLimit: 0, burstLimit: 0 }, cors: { allowOrigins: ['https://app.example.com:8443', 'http://localhost:5173'] } },
      alarms: { handlerFunction: { durationFractionOfTimeout: 1 }, api5xxRate: 1 },
      secretRotationPeriod: Duration.days(1),
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

import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { KEEP_DATA, Fail, failIn, known, requireLiteral, validationError } from '../core';
import { EncryptedFunctionAlarmThresholds, ProvisionedConcurrencyOptions, validateFunctionAlarmThresholds, validateFunctionSizing } from '../function';
import { ApiCacheOptions, ApiCorsOptions, ApiThrottling, validateCache, validateCors, validateThrottling, API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS, integrationTimeoutMessage } from '../rest-api';
import { validateTableAlarmThresholds, SecureTableAlarmThresholds, TableCapacity } from '../table';

/** The CDK context key `DeploymentStage.fromContext` reads: `cdk synth -c stage=prod`. */
const STAGE_CONTEXT_KEY = 'stage';

/** The items table of a stage: `SecureTable`'s own settings. */
export interface StageTableSettings {
  /**
   * How the table pays for throughput (`SecureTable`'s `capacity`).
   * @default TableCapacity.onDemand()
   */
  readonly capacity?: TableCapacity;
}

/** The items handler of a stage: `EncryptedFunction`'s own settings. */
export interface StageHandlerFunctionSettings {
  /**
   * Memory in MiB (128..10240).
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Maximum run time of one invocation: at most 29 seconds, API Gateway's integration timeout.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Concurrent executions reserved for (and capping) the handler.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default - none: the handler shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Provisioned concurrency on the `live` alias with target-tracking auto-scaling.
   * @default - none
   */
  readonly provisionedConcurrency?: ProvisionedConcurrencyOptions;
  /**
   * CodeDeploy canary or linear rollout of new versions, rolled back when an alarm fires.
   * @default - none: the alias moves to a new version at once
   */
  readonly deployment?: codedeploy.ILambdaDeploymentConfig;
  /**
   * Lowest level of the application logs the handler emits.
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
}

/** The REST API of a stage: `ValidatedRestApi`'s own settings. */
export interface StageApiSettings {
  /**
   * Stage-wide request throttling.
   * @default - 100 requests per second, bursts of 200
   */
  readonly throttling?: ApiThrottling;
  /**
   * An encrypted response cache for every GET route. Off in every preset: cached GETs are stale for up to the TTL,
   * which breaks read-your-writes (and optimistic concurrency) of the items API.
   * @default - no cache
   */
  readonly cache?: ApiCacheOptions;
  /**
   * Put an AWS WAFv2 web ACL with AWS managed rules in front of the API.
   * @default true
   */
  readonly createWebAcl?: boolean;
  /**
   * CORS for browser clients.
   * @default - no CORS
   */
  readonly cors?: ApiCorsOptions;
}

/** The alarm thresholds of a stage: the constructs' own threshold structs. */
export interface StageAlarmSettings {
  /**
   * The items handler's errors, throttles and duration alarms (one-minute periods).
   * @default - `EncryptedFunction`'s defaults
   */
  readonly handlerFunction?: EncryptedFunctionAlarmThresholds;
  /**
   * The items table's throttle and system-error alarms (five-minute periods).
   * @default - `SecureTable`'s defaults
   */
  readonly table?: SecureTableAlarmThresholds;
  /**
   * Fraction of API requests (0 to 1) answered with 5XX within 5 minutes that raises the service's 5XX alarm.
   * @default - the base stage's in `DeploymentStage.custom` (DEV: 0.05; STAGING and PROD: 0.01); 0.01 elsewhere
   */
  readonly api5xxRate?: number;
}

/**
 * A stage derived from another: its name, and the groups of settings that differ.
 *
 * Each group given is merged field by field into the base stage's group: a field it sets replaces the base's field
 * (a struct field such as `api.throttling` as a whole), every field it leaves out is the base stage's. To drop a
 * base field (e.g. PROD's canary `deployment`), base the stage on one without it.
 */
export interface DeploymentStageProps {
  /**
   * Name of the stage, used in resource names, tags and the API stage name.
   * Lowercase letters, digits and hyphens, starting with a letter, at most 20 characters.
   */
  readonly name: string;
  /**
   * Stage every group left out is taken from.
   * @default DeploymentStage.DEV
   */
  readonly basedOn?: DeploymentStage;
  /**
   * The items table.
   * @default - the base stage's
   */
  readonly table?: StageTableSettings;
  /**
   * The items handler.
   * @default - the base stage's
   */
  readonly handlerFunction?: StageHandlerFunctionSettings;
  /**
   * The REST API.
   * @default - the base stage's
   */
  readonly api?: StageApiSettings;
  /**
   * The alarm thresholds.
   * @default - the base stage's
   */
  readonly alarms?: StageAlarmSettings;
  /**
   * Retention of every log group (handler, API access logs, helpers).
   * @default - the base stage's
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to stateful resources (table, buckets, keys, secret, log groups) when they leave the stack.
   * `DESTROY` deletes their data with the stack; it is rejected together with `stackProtection`.
   * @default - the base stage's
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Apply `StackProtection`: termination protection, a stack policy that denies replacing or deleting stateful
   * resources, and RETAIN on them.
   * @default - the base stage's
   */
  readonly stackProtection?: boolean;
  /**
   * How often the service secret is rotated (whole days, 1 to 1000).
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default - the base stage's
   */
  readonly secretRotationPeriod?: Duration;
}

/** Every setting of a stage, as a preset states it. */
type StageSettings = Required<Omit<DeploymentStageProps, 'basedOn'>>;

const STAGE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * The stage's own checks, then each group through the checks of the construct it configures. A stage is a value made
 * before any construct (a preset or `custom`), so its errors carry no construct path.
 */
function validateStage(stage: StageSettings): void {
  requireLiteral(stage.name, 'name', 'it is the API\'s stage name, from which construct ids are built at synthesis',
    'write the name, e.g. "qa"', failIn(undefined, 'DeploymentStage'));
  const fail: Fail = failIn(undefined, `DeploymentStage "${stage.name}"`);
  if (!STAGE_NAME_PATTERN.test(stage.name)) {
    fail('name must start with a lowercase letter and contain only lowercase letters, digits and hyphens (at most 20 characters); rename it, e.g. "qa" or "prod-eu".');
  }
  validateFunctionSizing(stage.handlerFunction, fail, 'handlerFunction.');
  const timeoutSeconds = stage.handlerFunction.timeout?.toSeconds({ integral: false });
  if (known(timeoutSeconds) && timeoutSeconds > API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS) {
    fail(integrationTimeoutMessage('handlerFunction.timeout', timeoutSeconds));
  }
  validateThrottling(stage.api.throttling ?? {}, fail, 'api.throttling.');
  if (stage.api.cache) validateCache(stage.api.cache, fail, 'api.cache.');
  if (stage.api.cors) validateCors(stage.api.cors, fail, 'api.cors.');
  validateFunctionAlarmThresholds(stage.alarms.handlerFunction ?? {}, fail, 'alarms.handlerFunction.');
  validateTableAlarmThresholds(stage.alarms.table ?? {}, fail, 'alarms.table.');
  const rate = stage.alarms.api5xxRate;
  requireLiteral(rate, 'alarms.api5xxRate', 'the alarm\'s description states it as a percentage at synthesis',
    'write the fraction, e.g. 0.01', fail);
  if (known(rate) && !(rate > 0 && rate <= 1)) {
    fail(`alarms.api5xxRate (${rate}) is a fraction of requests: it must be greater than 0 and at most 1, e.g. 0.01 for 1 %.`);
  }
  if (stage.removalPolicy === RemovalPolicy.DESTROY && stage.stackProtection) {
    fail('removalPolicy DESTROY contradicts stackProtection, which retains stateful resources; set removalPolicy to RETAIN_ON_UPDATE_OR_DELETE (or RETAIN) or stackProtection to false.');
  }
  const rotationDays = stage.secretRotationPeriod.toDays({ integral: false });
  if (!Token.isUnresolved(rotationDays) && !(Number.isInteger(rotationDays) && rotationDays >= 1 && rotationDays <= 1000)) {
    fail(`secretRotationPeriod (${rotationDays} days) must be a whole number of days from 1 to 1000; set it within that range.`);
  }
}

/**
 * A fresh copy of plain objects and arrays (class instances such as `Duration` are shared), so a preset cannot be
 * changed through what it was given or returns. Copies, not frozen objects: the jsii kernel tags every object that
 * crosses to Python, Java or Go with an id, which a frozen object refuses.
 */
function plainCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(plainCopy) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, plainCopy(field)])) as T;
  }
  return value;
}

/**
 * An environment preset: every setting that differs between development, staging and production, grouped by the
 * construct it configures and typed with that construct's own props.
 *
 * One read-only object the service reads from, with these groups:
 *
 * - `table` (`StageTableSettings`): `capacity`, a `TableCapacity` (`SecureTable`'s).
 * - `handlerFunction` (`StageHandlerFunctionSettings`): `memorySize`, `timeout`, `reservedConcurrentExecutions`, `provisionedConcurrency`
 *   (`ProvisionedConcurrencyOptions`), `deployment` (`codedeploy.ILambdaDeploymentConfig`), `applicationLogLevel`
 *   (`EncryptedFunction`'s).
 * - `api` (`StageApiSettings`): `throttling` (`ApiThrottling`), `cache` (`ApiCacheOptions`), `createWebAcl`, `cors`
 *   (`ApiCorsOptions`) (`ValidatedRestApi`'s).
 * - `alarms` (`StageAlarmSettings`): `handlerFunction` (`EncryptedFunctionAlarmThresholds`, one-minute periods), `table`
 *   (`SecureTableAlarmThresholds`, five-minute periods) and `api5xxRate`, the fraction (0 to 1) of API requests answered
 *   5XX within 5 minutes that raises the service's 5XX alarm.
 * - `logRetention`, `removalPolicy`, `stackProtection`, `secretRotationPeriod`: the service's own.
 *
 * How to get one:
 *
 * - `DeploymentStage.DEV`, `DeploymentStage.STAGING`, `DeploymentStage.PROD`: the presets below.
 * - `DeploymentStage.custom({ name, basedOn?, table?, handlerFunction?, api?, alarms?, ... })`: a stage derived from `basedOn`
 *   (default `DEV`). It merges field by field (decision, issue 24): a field you pass in a group replaces the base stage's
 *   field (a struct field such as `api.throttling` as a whole), every group or field you leave out is the base stage's,
 *   so `custom({ basedOn: PROD, handlerFunction: { memorySize: 2048 } })` keeps PROD's canary, provisioned and reserved
 *   concurrency. To drop a base field (e.g. PROD's canary), base the stage on a preset without it. Each group a stage
 *   returns is a fresh copy, readable from every jsii language (`DeploymentStage.PROD.handler_function.memory_size` in Python).
 *   The stage is validated when it is created, by the same checks the constructs run: a bad value throws naming the
 *   stage's prop and the fix (`DeploymentStage "qa": handlerFunction.memorySize (64) must be between 128 and 10240 MiB.`), plus
 *   the stage's own (name `^[a-z][a-z0-9-]{0,19}$`, `alarms.api5xxRate` a fraction above 0 and at most 1, rotation 1..1000
 *   whole days, `DESTROY` together with stack protection rejected). A `TableCapacity` is checked when it is made.
 * - `DeploymentStage.fromContext(this)`: the preset named by the CDK context value `stage`
 *   (`cdk synth -c stage=prod`, case-insensitive); `DEV` when the context does not set it; an unknown name throws,
 *   listing `dev, staging, prod`.
 *
 * **Data loss in `DEV`:** its removal policy is `DESTROY`. Deleting a dev stack, or removing a resource from it,
 * deletes the table, buckets, keys, secret and logs with their data. Keep nothing you need in a `DEV` stage; use
 * `STAGING`/`PROD` (`RETAIN_ON_UPDATE_OR_DELETE` + stack protection) or
 * `custom({ ..., removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE })`.
 *
 * | setting | dev | staging | prod |
 * |---|---|---|---|
 * | `name` | `dev` | `staging` | `prod` |
 * | `table.capacity` | `TableCapacity.onDemand()` | provisioned 5..50 read/write units, 70 % | provisioned 10..500 read/write units, 70 % |
 * | `handlerFunction.memorySize` (MiB) | 256 | 512 | 1024 |
 * | `handlerFunction.timeout` | 10 s | 10 s | 10 s |
 * | `handlerFunction.reservedConcurrentExecutions` | none (a new account's quota leaves nothing to reserve) | 50 | 200 |
 * | `handlerFunction.provisionedConcurrency` | none | 1..5, 0.7 utilisation | 2..20, 0.7 utilisation |
 * | `handlerFunction.deployment` (rollout) | none (all at once, no CodeDeploy) | `LINEAR_10PERCENT_EVERY_1MINUTE` | `CANARY_10PERCENT_5MINUTES` |
 * | `handlerFunction.applicationLogLevel` | `DEBUG` | `INFO` | `INFO` |
 * | `api.throttling` (rate / burst) | 50 / 100 | 200 / 400 | 1000 / 2000 |
 * | `api.cache` | none | none | none (a GET cache breaks read-your-writes of the items API) |
 * | `api.createWebAcl` | no | yes | yes |
 * | `api.cors` | `http://localhost:3000` | none | none |
 * | `alarms.handlerFunction` (errors / throttles per minute, p99 duration as a fraction of the timeout) | 5 / 5 / 0.9 | 3 / 1 / 0.8 | 1 / 1 / 0.8 |
 * | `alarms.table.throttles` (per 5 min) | 10 | 5 | 1 |
 * | `alarms.api5xxRate` | 0.05 (5 %) | 0.01 (1 %) | 0.01 (1 %) |
 * | `logRetention` | `ONE_WEEK` | `ONE_MONTH` | `ONE_YEAR` |
 * | `removalPolicy` | `DESTROY` | `RETAIN_ON_UPDATE_OR_DELETE` | `RETAIN_ON_UPDATE_OR_DELETE` |
 * | `stackProtection` | no | yes | yes |
 * | `secretRotationPeriod` | 90 days | 30 days | 30 days |
 *
 * Provisioned table capacity auto-scales reads and writes by target tracking at 70 % utilisation.
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as lambda from 'aws-cdk-lib/aws-lambda';
 * import * as logs from 'aws-cdk-lib/aws-logs';
 * import { DeploymentStage, EncryptedFunction, ServerlessService } from 'cdk-secure-serverless';
 *
 * const app = new App();
 * const stack = new Stack(app, 'Worker');
 *
 * // `cdk synth -c stage=prod` picks PROD; no context value picks DEV.
 * const stage = DeploymentStage.fromContext(stack);
 *
 * // A production-like stage in another region: PROD's groups, its own name, API settings and longer log retention.
 * const prodEu = DeploymentStage.custom({
 *   name: 'prod-eu',
 *   basedOn: DeploymentStage.PROD,
 *   api: {
 *     throttling: { rateLimit: 500, burstLimit: 1000 },
 *     createWebAcl: true,
 *     cors: { allowOrigins: ['https://app.example.eu'] },
 *   },
 *   logRetention: logs.RetentionDays.TWO_YEARS,
 * });
 * new ServerlessService(new Stack(app, 'orders-prod-eu', { env: { account: '111111111111', region: 'eu-central-1' } }), 'Orders', {
 *   serviceName: 'orders',
 *   stage: prodEu,
 * });
 *
 * // The groups are the constructs' own props: a function of your own can take the stage's handler settings.
 * new EncryptedFunction(stack, 'Worker', {
 *   code: lambda.Code.fromInline('exports.handler = async () => {};'),
 *   handler: 'index.handler',
 *   memorySize: stage.handlerFunction.memorySize,
 *   timeout: stage.handlerFunction.timeout,
 *   alarmThresholds: prodEu.alarms.handlerFunction,
 * });
 */
export class DeploymentStage {
  /**
   * Development: cheap and disposable. On-demand table, no reserved or provisioned concurrency (deploys into a new
   * account with its reduced concurrency quota), no WAF, all-at-once deployments,
   * one-week logs at DEBUG, CORS for `http://localhost:3000`.
   *
   * Data loss: its removal policy is `DESTROY`, so deleting the stack (or removing a resource from it) deletes the
   * table, the buckets, keys, secret and logs. Never keep data you need in a DEV stage.
   */
  public static readonly DEV = new DeploymentStage({
    name: 'dev',
    table: { capacity: TableCapacity.onDemand() },
    handlerFunction: {
      memorySize: 256,
      timeout: Duration.seconds(10),
      // No reservation: Lambda lets one reserve only "the Unreserved account concurrency value that is shown, minus 100"
      // (docs: lambda/latest/dg/configuration-concurrency.html); a new account's quota is often 10 or 50.
      applicationLogLevel: lambda.ApplicationLogLevel.DEBUG,
    },
    api: {
      throttling: { rateLimit: 50, burstLimit: 100 },
      createWebAcl: false,
      cors: { allowOrigins: ['http://localhost:3000'] },
    },
    alarms: {
      handlerFunction: { errors: 5, throttles: 5, durationFractionOfTimeout: 0.9 },
      table: { throttles: 10 },
      api5xxRate: 0.05,
    },
    logRetention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    stackProtection: false,
    secretRotationPeriod: Duration.days(90),
  });

  /**
   * Staging: production-shaped at a smaller scale. Provisioned table with auto-scaling, provisioned concurrency,
   * linear rollout, WAF, one-month logs at INFO, stack protection, and stateful resources kept on update and
   * deletion but not after a failed first create (`RETAIN_ON_UPDATE_OR_DELETE`).
   */
  public static readonly STAGING = new DeploymentStage({
    name: 'staging',
    table: {
      capacity: TableCapacity.provisioned({
        readCapacity: 5, writeCapacity: 5, maxReadCapacity: 50, maxWriteCapacity: 50, targetUtilizationPercent: 70,
      }),
    },
    handlerFunction: {
      memorySize: 512,
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: 50,
      provisionedConcurrency: { minCapacity: 1, maxCapacity: 5, utilizationTarget: 0.7 },
      deployment: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
      applicationLogLevel: lambda.ApplicationLogLevel.INFO,
    },
    api: {
      throttling: { rateLimit: 200, burstLimit: 400 },
      createWebAcl: true,
    },
    alarms: {
      handlerFunction: { errors: 3, throttles: 1, durationFractionOfTimeout: 0.8 },
      table: { throttles: 5 },
      api5xxRate: 0.01,
    },
    logRetention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: KEEP_DATA,
    stackProtection: true,
    secretRotationPeriod: Duration.days(30),
  });

  /**
   * Production: provisioned table with auto-scaling, provisioned concurrency, no API cache (read-your-writes), canary
   * rollout with alarm rollback, WAF, one-year logs at INFO, strict alarms, stack protection and
   * `RETAIN_ON_UPDATE_OR_DELETE` on stateful resources.
   */
  public static readonly PROD = new DeploymentStage({
    name: 'prod',
    table: {
      capacity: TableCapacity.provisioned({
        readCapacity: 10, writeCapacity: 10, maxReadCapacity: 500, maxWriteCapacity: 500, targetUtilizationPercent: 70,
      }),
    },
    handlerFunction: {
      memorySize: 1024,
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: 200,
      provisionedConcurrency: { minCapacity: 2, maxCapacity: 20, utilizationTarget: 0.7 },
      deployment: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      applicationLogLevel: lambda.ApplicationLogLevel.INFO,
    },
    api: {
      throttling: { rateLimit: 1000, burstLimit: 2000 },
      createWebAcl: true,
    },
    alarms: {
      handlerFunction: { errors: 1, throttles: 1, durationFractionOfTimeout: 0.8 },
      table: { throttles: 1 },
      api5xxRate: 0.01,
    },
    logRetention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: KEEP_DATA,
    stackProtection: true,
    secretRotationPeriod: Duration.days(30),
  });

  /**
   * A stage derived from `props.basedOn` (default `DEV`): each group given is merged field by field into the base's
   * group; validated here, so a bad value throws naming the prop.
   */
  public static custom(props: DeploymentStageProps): DeploymentStage {
    const base = props.basedOn ?? DeploymentStage.DEV;
    return new DeploymentStage({
      name: props.name,
      table: { ...base.table, ...props.table },
      handlerFunction: { ...base.handlerFunction, ...props.handlerFunction },
      api: { ...base.api, ...props.api },
      alarms: { ...base.alarms, ...props.alarms },
      logRetention: props.logRetention ?? base.logRetention,
      removalPolicy: props.removalPolicy ?? base.removalPolicy,
      stackProtection: props.stackProtection ?? base.stackProtection,
      secretRotationPeriod: props.secretRotationPeriod ?? base.secretRotationPeriod,
    });
  }

  /**
   * The preset named by the CDK context value `stage` (`cdk synth -c stage=prod`, case-insensitive), or `DEV` when
   * the context does not set it. An unknown name throws, listing the known stages.
   */
  public static fromContext(scope: IConstruct): DeploymentStage {
    const value: unknown = scope.node.tryGetContext(STAGE_CONTEXT_KEY);
    if (value === undefined) return DeploymentStage.DEV;
    const names = DeploymentStage.presets.map((stage) => stage.name);
    const wanted = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    const stage = DeploymentStage.presets.find((preset) => preset.name === wanted);
    if (!stage) {
      throw validationError(scope, `DeploymentStage: unknown stage ${JSON.stringify(value)} in the CDK context "${STAGE_CONTEXT_KEY}"; use one of ${names.join(', ')} (e.g. cdk synth -c ${STAGE_CONTEXT_KEY}=prod).`);
    }
    return stage;
  }

  /** The presets `fromContext` chooses from. */
  private static readonly presets: ReadonlyArray<DeploymentStage> = [DeploymentStage.DEV, DeploymentStage.STAGING, DeploymentStage.PROD];

  /** Name of the stage. */
  public readonly name: string;
  /** Retention of every log group. */
  public readonly logRetention: logs.RetentionDays;
  /** Removal policy of stateful resources. */
  public readonly removalPolicy: RemovalPolicy;
  /** Whether `StackProtection` is applied. */
  public readonly stackProtection: boolean;
  /** How often the service secret is rotated. */
  public readonly secretRotationPeriod: Duration;

  private readonly groups: Pick<StageSettings, 'table' | 'handlerFunction' | 'api' | 'alarms'>;

  private constructor(settings: StageSettings) {
    validateStage(settings);
    this.name = settings.name;
    this.groups = plainCopy({ table: settings.table, handlerFunction: settings.handlerFunction, api: settings.api, alarms: settings.alarms });
    this.logRetention = settings.logRetention;
    this.removalPolicy = settings.removalPolicy;
    this.stackProtection = settings.stackProtection;
    this.secretRotationPeriod = settings.secretRotationPeriod;
  }

  /** The items table's settings (a fresh copy on every read). */
  public get table(): StageTableSettings {
    return plainCopy(this.groups.table);
  }

  /** The items handler's settings (a fresh copy on every read). */
  public get handlerFunction(): StageHandlerFunctionSettings {
    return plainCopy(this.groups.handlerFunction);
  }

  /** The REST API's settings (a fresh copy on every read). */
  public get api(): StageApiSettings {
    return plainCopy(this.groups.api);
  }

  /** The alarm thresholds (a fresh copy on every read). */
  public get alarms(): StageAlarmSettings {
    return plainCopy(this.groups.alarms);
  }
}

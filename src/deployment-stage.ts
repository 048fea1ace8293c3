import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';

/** The cache sizes (GB) an API Gateway stage cache cluster can have. */
const API_CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

/** The CDK context key `DeploymentStage.fromContext` reads: `cdk synth -c stage=prod`. */
const STAGE_CONTEXT_KEY = 'stage';

/**
 * Every environment-specific parameter of a deployment stage.
 *
 * `name` is required; every other field defaults to the value of `basedOn` (itself `DeploymentStage.DEV` by default),
 * so a custom stage states only what differs from the preset it starts from.
 */
export interface DeploymentStageProps {
  /**
   * Name of the stage, used in resource names, tags and the API stage name.
   * Lowercase letters, digits and hyphens, starting with a letter, at most 20 characters.
   */
  readonly name: string;

  /**
   * Preset every unset field is taken from.
   * @default DeploymentStage.DEV
   */
  readonly basedOn?: DeploymentStage;

  /**
   * Bill the table per request instead of provisioned capacity with auto-scaling.
   * @default - the base stage's value
   */
  readonly tableOnDemand?: boolean;

  /**
   * Minimum provisioned read capacity units (ignored when `tableOnDemand`).
   * @default - the base stage's value
   */
  readonly tableMinReadCapacity?: number;

  /**
   * Maximum provisioned read capacity units auto-scaling may reach (ignored when `tableOnDemand`).
   * @default - the base stage's value
   */
  readonly tableMaxReadCapacity?: number;

  /**
   * Minimum provisioned write capacity units (ignored when `tableOnDemand`).
   * @default - the base stage's value
   */
  readonly tableMinWriteCapacity?: number;

  /**
   * Maximum provisioned write capacity units auto-scaling may reach (ignored when `tableOnDemand`).
   * @default - the base stage's value
   */
  readonly tableMaxWriteCapacity?: number;

  /**
   * Consumed/provisioned capacity percentage the table's auto-scaling keeps (20 to 90).
   * @default - the base stage's value
   */
  readonly tableTargetUtilizationPercent?: number;

  /**
   * Memory of the API function in MB (128 to 10240).
   * @default - the base stage's value
   */
  readonly functionMemorySize?: number;

  /**
   * Timeout of the API function (1 second to 15 minutes; API Gateway stops waiting after 29 seconds).
   * @default - the base stage's value
   */
  readonly functionTimeout?: Duration;

  /**
   * Reserved concurrent executions of the API function: caps its scale and guarantees it capacity.
   * @default - the base stage's value
   */
  readonly reservedConcurrency?: number;

  /**
   * Minimum provisioned concurrency of the function's `live` alias; 0 means no provisioned concurrency.
   * @default - the base stage's value
   */
  readonly minProvisionedConcurrency?: number;

  /**
   * Maximum provisioned concurrency auto-scaling may reach on the `live` alias.
   * @default - the base stage's value
   */
  readonly maxProvisionedConcurrency?: number;

  /**
   * Provisioned concurrency utilisation (0.1 to 0.9) the alias's auto-scaling keeps.
   * @default - the base stage's value
   */
  readonly provisionedConcurrencyUtilization?: number;

  /**
   * Roll new function versions out gradually with CodeDeploy (alarms roll back).
   * Setting `deploymentConfig` turns it on; `false` with a `deploymentConfig` is rejected.
   * @default - true when `deploymentConfig` is set, else the base stage's value
   */
  readonly gradualRollout?: boolean;

  /**
   * CodeDeploy canary or linear configuration of a gradual rollout.
   * @default - the base stage's configuration, or `LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES`
   */
  readonly deploymentConfig?: codedeploy.ILambdaDeploymentConfig;

  /**
   * Retention of every log group (function, API access logs, helpers).
   * @default - the base stage's value
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Minimum level of the application logs the function emits.
   * @default - the base stage's value
   */
  readonly logLevel?: lambda.ApplicationLogLevel;

  /**
   * Steady-state request rate limit of the API stage (requests per second).
   * @default - the base stage's value
   */
  readonly throttlingRateLimit?: number;

  /**
   * Burst limit of the API stage (requests).
   * @default - the base stage's value
   */
  readonly throttlingBurstLimit?: number;

  /**
   * Enable the encrypted API Gateway response cache for every GET route. Off in every preset: cached GETs are stale
   * for up to the TTL, which breaks read-your-writes (and optimistic concurrency) of the items API.
   * @default - the base stage's value
   */
  readonly apiCacheEnabled?: boolean;

  /**
   * Size of the API cache cluster in GB: one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237.
   * @default - the base stage's value
   */
  readonly apiCacheSize?: string;

  /**
   * Time cached API responses live (0 to 3600 seconds).
   * @default - the base stage's value
   */
  readonly apiCacheTtl?: Duration;

  /**
   * Put an AWS WAFv2 web ACL with AWS managed rules in front of the API.
   * @default - the base stage's value
   */
  readonly wafEnabled?: boolean;

  /**
   * What happens to stateful resources (table, buckets, keys, secret, log groups) when they leave the stack.
   * `DESTROY` deletes their data with the stack; it is rejected together with `stackProtection`.
   * @default - the base stage's value
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Apply `StackProtection`: termination protection, a stack policy that denies replacing or deleting stateful
   * resources, and RETAIN on them.
   * @default - the base stage's value
   */
  readonly stackProtection?: boolean;

  /**
   * Origins the API allows in CORS requests, e.g. `https://app.example.com`; an empty list allows none.
   * @default - the base stage's value
   */
  readonly corsAllowOrigins?: string[];

  /**
   * Function errors within one 5-minute period that raise the errors alarm.
   * @default - the base stage's value
   */
  readonly functionErrorsAlarmThreshold?: number;

  /**
   * Function throttles within one 5-minute period that raise the throttles alarm.
   * @default - the base stage's value
   */
  readonly functionThrottlesAlarmThreshold?: number;

  /**
   * Fraction of the function timeout (greater than 0, at most 1) the p99 duration may reach before it alarms.
   * @default - the base stage's value
   */
  readonly durationAlarmFractionOfTimeout?: number;

  /**
   * Fraction of API requests (0 to 1) answered with 5XX within 5 minutes that raises the server-errors alarm.
   * @default - the base stage's value
   */
  readonly api5xxRateAlarmThreshold?: number;

  /**
   * Throttled DynamoDB requests within one 5-minute period that raise the table throttles alarm.
   * @default - the base stage's value
   */
  readonly tableThrottlesAlarmThreshold?: number;

  /**
   * How often the service secret is rotated (whole days, 1 to 1000).
   * @default - the base stage's value
   */
  readonly secretRotationPeriod?: Duration;
}

/** The fully resolved values of a stage: every field of the props, none optional. */
interface ResolvedStageValues {
  readonly name: string;
  readonly tableOnDemand: boolean;
  readonly tableMinReadCapacity: number;
  readonly tableMaxReadCapacity: number;
  readonly tableMinWriteCapacity: number;
  readonly tableMaxWriteCapacity: number;
  readonly tableTargetUtilizationPercent: number;
  readonly functionMemorySize: number;
  readonly functionTimeout: Duration;
  readonly reservedConcurrency: number;
  readonly minProvisionedConcurrency: number;
  readonly maxProvisionedConcurrency: number;
  readonly provisionedConcurrencyUtilization: number;
  readonly deploymentConfig: codedeploy.ILambdaDeploymentConfig | undefined;
  readonly logRetention: logs.RetentionDays;
  readonly logLevel: lambda.ApplicationLogLevel;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly apiCacheEnabled: boolean;
  readonly apiCacheSize: string;
  readonly apiCacheTtl: Duration;
  readonly wafEnabled: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly stackProtection: boolean;
  readonly corsAllowOrigins: string[];
  readonly functionErrorsAlarmThreshold: number;
  readonly functionThrottlesAlarmThreshold: number;
  readonly durationAlarmFractionOfTimeout: number;
  readonly api5xxRateAlarmThreshold: number;
  readonly tableThrottlesAlarmThreshold: number;
  readonly secretRotationPeriod: Duration;
}

function resolveDeploymentConfig(props: DeploymentStageProps, base: DeploymentStage): codedeploy.ILambdaDeploymentConfig | undefined {
  if (props.gradualRollout === false) {
    if (props.deploymentConfig) {
      throw new Error(`DeploymentStage "${props.name}": deploymentConfig is set but gradualRollout is false; remove deploymentConfig or set gradualRollout to true.`);
    }
    return undefined;
  }
  if (props.deploymentConfig) return props.deploymentConfig;
  if (props.gradualRollout === true) return base.deploymentConfig ?? codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES;
  return base.deploymentConfig;
}

/** Collects the validation rules so each message names the prop and the fix. */
class StageValidator {
  constructor(private readonly stageName: string) {}

  public fail(message: string): never {
    throw new Error(`DeploymentStage "${this.stageName}": ${message}`);
  }

  public integerBetween(prop: string, value: number, min: number, max: number): void {
    if (Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(`${prop} (${value}) must be a whole number from ${min} to ${max}; set ${prop} within that range.`);
    }
  }

  public numberBetween(prop: string, value: number, min: number, max: number, minExclusive = false): void {
    if (Token.isUnresolved(value)) return;
    const belowMin = minExclusive ? value <= min : value < min;
    if (Number.isNaN(value) || belowMin || value > max) {
      this.fail(`${prop} (${value}) must be ${minExclusive ? 'greater than' : 'at least'} ${min} and at most ${max}; set ${prop} within that range.`);
    }
  }

  public wholeAtLeastZero(prop: string, value: number): void {
    if (Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < 0) this.fail(`${prop} (${value}) must be a whole number >= 0; set ${prop} to 0 or more.`);
  }

  public atLeast(maxProp: string, max: number, minProp: string, min: number): void {
    if (Token.isUnresolved(max) || Token.isUnresolved(min)) return;
    if (max < min) this.fail(`${maxProp} (${max}) must be >= ${minProp} (${min}); raise ${maxProp} or lower ${minProp}.`);
  }
}

const STAGE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
const CORS_ORIGIN_PATTERN = /^https?:\/\/[^/\s*]+$/;

function validateStage(v: ResolvedStageValues): void {
  const check = new StageValidator(v.name);
  if (!STAGE_NAME_PATTERN.test(v.name)) {
    check.fail('name must start with a lowercase letter and contain only lowercase letters, digits and hyphens (at most 20 characters); rename it, e.g. "qa" or "prod-eu".');
  }
  check.integerBetween('tableMinReadCapacity', v.tableMinReadCapacity, 1, 40_000);
  check.integerBetween('tableMaxReadCapacity', v.tableMaxReadCapacity, 1, 40_000);
  check.atLeast('tableMaxReadCapacity', v.tableMaxReadCapacity, 'tableMinReadCapacity', v.tableMinReadCapacity);
  check.integerBetween('tableMinWriteCapacity', v.tableMinWriteCapacity, 1, 40_000);
  check.integerBetween('tableMaxWriteCapacity', v.tableMaxWriteCapacity, 1, 40_000);
  check.atLeast('tableMaxWriteCapacity', v.tableMaxWriteCapacity, 'tableMinWriteCapacity', v.tableMinWriteCapacity);
  check.numberBetween('tableTargetUtilizationPercent', v.tableTargetUtilizationPercent, 20, 90);
  check.integerBetween('functionMemorySize', v.functionMemorySize, 128, 10_240);
  check.integerBetween('functionTimeout (seconds)', v.functionTimeout.toSeconds({ integral: false }), 1, 900);
  check.integerBetween('reservedConcurrency', v.reservedConcurrency, 1, 100_000);
  check.integerBetween('minProvisionedConcurrency', v.minProvisionedConcurrency, 0, 100_000);
  check.integerBetween('maxProvisionedConcurrency', v.maxProvisionedConcurrency, 0, 100_000);
  check.atLeast('maxProvisionedConcurrency', v.maxProvisionedConcurrency, 'minProvisionedConcurrency', v.minProvisionedConcurrency);
  check.atLeast('reservedConcurrency', v.reservedConcurrency, 'maxProvisionedConcurrency', v.maxProvisionedConcurrency);
  check.numberBetween('provisionedConcurrencyUtilization', v.provisionedConcurrencyUtilization, 0.1, 0.9);
  if (!Token.isUnresolved(v.throttlingRateLimit) && !(v.throttlingRateLimit >= 0)) {
    check.fail(`throttlingRateLimit (${v.throttlingRateLimit}) must be >= 0; set it to the requests per second the API may serve.`);
  }
  check.wholeAtLeastZero('throttlingBurstLimit', v.throttlingBurstLimit);
  if (!API_CACHE_SIZES.includes(v.apiCacheSize)) {
    check.fail(`apiCacheSize ("${v.apiCacheSize}") is not an API Gateway cache size; use one of ${API_CACHE_SIZES.join(', ')}.`);
  }
  check.integerBetween('apiCacheTtl (seconds)', v.apiCacheTtl.toSeconds({ integral: false }), 0, 3600);
  if (v.removalPolicy === RemovalPolicy.DESTROY && v.stackProtection) {
    check.fail('removalPolicy DESTROY contradicts stackProtection, which retains stateful resources; set removalPolicy to RETAIN or stackProtection to false.');
  }
  for (const origin of v.corsAllowOrigins) {
    if (!Token.isUnresolved(origin) && !CORS_ORIGIN_PATTERN.test(origin)) {
      check.fail(`corsAllowOrigins entry "${origin}" is not an origin; use scheme://host[:port] without a path or wildcard, e.g. https://app.example.com.`);
    }
  }
  check.wholeAtLeastZero('functionErrorsAlarmThreshold', v.functionErrorsAlarmThreshold);
  check.wholeAtLeastZero('functionThrottlesAlarmThreshold', v.functionThrottlesAlarmThreshold);
  check.numberBetween('durationAlarmFractionOfTimeout', v.durationAlarmFractionOfTimeout, 0, 1, true);
  check.numberBetween('api5xxRateAlarmThreshold', v.api5xxRateAlarmThreshold, 0, 1);
  check.wholeAtLeastZero('tableThrottlesAlarmThreshold', v.tableThrottlesAlarmThreshold);
  check.integerBetween('secretRotationPeriod (days)', v.secretRotationPeriod.toDays({ integral: false }), 1, 1000);
}

/**
 * An environment preset: every parameter that differs between development, staging and production.
 *
 * Use a preset (`DeploymentStage.DEV`, `STAGING`, `PROD`), derive one with `DeploymentStage.custom({...})`,
 * or pick one at synth time with `DeploymentStage.fromContext(this)` (`cdk synth -c stage=prod`).
 */
export class DeploymentStage {
  /**
   * Development: cheap and disposable. On-demand table, no provisioned concurrency, no cache, no WAF,
   * all-at-once deployments, one-week logs at DEBUG, CORS for `http://localhost:3000`.
   *
   * Data loss: its removal policy is `DESTROY`, so deleting the stack (or removing a resource from it) deletes the
   * table, the buckets, keys, secret and logs. Never keep data you need in a DEV stage.
   */
  public static readonly DEV = new DeploymentStage({
    name: 'dev',
    tableOnDemand: true,
    tableMinReadCapacity: 1,
    tableMaxReadCapacity: 10,
    tableMinWriteCapacity: 1,
    tableMaxWriteCapacity: 10,
    tableTargetUtilizationPercent: 70,
    functionMemorySize: 256,
    functionTimeout: Duration.seconds(10),
    reservedConcurrency: 10,
    minProvisionedConcurrency: 0,
    maxProvisionedConcurrency: 0,
    provisionedConcurrencyUtilization: 0.7,
    deploymentConfig: undefined,
    logRetention: logs.RetentionDays.ONE_WEEK,
    logLevel: lambda.ApplicationLogLevel.DEBUG,
    throttlingRateLimit: 50,
    throttlingBurstLimit: 100,
    apiCacheEnabled: false,
    apiCacheSize: '0.5',
    apiCacheTtl: Duration.minutes(5),
    wafEnabled: false,
    removalPolicy: RemovalPolicy.DESTROY,
    stackProtection: false,
    corsAllowOrigins: ['http://localhost:3000'],
    functionErrorsAlarmThreshold: 5,
    functionThrottlesAlarmThreshold: 5,
    durationAlarmFractionOfTimeout: 0.9,
    api5xxRateAlarmThreshold: 0.05,
    tableThrottlesAlarmThreshold: 10,
    secretRotationPeriod: Duration.days(90),
  });

  /**
   * Staging: production-shaped at a smaller scale. Provisioned table with auto-scaling, linear rollout,
   * WAF, one-month logs at INFO, RETAIN and stack protection.
   */
  public static readonly STAGING = new DeploymentStage({
    name: 'staging',
    tableOnDemand: false,
    tableMinReadCapacity: 5,
    tableMaxReadCapacity: 50,
    tableMinWriteCapacity: 5,
    tableMaxWriteCapacity: 50,
    tableTargetUtilizationPercent: 70,
    functionMemorySize: 512,
    functionTimeout: Duration.seconds(10),
    reservedConcurrency: 50,
    minProvisionedConcurrency: 1,
    maxProvisionedConcurrency: 5,
    provisionedConcurrencyUtilization: 0.7,
    deploymentConfig: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
    logRetention: logs.RetentionDays.ONE_MONTH,
    logLevel: lambda.ApplicationLogLevel.INFO,
    throttlingRateLimit: 200,
    throttlingBurstLimit: 400,
    apiCacheEnabled: false,
    apiCacheSize: '0.5',
    apiCacheTtl: Duration.minutes(5),
    wafEnabled: true,
    removalPolicy: RemovalPolicy.RETAIN,
    stackProtection: true,
    corsAllowOrigins: [],
    functionErrorsAlarmThreshold: 3,
    functionThrottlesAlarmThreshold: 1,
    durationAlarmFractionOfTimeout: 0.8,
    api5xxRateAlarmThreshold: 0.01,
    tableThrottlesAlarmThreshold: 5,
    secretRotationPeriod: Duration.days(30),
  });

  /**
   * Production: provisioned table with auto-scaling, provisioned concurrency, no API cache (read-your-writes), canary rollout
   * with alarm rollback, WAF, one-year logs at INFO, strict alarms, RETAIN and stack protection.
   */
  public static readonly PROD = new DeploymentStage({
    name: 'prod',
    tableOnDemand: false,
    tableMinReadCapacity: 10,
    tableMaxReadCapacity: 500,
    tableMinWriteCapacity: 10,
    tableMaxWriteCapacity: 500,
    tableTargetUtilizationPercent: 70,
    functionMemorySize: 1024,
    functionTimeout: Duration.seconds(10),
    reservedConcurrency: 200,
    minProvisionedConcurrency: 2,
    maxProvisionedConcurrency: 20,
    provisionedConcurrencyUtilization: 0.7,
    deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    logRetention: logs.RetentionDays.ONE_YEAR,
    logLevel: lambda.ApplicationLogLevel.INFO,
    throttlingRateLimit: 1000,
    throttlingBurstLimit: 2000,
    // The items API is read-your-writes: a stage-wide GET cache would hand stale versions to optimistic updates.
    apiCacheEnabled: false,
    apiCacheSize: '0.5',
    apiCacheTtl: Duration.minutes(5),
    wafEnabled: true,
    removalPolicy: RemovalPolicy.RETAIN,
    stackProtection: true,
    corsAllowOrigins: [],
    functionErrorsAlarmThreshold: 1,
    functionThrottlesAlarmThreshold: 1,
    durationAlarmFractionOfTimeout: 0.8,
    api5xxRateAlarmThreshold: 0.01,
    tableThrottlesAlarmThreshold: 1,
    secretRotationPeriod: Duration.days(30),
  });

  /** A stage derived from `props.basedOn` (default `DEV`) with the given fields overridden; validated. */
  public static custom(props: DeploymentStageProps): DeploymentStage {
    const base = props.basedOn ?? DeploymentStage.DEV;
    return new DeploymentStage({
      name: props.name,
      tableOnDemand: props.tableOnDemand ?? base.tableOnDemand,
      tableMinReadCapacity: props.tableMinReadCapacity ?? base.tableMinReadCapacity,
      tableMaxReadCapacity: props.tableMaxReadCapacity ?? base.tableMaxReadCapacity,
      tableMinWriteCapacity: props.tableMinWriteCapacity ?? base.tableMinWriteCapacity,
      tableMaxWriteCapacity: props.tableMaxWriteCapacity ?? base.tableMaxWriteCapacity,
      tableTargetUtilizationPercent: props.tableTargetUtilizationPercent ?? base.tableTargetUtilizationPercent,
      functionMemorySize: props.functionMemorySize ?? base.functionMemorySize,
      functionTimeout: props.functionTimeout ?? base.functionTimeout,
      reservedConcurrency: props.reservedConcurrency ?? base.reservedConcurrency,
      minProvisionedConcurrency: props.minProvisionedConcurrency ?? base.minProvisionedConcurrency,
      maxProvisionedConcurrency: props.maxProvisionedConcurrency ?? base.maxProvisionedConcurrency,
      provisionedConcurrencyUtilization: props.provisionedConcurrencyUtilization ?? base.provisionedConcurrencyUtilization,
      deploymentConfig: resolveDeploymentConfig(props, base),
      logRetention: props.logRetention ?? base.logRetention,
      logLevel: props.logLevel ?? base.logLevel,
      throttlingRateLimit: props.throttlingRateLimit ?? base.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit ?? base.throttlingBurstLimit,
      apiCacheEnabled: props.apiCacheEnabled ?? base.apiCacheEnabled,
      apiCacheSize: props.apiCacheSize ?? base.apiCacheSize,
      apiCacheTtl: props.apiCacheTtl ?? base.apiCacheTtl,
      wafEnabled: props.wafEnabled ?? base.wafEnabled,
      removalPolicy: props.removalPolicy ?? base.removalPolicy,
      stackProtection: props.stackProtection ?? base.stackProtection,
      corsAllowOrigins: props.corsAllowOrigins ?? base.corsAllowOrigins,
      functionErrorsAlarmThreshold: props.functionErrorsAlarmThreshold ?? base.functionErrorsAlarmThreshold,
      functionThrottlesAlarmThreshold: props.functionThrottlesAlarmThreshold ?? base.functionThrottlesAlarmThreshold,
      durationAlarmFractionOfTimeout: props.durationAlarmFractionOfTimeout ?? base.durationAlarmFractionOfTimeout,
      api5xxRateAlarmThreshold: props.api5xxRateAlarmThreshold ?? base.api5xxRateAlarmThreshold,
      tableThrottlesAlarmThreshold: props.tableThrottlesAlarmThreshold ?? base.tableThrottlesAlarmThreshold,
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
    const known = DeploymentStage.presets.map((stage) => stage.name);
    const wanted = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    const stage = DeploymentStage.presets.find((preset) => preset.name === wanted);
    if (!stage) {
      throw new Error(`DeploymentStage: unknown stage ${JSON.stringify(value)} in the CDK context "${STAGE_CONTEXT_KEY}"; use one of ${known.join(', ')} (e.g. cdk synth -c ${STAGE_CONTEXT_KEY}=prod).`);
    }
    return stage;
  }

  /** The presets `fromContext` chooses from. */
  private static readonly presets: ReadonlyArray<DeploymentStage> = [DeploymentStage.DEV, DeploymentStage.STAGING, DeploymentStage.PROD];

  /** Name of the stage. */
  public readonly name: string;
  /** Whether the table bills per request (no provisioned capacity). */
  public readonly tableOnDemand: boolean;
  /** Minimum provisioned read capacity units. */
  public readonly tableMinReadCapacity: number;
  /** Maximum provisioned read capacity units. */
  public readonly tableMaxReadCapacity: number;
  /** Minimum provisioned write capacity units. */
  public readonly tableMinWriteCapacity: number;
  /** Maximum provisioned write capacity units. */
  public readonly tableMaxWriteCapacity: number;
  /** Target utilisation percentage of the table's auto-scaling. */
  public readonly tableTargetUtilizationPercent: number;
  /** Memory of the API function in MB. */
  public readonly functionMemorySize: number;
  /** Timeout of the API function. */
  public readonly functionTimeout: Duration;
  /** Reserved concurrent executions of the API function. */
  public readonly reservedConcurrency: number;
  /** Minimum provisioned concurrency of the `live` alias (0: none). */
  public readonly minProvisionedConcurrency: number;
  /** Maximum provisioned concurrency of the `live` alias. */
  public readonly maxProvisionedConcurrency: number;
  /** Target provisioned concurrency utilisation of the alias's auto-scaling. */
  public readonly provisionedConcurrencyUtilization: number;
  /** CodeDeploy configuration of the gradual rollout; undefined when versions go live all at once without CodeDeploy. */
  public readonly deploymentConfig?: codedeploy.ILambdaDeploymentConfig;
  /** Retention of every log group. */
  public readonly logRetention: logs.RetentionDays;
  /** Minimum level of the function's application logs. */
  public readonly logLevel: lambda.ApplicationLogLevel;
  /** API stage steady-state rate limit (requests per second). */
  public readonly throttlingRateLimit: number;
  /** API stage burst limit (requests). */
  public readonly throttlingBurstLimit: number;
  /** Whether the encrypted API cache is enabled. */
  public readonly apiCacheEnabled: boolean;
  /** Size of the API cache cluster in GB. */
  public readonly apiCacheSize: string;
  /** Time cached API responses live. */
  public readonly apiCacheTtl: Duration;
  /** Whether a WAFv2 web ACL protects the API. */
  public readonly wafEnabled: boolean;
  /** Removal policy of stateful resources. */
  public readonly removalPolicy: RemovalPolicy;
  /** Whether `StackProtection` is applied. */
  public readonly stackProtection: boolean;
  /** Function errors per 5 minutes that raise the errors alarm. */
  public readonly functionErrorsAlarmThreshold: number;
  /** Function throttles per 5 minutes that raise the throttles alarm. */
  public readonly functionThrottlesAlarmThreshold: number;
  /** Fraction of the timeout the p99 duration may reach before it alarms. */
  public readonly durationAlarmFractionOfTimeout: number;
  /** Fraction of API requests answered with 5XX that raises the server-errors alarm. */
  public readonly api5xxRateAlarmThreshold: number;
  /** Throttled DynamoDB requests per 5 minutes that raise the table throttles alarm. */
  public readonly tableThrottlesAlarmThreshold: number;
  /** How often the service secret is rotated. */
  public readonly secretRotationPeriod: Duration;

  private readonly origins: string[];

  private constructor(values: ResolvedStageValues) {
    validateStage(values);
    this.name = values.name;
    this.tableOnDemand = values.tableOnDemand;
    this.tableMinReadCapacity = values.tableMinReadCapacity;
    this.tableMaxReadCapacity = values.tableMaxReadCapacity;
    this.tableMinWriteCapacity = values.tableMinWriteCapacity;
    this.tableMaxWriteCapacity = values.tableMaxWriteCapacity;
    this.tableTargetUtilizationPercent = values.tableTargetUtilizationPercent;
    this.functionMemorySize = values.functionMemorySize;
    this.functionTimeout = values.functionTimeout;
    this.reservedConcurrency = values.reservedConcurrency;
    this.minProvisionedConcurrency = values.minProvisionedConcurrency;
    this.maxProvisionedConcurrency = values.maxProvisionedConcurrency;
    this.provisionedConcurrencyUtilization = values.provisionedConcurrencyUtilization;
    this.deploymentConfig = values.deploymentConfig;
    this.logRetention = values.logRetention;
    this.logLevel = values.logLevel;
    this.throttlingRateLimit = values.throttlingRateLimit;
    this.throttlingBurstLimit = values.throttlingBurstLimit;
    this.apiCacheEnabled = values.apiCacheEnabled;
    this.apiCacheSize = values.apiCacheSize;
    this.apiCacheTtl = values.apiCacheTtl;
    this.wafEnabled = values.wafEnabled;
    this.removalPolicy = values.removalPolicy;
    this.stackProtection = values.stackProtection;
    this.origins = [...values.corsAllowOrigins];
    this.functionErrorsAlarmThreshold = values.functionErrorsAlarmThreshold;
    this.functionThrottlesAlarmThreshold = values.functionThrottlesAlarmThreshold;
    this.durationAlarmFractionOfTimeout = values.durationAlarmFractionOfTimeout;
    this.api5xxRateAlarmThreshold = values.api5xxRateAlarmThreshold;
    this.tableThrottlesAlarmThreshold = values.tableThrottlesAlarmThreshold;
    this.secretRotationPeriod = values.secretRotationPeriod;
  }

  /** Origins allowed by CORS (a copy: presets cannot be changed through it). */
  public get corsAllowOrigins(): string[] {
    return [...this.origins];
  }

  /** Whether the function's `live` alias keeps provisioned concurrency. */
  public get provisionedConcurrencyEnabled(): boolean {
    return this.minProvisionedConcurrency > 0;
  }

  /** Whether new function versions roll out gradually through CodeDeploy. */
  public get gradualRollout(): boolean {
    return this.deploymentConfig !== undefined;
  }
}

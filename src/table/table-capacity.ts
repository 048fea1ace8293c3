import { Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Fail, failIn, requireLiteral } from '../core';
import { DEFAULT_MAX_CAPACITY_FACTOR, PROVISIONED_CAPACITY_DEFAULTS } from './table-defaults';

/** The target utilisation range DynamoDB auto-scaling accepts. */
const MIN_TARGET_UTILIZATION_PERCENT = 20;
const MAX_TARGET_UTILIZATION_PERCENT = 90;

/** Minimum and maximum of a provisioned table's auto-scaled capacity. */
export interface ProvisionedCapacityOptions {
  /** Minimum read capacity units; auto-scaling never goes below it. */
  readonly readCapacity: number;
  /** Minimum write capacity units; auto-scaling never goes below it. */
  readonly writeCapacity: number;
  /**
   * Maximum read capacity units auto-scaling may reach.
   * @default 4 x readCapacity
   */
  readonly maxReadCapacity?: number;
  /**
   * Maximum write capacity units auto-scaling may reach.
   * @default 4 x writeCapacity
   */
  readonly maxWriteCapacity?: number;
  /**
   * Consumed/provisioned ratio (percent) that target-tracking auto-scaling keeps; DynamoDB accepts 20 to 90.
   * @default 70
   */
  readonly targetUtilizationPercent?: number;
}

/** Optional cost guard rails of an on-demand table. */
export interface OnDemandCapacityOptions {
  /**
   * Maximum read request units per second the table serves (a cost ceiling).
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default - no ceiling
   */
  readonly maxReadRequestUnits?: number;
  /**
   * Maximum write request units per second the table serves (a cost ceiling).
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default - no ceiling
   */
  readonly maxWriteRequestUnits?: number;
}

/** A capacity is made before the table that uses it: its errors carry no construct path (see `validationError`). */
const fail: Fail = failIn(undefined, 'SecureTable');

/** Why provisioned capacities must be literals (one literal, so a token-props test that sees a reason sees all of it). */
const CAPACITY_LITERAL_REASON = 'aws-cdk-lib compares the minimum with the maximum capacity and the target with 20 to 90 % at synthesis';

/** How a `SecureTable` pays for throughput: on demand, or provisioned with target-tracking auto-scaling. */
export class TableCapacity {
  /** Pay per request, optionally with a ceiling on request units. */
  public static onDemand(options: OnDemandCapacityOptions = {}): TableCapacity {
    requirePositive('capacity.maxReadRequestUnits', options.maxReadRequestUnits);
    requirePositive('capacity.maxWriteRequestUnits', options.maxWriteRequestUnits);
    return new TableCapacity(dynamodb.BillingMode.PAY_PER_REQUEST, {
      maxReadRequestUnits: options.maxReadRequestUnits,
      maxWriteRequestUnits: options.maxWriteRequestUnits,
    });
  }

  /** Provisioned read and write capacity, each auto-scaled between its minimum and maximum by target tracking. */
  public static provisioned(options: ProvisionedCapacityOptions): TableCapacity {
    for (const prop of ['readCapacity', 'writeCapacity', 'maxReadCapacity', 'maxWriteCapacity', 'targetUtilizationPercent'] as const) {
      requireLiteral(options[prop], `capacity.${prop}`, CAPACITY_LITERAL_REASON, 'write the number', fail);
    }
    requirePositive('capacity.readCapacity', options.readCapacity);
    requirePositive('capacity.writeCapacity', options.writeCapacity);
    const maxReadCapacity = options.maxReadCapacity ?? DEFAULT_MAX_CAPACITY_FACTOR * options.readCapacity;
    const maxWriteCapacity = options.maxWriteCapacity ?? DEFAULT_MAX_CAPACITY_FACTOR * options.writeCapacity;
    requireAtLeast('capacity.maxReadCapacity', maxReadCapacity, 'readCapacity', options.readCapacity);
    requireAtLeast('capacity.maxWriteCapacity', maxWriteCapacity, 'writeCapacity', options.writeCapacity);
    const target = options.targetUtilizationPercent ?? PROVISIONED_CAPACITY_DEFAULTS.targetUtilizationPercent;
    if (!Token.isUnresolved(target) && (target < MIN_TARGET_UTILIZATION_PERCENT || target > MAX_TARGET_UTILIZATION_PERCENT)) {
      fail(
        `capacity.targetUtilizationPercent (${target}) must be between ${MIN_TARGET_UTILIZATION_PERCENT} and ` +
          `${MAX_TARGET_UTILIZATION_PERCENT}, the range DynamoDB auto-scaling accepts; pick a value in that range (default ${PROVISIONED_CAPACITY_DEFAULTS.targetUtilizationPercent}).`,
      );
    }
    return new TableCapacity(dynamodb.BillingMode.PROVISIONED, {
      minReadCapacity: options.readCapacity,
      minWriteCapacity: options.writeCapacity,
      maxReadCapacity,
      maxWriteCapacity,
      targetUtilizationPercent: target,
    });
  }

  /** Billing mode of the table. */
  public readonly billingMode: dynamodb.BillingMode;
  /** Minimum read capacity units (provisioned only). */
  public readonly minReadCapacity?: number;
  /** Maximum read capacity units (provisioned only). */
  public readonly maxReadCapacity?: number;
  /** Minimum write capacity units (provisioned only). */
  public readonly minWriteCapacity?: number;
  /** Maximum write capacity units (provisioned only). */
  public readonly maxWriteCapacity?: number;
  /** Target utilisation percent of auto-scaling (provisioned only). */
  public readonly targetUtilizationPercent?: number;
  /** Ceiling on read request units (on-demand only). */
  public readonly maxReadRequestUnits?: number;
  /** Ceiling on write request units (on-demand only). */
  public readonly maxWriteRequestUnits?: number;

  private constructor(billingMode: dynamodb.BillingMode, settings: CapacitySettings) {
    this.billingMode = billingMode;
    this.minReadCapacity = settings.minReadCapacity;
    this.maxReadCapacity = settings.maxReadCapacity;
    this.minWriteCapacity = settings.minWriteCapacity;
    this.maxWriteCapacity = settings.maxWriteCapacity;
    this.targetUtilizationPercent = settings.targetUtilizationPercent;
    this.maxReadRequestUnits = settings.maxReadRequestUnits;
    this.maxWriteRequestUnits = settings.maxWriteRequestUnits;
  }

  /** @internal */
  public _toBilling(): dynamodb.Billing {
    if (this.billingMode === dynamodb.BillingMode.PAY_PER_REQUEST) {
      return dynamodb.Billing.onDemand({
        maxReadRequestUnits: this.maxReadRequestUnits,
        maxWriteRequestUnits: this.maxWriteRequestUnits,
      });
    }
    return dynamodb.Billing.provisioned({
      readCapacity: dynamodb.Capacity.autoscaled({
        minCapacity: this.minReadCapacity,
        maxCapacity: this.maxReadCapacity!,
        targetUtilizationPercent: this.targetUtilizationPercent,
      }),
      writeCapacity: dynamodb.Capacity.autoscaled({
        minCapacity: this.minWriteCapacity,
        maxCapacity: this.maxWriteCapacity!,
        targetUtilizationPercent: this.targetUtilizationPercent,
      }),
    });
  }
}

interface CapacitySettings {
  readonly minReadCapacity?: number;
  readonly maxReadCapacity?: number;
  readonly minWriteCapacity?: number;
  readonly maxWriteCapacity?: number;
  readonly targetUtilizationPercent?: number;
  readonly maxReadRequestUnits?: number;
  readonly maxWriteRequestUnits?: number;
}

function requirePositive(prop: string, value: number | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && !(Number.isInteger(value) && value >= 1)) {
    fail(`${prop} (${value}) must be a whole number >= 1; raise it.`);
  }
}

/** `value` and `min` are literals here: `provisioned` refuses tokens before it compares them. */
function requireAtLeast(prop: string, value: number, minProp: string, min: number): void {
  if (value < min) {
    const shortProp = prop.replace('capacity.', '');
    fail(`${prop} (${value}) must be >= ${minProp} (${min}); raise ${shortProp} or lower ${minProp}.`);
  }
}

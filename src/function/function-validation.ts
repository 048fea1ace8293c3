import { IConstruct } from 'constructs';
import { Fail, failIn, known, requireLiteral } from '../core';
import type { EncryptedFunctionAlarmThresholds, EncryptedFunctionProps } from './encrypted-function-props';

/** The prop checks of `EncryptedFunction`, shared with `DeploymentStage`'s handler and alarm groups. */

/** What Lambda accepts as an environment variable name. */
const ENVIRONMENT_VARIABLE_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;

/** The sizing props of `EncryptedFunctionProps` (a stage's handler group carries them). */
export type FunctionSizing = Pick<EncryptedFunctionProps, 'timeout' | 'memorySize' | 'reservedConcurrentExecutions' | 'provisionedConcurrency'>;

/** Every check of `EncryptedFunctionProps`, run at construction of `scope`. */
export function validateFunctionProps(props: EncryptedFunctionProps, scope: IConstruct): void {
  const fail = failIn(scope, 'EncryptedFunction');
  validateFunctionSizing(props, fail, '');
  validateFunctionAlarmThresholds(props.alarmThresholds ?? {}, fail, 'alarmThresholds.');

  requireLiteral(props.retryAttempts, 'retryAttempts', 'aws-cdk-lib\'s event invoke config compares it with 0 to 2 at synthesis',
    'write 0, 1 or 2', fail);
  requireLiteral(props.maxEventAge, 'maxEventAge', 'aws-cdk-lib\'s event invoke config compares it with 60 s to 6 h at synthesis',
    'write the duration, e.g. Duration.hours(1)', fail);
  if (known(props.retryAttempts) && (!Number.isInteger(props.retryAttempts) || props.retryAttempts < 0 || props.retryAttempts > 2)) {
    fail(`retryAttempts (${props.retryAttempts}) must be 0, 1 or 2.`);
  }
  const maxEventAgeSeconds = props.maxEventAge?.toSeconds({ integral: false });
  if (known(maxEventAgeSeconds) && (maxEventAgeSeconds < 60 || maxEventAgeSeconds > 21600)) {
    fail(`maxEventAge (${maxEventAgeSeconds} s) must be between 60 seconds and 6 hours.`);
  }

  for (const [prop, names] of [['environment', Object.keys(props.environment ?? {})], ['secrets', Object.keys(props.secrets ?? {})]] as const) {
    for (const name of names) {
      requireLiteral(name, `${prop} key "${name}"`,
        'it becomes a key of the function\'s Environment.Variables, which CloudFormation cannot resolve (only values can be tokens)',
        'write the variable name', fail);
    }
  }
  for (const envName of Object.keys(props.secrets ?? {})) {
    if (!ENVIRONMENT_VARIABLE_NAME.test(envName)) {
      fail(`secrets key "${envName}" is not a valid environment variable name; use letters, digits and underscores, starting with a letter.`);
    }
    if (props.environment && envName in props.environment) {
      fail(`secrets.${envName} collides with environment.${envName}; rename one of them.`);
    }
  }
}

/** Timeout, memory and concurrency; `path` prefixes the prop names in messages (e.g. `handler.`). */
export function validateFunctionSizing(props: FunctionSizing, fail: Fail, path: string): void {
  requireLiteral(props.timeout, `${path}timeout`, 'the p99 duration alarm\'s threshold is computed from it at synthesis',
    'write the duration, e.g. Duration.seconds(10)', fail);
  const timeoutSeconds = props.timeout?.toSeconds({ integral: false });
  if (known(timeoutSeconds) && (timeoutSeconds < 1 || timeoutSeconds > 900)) {
    fail(`${path}timeout (${timeoutSeconds} s) must be between 1 and 900 seconds; Lambda stops any invocation at 15 minutes.`);
  }
  if (known(props.memorySize) && (props.memorySize < 128 || props.memorySize > 10240)) {
    fail(`${path}memorySize (${props.memorySize}) must be between 128 and 10240 MiB.`);
  }
  const reserved = props.reservedConcurrentExecutions;
  if (known(reserved) && (!Number.isInteger(reserved) || reserved < 0)) {
    fail(`${path}reservedConcurrentExecutions (${reserved}) must be a whole number >= 0; omit it to share the account's unreserved concurrency.`);
  }

  const scaling = props.provisionedConcurrency;
  if (scaling) {
    const prop = `${path}provisionedConcurrency`;
    if (known(scaling.minCapacity) && (!Number.isInteger(scaling.minCapacity) || scaling.minCapacity < 1)) {
      fail(`${prop}.minCapacity (${scaling.minCapacity}) must be an integer >= 1; omit provisionedConcurrency for none.`);
    }
    if (known(scaling.minCapacity) && known(scaling.maxCapacity) && scaling.minCapacity > scaling.maxCapacity) {
      fail(`${prop}.maxCapacity (${scaling.maxCapacity}) must be >= minCapacity (${scaling.minCapacity}); raise maxCapacity or lower minCapacity.`);
    }
    if (known(scaling.utilizationTarget) && (scaling.utilizationTarget < 0.1 || scaling.utilizationTarget > 0.9)) {
      fail(`${prop}.utilizationTarget (${scaling.utilizationTarget}) must be between 0.1 and 0.9.`);
    }
    if (known(scaling.maxCapacity) && known(reserved) && scaling.maxCapacity > reserved) {
      fail(`${prop}.maxCapacity (${scaling.maxCapacity}) must be <= ${path}reservedConcurrentExecutions (${reserved}); `
        + 'Lambda cannot provision more than it reserves. Raise reservedConcurrentExecutions or lower maxCapacity.');
    }
  }
}

/** The alarm thresholds; `path` prefixes the prop names in messages (e.g. `alarmThresholds.`). */
export function validateFunctionAlarmThresholds(thresholds: EncryptedFunctionAlarmThresholds, fail: Fail, path: string): void {
  requireLiteral(thresholds.durationFractionOfTimeout, `${path}durationFractionOfTimeout`,
    'the p99 duration alarm\'s threshold is computed from it and the timeout at synthesis', 'write the fraction, e.g. 0.8', fail);
  if (known(thresholds.durationFractionOfTimeout) && (thresholds.durationFractionOfTimeout <= 0 || thresholds.durationFractionOfTimeout > 1)) {
    fail(`${path}durationFractionOfTimeout (${thresholds.durationFractionOfTimeout}) must be > 0 and <= 1.`);
  }
  for (const name of ['errors', 'throttles'] as const) {
    const value = thresholds[name];
    if (known(value) && value < 1) {
      fail(`${path}${name} (${value}) must be >= 1; a lower threshold would alarm on every quiet minute.`);
    }
  }
  if (known(thresholds.evaluationPeriods) && (!Number.isInteger(thresholds.evaluationPeriods) || thresholds.evaluationPeriods < 1)) {
    fail(`${path}evaluationPeriods (${thresholds.evaluationPeriods}) must be an integer >= 1.`);
  }
}

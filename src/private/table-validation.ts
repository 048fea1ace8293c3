import { Fail, known } from './validation';
import type { SecureTableAlarmThresholds } from '../secure-table';

/** The alarm thresholds of `SecureTable` (shared with `DeploymentStage`'s alarm group); `path` prefixes the prop names. */
export function validateTableAlarmThresholds(thresholds: SecureTableAlarmThresholds, fail: Fail, path: string): void {
  for (const prop of ['throttleAlarmThreshold', 'systemErrorsAlarmThreshold'] as const) {
    const threshold = thresholds[prop];
    if (known(threshold) && !(threshold > 0)) {
      fail(`${path}${prop} (${threshold}) must be > 0; an alarm at 0 would always fire.`);
    }
  }
}

import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Rule ids acknowledged directly on a construct with `Validations.of(construct).acknowledge(...)`. */
export function acknowledgedRuleIds(construct: IConstruct): string[] {
  const ids = construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
    .map((key) => key.replace(/^annotation::/, ''));
  return [...new Set(ids)].sort();
}

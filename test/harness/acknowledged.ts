import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The rules acknowledged directly on a construct with `Validations.of(construct).acknowledge(...)`, each with its reason.
 * Each acknowledgement adds a metadata entry holding the rules acknowledged so far, so the entries are merged.
 */
export function acknowledgedRules(construct: IConstruct): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const entry of construct.node.metadata.filter((e) => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
    for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
      rules[key.replace(/^annotation::/, '')] = reason;
    }
  }
  return rules;
}

/** Rule ids acknowledged directly on a construct with `Validations.of(construct).acknowledge(...)`, sorted. */
export function acknowledgedRuleIds(construct: IConstruct): string[] {
  return Object.keys(acknowledgedRules(construct)).sort();
}

/**
 * The rule ids acknowledged on the construct and every construct below it, keyed by path relative to it ('' for
 * itself), sorted; constructs that acknowledge nothing are left out.
 */
export function acknowledgedRuleIdsByPath(root: IConstruct): Record<string, string[]> {
  const byPath: Record<string, string[]> = {};
  for (const construct of root.node.findAll()) {
    const ids = acknowledgedRuleIds(construct);
    if (ids.length > 0) byPath[construct.node.path.slice(root.node.path.length).replace(/^\//, '')] = ids;
  }
  return byPath;
}

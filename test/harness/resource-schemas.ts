import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPython } from '../../cli/python';

/** The parts of a CloudFormation resource provider schema that say how CloudFormation updates a resource. */
export interface ResourceProviderSchema {
  readonly typeName: string;
  /** JSON pointers (`/properties/A/B`, `*` for every array item) of the properties whose change replaces the resource. */
  readonly createOnlyProperties: readonly string[];
}

/** A template as synthesized: logical id to resource. */
export interface CfnTemplate {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }>;
}

let schemaDirectory: string | undefined;

/** cfn-lint's bundled schemas: `providers/<region>.json` maps a type to a hash, `resources/<hash>.json` is the schema. */
function schemasDirectory(): string {
  if (!schemaDirectory) {
    const result = spawnSync(projectPython(), ['-c', 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))'], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`cfn-lint is not importable: ${result.stderr}`);
    schemaDirectory = join(result.stdout.trim(), 'data', 'schemas');
  }
  return schemaDirectory;
}

const schemas = new Map<string, ResourceProviderSchema>();

/** The provider schema of a resource type as cfn-lint ships it for `region`. */
export function resourceProviderSchema(type: string, region = 'us-east-1'): ResourceProviderSchema {
  const key = `${region} ${type}`;
  let schema = schemas.get(key);
  if (!schema) {
    const index = JSON.parse(readFileSync(join(schemasDirectory(), 'providers', `${region}.json`), 'utf8')) as Record<string, string>;
    const hash = index[type];
    if (!hash) throw new Error(`cfn-lint has no ${region} schema for ${type}`);
    const raw = JSON.parse(readFileSync(join(schemasDirectory(), 'resources', `${hash}.json`), 'utf8'));
    schema = { typeName: raw.typeName, createOnlyProperties: raw.createOnlyProperties ?? [] };
    schemas.set(key, schema);
  }
  return schema;
}

/** The values a JSON pointer with `*` wildcards selects in a resource's properties. */
function valuesAt(properties: unknown, pointer: string): unknown[] {
  const segments = pointer.split('/').slice(2); // drop '' and 'properties'
  let current: unknown[] = [properties];
  for (const segment of segments) {
    current = current.flatMap((value) => {
      if (value === null || typeof value !== 'object') return [];
      if (segment === '*') return Array.isArray(value) ? value : [];
      return segment in (value as object) ? [(value as Record<string, unknown>)[segment]] : [];
    });
  }
  return current;
}

/** What one update does to a resource of the template before it. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly type: string;
  /** `replaced`: a create-only property changed; `removed`: gone from the template after. */
  readonly change: 'replaced' | 'removed';
  /** The create-only properties that changed, for a replacement. */
  readonly properties: readonly string[];
  /** The DeletionPolicy the resource had before: whether CloudFormation deletes or keeps what it removes. */
  readonly deletionPolicy: string;
}

/**
 * The resources CloudFormation replaces or removes when the stack goes from `before` to `after`: a resource is replaced
 * when its type changes or when the value at one of its type's `createOnlyProperties` differs.
 */
export function replacedOrRemoved(before: CfnTemplate, after: CfnTemplate, region = 'us-east-1'): ResourceChange[] {
  const changes: ResourceChange[] = [];
  for (const [logicalId, old] of Object.entries(before.Resources)) {
    const deletionPolicy = old.DeletionPolicy ?? 'Delete';
    const next = after.Resources[logicalId];
    if (!next) {
      changes.push({ logicalId, type: old.Type, change: 'removed', properties: [], deletionPolicy });
      continue;
    }
    if (next.Type !== old.Type) {
      changes.push({ logicalId, type: old.Type, change: 'replaced', properties: ['Type'], deletionPolicy });
      continue;
    }
    if (old.Type.startsWith('Custom::') || !old.Type.startsWith('AWS::')) continue;
    const changed = resourceProviderSchema(old.Type, region).createOnlyProperties.filter((pointer) =>
      JSON.stringify(valuesAt(old.Properties ?? {}, pointer)) !== JSON.stringify(valuesAt(next.Properties ?? {}, pointer)));
    if (changed.length > 0) changes.push({ logicalId, type: old.Type, change: 'replaced', properties: changed, deletionPolicy });
  }
  return changes;
}

/** The region names cfn-lint ships resource schemas for (`providers/<region>.json`). */
export function cfnLintRegions(): string[] {
  return readdirSync(join(schemasDirectory(), 'providers')).filter((f) => /-\d+\.json$/.test(f)).map((f) => f.replace(/\.json$/, ''));
}

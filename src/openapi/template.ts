/**
 * The parts of a synthesized CloudFormation template that the OpenAPI generator and local mode read, and the helpers
 * both use to walk a REST API in it. Plain TypeScript (no aws-cdk-lib): the CLI imports it compiled, from lib/.
 */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at, without resolving it. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, any>;
  if (typeof v.Ref === 'string') return v.Ref;
  if (Array.isArray(v['Fn::GetAtt'])) return v['Fn::GetAtt'][0];
  return undefined;
}

/** Resources of one type, as [logicalId, resource] pairs. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** Whether a resource's `RestApiId` refers to the given REST API. */
export function belongsToRestApi(resource: CfnResource, apiId: string): boolean {
  return referencedLogicalId(resource.Properties?.RestApiId) === apiId;
}

/** The path of every `AWS::ApiGateway::Resource` of the API, e.g. `/items/{id}`, by logical id. */
export function resourcePaths(template: CfnTemplate, apiId: string): Map<string, string> {
  const parts = new Map(resourcesOfType(template, 'AWS::ApiGateway::Resource')
    .filter(([, r]) => belongsToRestApi(r, apiId))
    .map(([id, r]) => [id, r.Properties!] as const));
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const props = parts.get(id)!;
    const parentId = referencedLogicalId(props.ParentId);
    const parentPath = parentId && parts.has(parentId) ? pathOf(parentId) : '';
    const path = `${parentPath}/${props.PathPart}`;
    paths.set(id, path);
    return path;
  };
  for (const id of parts.keys()) pathOf(id);
  return paths;
}

/** The path of a method's resource (`/` for the root resource). */
export function methodPath(paths: Map<string, string>, method: CfnResource): string {
  const resourceId = referencedLogicalId(method.Properties?.ResourceId);
  return resourceId && paths.has(resourceId) ? paths.get(resourceId)! : '/';
}

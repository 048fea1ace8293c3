/** The template structures and walkers are shared with the OpenAPI generator. */
export type { CfnResource, CfnTemplate } from '../lib/openapi';
export { referencedLogicalId, resourcesOfType } from '../lib/openapi';

/** What `Ref` and `Fn::GetAtt` of an emulated (or known) resource resolve to. */
export interface ResolvedResource {
  readonly ref: string;
  readonly attributes: Record<string, string>;
}

/** Pseudo parameters and resolved resources, keyed by logical id. */
export interface ResolutionContext {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly resources: Map<string, ResolvedResource>;
}

/** Thrown when a value depends on something local mode does not emulate. */
export class UnresolvableError extends Error {}

function pseudoParameter(name: string, context: ResolutionContext): string | undefined {
  switch (name) {
    case 'AWS::Region': return context.region;
    case 'AWS::AccountId': return context.accountId;
    case 'AWS::StackName': return context.stackName;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    default: return undefined;
  }
}

/** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Select and Fn::Sub against the emulated resources. */
export function resolveValue(value: unknown, context: ResolutionContext): any {
  if (Array.isArray(value)) return value.map((element) => resolveValue(element, context));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [fn, arg] = entries[0] as [string, any];
    switch (fn) {
      case 'Ref': {
        const resolved = pseudoParameter(arg, context) ?? context.resources.get(arg)?.ref;
        if (resolved === undefined) throw new UnresolvableError(`Ref ${arg}`);
        return resolved;
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        const resolved = context.resources.get(logicalId)?.attributes[attribute];
        if (resolved === undefined) throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attribute}`);
        return resolved;
      }
      case 'Fn::Join': return (resolveValue(arg[1], context) as unknown[]).join(arg[0]);
      case 'Fn::Select': return resolveValue(arg[1], context)[Number(resolveValue(arg[0], context))];
      case 'Fn::Sub': {
        const [text, variables] = typeof arg === 'string' ? [arg, {}] : [arg[0], resolveValue(arg[1], context)];
        return String(text).replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
          if (name in variables) return variables[name];
          const [logicalId, attribute] = name.split('.');
          return attribute ? resolveValue({ 'Fn::GetAtt': [logicalId, attribute] }, context) : resolveValue({ Ref: name }, context);
        });
      }
      default:
        if (fn.startsWith('Fn::')) throw new UnresolvableError(fn);
    }
  }
  return Object.fromEntries(entries.map(([key, element]) => [key, resolveValue(element, context)]));
}

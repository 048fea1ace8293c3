import { CfnTemplate, resourcesOfType } from './template';

/** A REST API of a stack: its logical id and, when the template has path metadata, its construct path. */
export interface RestApiChoice {
  readonly logicalId: string;
  /** The construct path of the `AWS::ApiGateway::RestApi` (`aws:cdk:path`), e.g. `orders-prod/Orders/Api/Resource`. */
  readonly path?: string;
}

/** How messages and the startup output name an API. */
export function apiLabel(choice: RestApiChoice): string {
  return choice.path ? `${choice.path} (${choice.logicalId})` : choice.logicalId;
}

/** Whether `wanted` names the API: its logical id, or its construct path or one of the path's ancestors below the app. */
function names(choice: RestApiChoice, wanted: string, stackName: string): boolean {
  if (choice.logicalId === wanted) return true;
  if (!choice.path) return false;
  const trimmed = wanted.replace(/^\/+|\/+$/g, '');
  return [trimmed, `${stackName}/${trimmed}`].some((prefix) => choice.path === prefix || choice.path!.startsWith(`${prefix}/`));
}

/** The REST APIs of the stack, in template order. */
export function restApisOf(template: CfnTemplate): RestApiChoice[] {
  return resourcesOfType(template, 'AWS::ApiGateway::RestApi')
    .map(([logicalId, resource]) => ({ logicalId, path: resource.Metadata?.['aws:cdk:path'] }));
}

/**
 * The REST APIs `--api` chooses: every API of the stack without it, else the one it names by logical id or construct
 * path (relative to the stack or the app). Throws, listing the stack's APIs, when it names none or several.
 */
export function selectRestApis(template: CfnTemplate, stackName: string, wanted: string | undefined): RestApiChoice[] {
  const all = restApisOf(template);
  if (all.length === 0) throw new Error(`Stack ${stackName} has no AWS::ApiGateway::RestApi to serve.`);
  if (wanted === undefined) return all;
  const matching = all.filter((choice) => names(choice, wanted, stackName));
  if (matching.length !== 1) {
    throw new Error(`--api ${wanted} names ${matching.length === 0 ? 'no' : 'more than one'} REST API of stack ${stackName}; its REST APIs: ${all.map(apiLabel).join(', ')}.`);
  }
  return matching;
}

/** One REST API for a command that serves or documents one: the one `--api` names, or the stack's only one. */
export function selectRestApi(template: CfnTemplate, stackName: string, wanted: string | undefined): RestApiChoice {
  const chosen = selectRestApis(template, stackName, wanted);
  if (chosen.length > 1) throw new Error(`Stack ${stackName} has ${chosen.length} REST APIs; name one with --api: ${chosen.map(apiLabel).join(', ')}.`);
  return chosen[0];
}

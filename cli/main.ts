import * as nodeModule from 'node:module';
import { DOCS_PATH } from './api-docs';
import { apiLabel } from './api-selection';
import { LocalOptions, UsageError, packageVersion, parseArguments } from './arguments';
import { AppSource, appSource } from './assembly';
import { AuthorizationSetup, createSignInClients, curlAuthentication, describeAuthorization } from './auth-instructions';
import { localModeCacheDir } from './cache-dir';
import { EmulationReport, warmUpEmulator } from './emulated-resources';
import { minimalValue } from './example-body';
import { LocalAuthorizer, generateCredentials } from './local-auth';
import { LocalSession, ServedApi } from './local-session';
import { LocalTokenEndpoint, MachineClient, TOKEN_PATH } from './local-token-endpoint';
import { MotoServer, startMotoServer, stopMotoServer } from './moto-server';
import { runOpenApi } from './openapi-command';
import { runPreflight } from './preflight';
import { ApiMethod, RestApiDefinition } from './rest-api';
import { watchApp } from './watch';

/** Quoted for a POSIX shell's single quotes. */
const shellQuoted = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/** The value the printed commands use for every path parameter. */
const EXAMPLE_ID = 'example-1';

/**
 * The curl options that send a minimal valid body for the method's JSON model: its required properties, plus an
 * optional string property named like a path parameter of the API (`id`), so the item a printed POST creates is the one
 * the printed `/items/example-1` commands read.
 */
function exampleBody(method: ApiMethod, pathParameters: Set<string>): string {
  const schema: Record<string, any> | undefined = method.requestModels['application/json'] ?? method.requestModels.$default;
  if (!schema) return '';
  const body = minimalValue(schema) as Record<string, unknown>;
  for (const [name, property] of Object.entries<Record<string, any>>(schema.properties ?? {})) {
    if (pathParameters.has(name) && !(name in body) && (property.type ?? 'string') === 'string') body[name] = EXAMPLE_ID;
  }
  return ` -H 'content-type: application/json' -d ${shellQuoted(JSON.stringify(body))}`;
}

/** The method a printed preflight asks for: one the resource serves (ANY serves GET too). */
function preflightMethod(served: string[]): string {
  if (served.includes('POST')) return 'POST';
  return served[0] === 'ANY' ? 'GET' : served[0];
}

function curlExamples(api: RestApiDefinition, url: string, origin: string | undefined, auth: AuthorizationSetup): string[] {
  const lines: string[] = [];
  let preflightShown = false;
  const pathParameters = new Set(api.resources.flatMap((resource) => [...resource.path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1])));
  for (const resource of api.resources) {
    const path = resource.path.replace(/\{([^}+]+)\+?\}/g, EXAMPLE_ID);
    const served = [...resource.methods.keys()].filter((name) => name !== 'OPTIONS');
    for (const method of resource.methods.values()) {
      // One preflight is example enough, for a method the resource serves; every resource answers it the same way.
      if (method.httpMethod === 'OPTIONS' && (preflightShown || served.length === 0)) continue;
      preflightShown ||= method.httpMethod === 'OPTIONS';
      const example = method.httpMethod === 'OPTIONS'
        ? ` -H 'origin: ${origin ?? 'https://app.example.com'}' -H 'access-control-request-method: ${preflightMethod(served)}'`
        : exampleBody(method, pathParameters);
      const verb = method.httpMethod === 'GET' ? '' : ` -X ${method.httpMethod}`;
      lines.push(`  curl -i${verb} ${url}${path}${example}${curlAuthentication(method, auth)}`);
    }
  }
  return lines;
}

/** The startup lines of one served API: what runs, where it listens, and a curl per route. */
function describeApi(served: ServedApi, auth: AuthorizationSetup): string[] {
  const { definition: api, url } = served;
  const methods = api.resources.flatMap((r) => [...r.methods.values()]);
  const functions = new Map(methods.filter((m) => m.function).map((m) => [m.function!.logicalId, m.function!]));
  const unresolved = [...functions.values()].flatMap((fn) => fn.unresolvedVariables.map((name) => `${fn.logicalId}.${name}`));
  const origin = [...functions.values()].map((fn) => fn.environment.CORS_ALLOWED_ORIGINS?.split(',')[0]).find(Boolean);
  return [
    '',
    `REST API "${api.name}" (${apiLabel(served.choice)}, stage ${api.stageName}), Lambda proxy integrations run in this process: ${[...functions.keys()].join(', ') || 'none'}`,
    ...[...functions.values()].filter((fn) => fn.unavailable).map((fn) => `  Not run locally (its routes answer 502): ${fn.logicalId}: ${fn.unavailable}`),
    ...(unresolved.length > 0 ? [`  Environment variables left unset (they refer to skipped resources): ${unresolved.join(', ')}`] : []),
    `Listening on ${url}`,
    `  API reference (Swagger UI, "Try it out" sends requests here): ${url}${DOCS_PATH}`,
    ...curlExamples(api, url, origin, auth),
  ];
}

function describeStartup(
  source: AppSource, stackName: string, apis: ServedApi[], report: EmulationReport, moto: MotoServer, auth: AuthorizationSetup,
): string {
  return [
    `Local mode: stack ${stackName} of ${source.description}`,
    `AWS emulator (moto): ${moto.endpoint}`,
    'Emulated in moto:',
    ...report.emulated.map((line) => `  ${line}`),
    `Skipped (not emulated): ${report.skipped.join(', ') || 'nothing'}`,
    ...describeAuthorization(auth),
    `Serving ${apis.length} REST API${apis.length === 1 ? '' : 's'}: ${apis.map((api) => `${apiLabel(api.choice)} on ${api.url}`).join(', ')}`,
    ...apis.flatMap((api) => describeApi(api, auth)),
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

/** The scopes the Cognito-authorized methods of the APIs ask for, by user pool id. */
function scopesByPool(apis: ServedApi[]): Map<string, string[]> {
  const scopes = new Map<string, string[]>();
  for (const method of apis.flatMap((api) => api.definition.resources.flatMap((resource) => [...resource.methods.values()]))) {
    if (method.authorizationType !== 'COGNITO_USER_POOLS') continue;
    for (const arn of method.userPoolArns) {
      const poolId = arn.slice(arn.lastIndexOf('/') + 1);
      scopes.set(poolId, [...new Set([...scopes.get(poolId) ?? [], ...method.authorizationScopes])]);
    }
  }
  return new Map([...scopes].filter(([, poolScopes]) => poolScopes.length > 0));
}

/** Unless --no-auth: fresh IAM credentials, the pools' JWKS and a sign-in client per pool, enforced by every gateway. */
async function enforceAuthorization(
  apis: ServedApi[], enabled: boolean, stack: { region: string; accountId: string; moto: MotoServer },
): Promise<{ setup: AuthorizationSetup; authorizer?: LocalAuthorizer }> {
  const setup = { region: stack.region, motoEndpoint: stack.moto.endpoint, signInClients: new Map<string, string>() };
  if (!enabled) return { setup };
  const tokenEndpoint = new LocalTokenEndpoint(stack.region);
  const authorizer = new LocalAuthorizer(generateCredentials(), stack.region, stack.accountId, stack.moto.endpoint, [tokenEndpoint.publicJwk]);
  const signInClients = new Map<string, string>();
  for (const api of apis) {
    await authorizer.prepare(api.definition);
    api.gateway.enforceAuthorization(authorizer);
    api.gateway.serveLocalPages(tokenEndpoint);
    for (const [poolId, clientId] of await createSignInClients(api.definition, stack.moto.endpoint, stack.region, signInClients)) {
      signInClients.set(poolId, clientId);
    }
  }
  const machineClients: MachineClient[] = [];
  for (const [poolId, scopes] of scopesByPool(apis)) machineClients.push(await tokenEndpoint.createClient(stack.moto.endpoint, poolId, scopes));
  const tokenUrl = `${apis[0].url}${TOKEN_PATH}`;
  return { setup: { ...setup, credentials: authorizer.credentials, signInClients, machineClients, tokenUrl }, authorizer };
}

/** The port of the n-th API: the next ones after --port (any free port each with --port 0). */
function portOf(basePort: number, index: number): number {
  if (basePort === 0) return 0;
  if (basePort + index > 65535) throw new Error(`The stack has more REST APIs than ports from ${basePort} to 65535: choose a lower --port.`);
  return basePort + index;
}

/** Starts moto and has it load the services local mode calls, so that creating the resources later is quick. */
async function startWarmMoto(): Promise<MotoServer> {
  const moto = await startMotoServer();
  await warmUpEmulator(moto.endpoint);
  return moto;
}

/** Runs local mode until SIGINT or SIGTERM; resolves with the process exit code. */
export async function runLocal(options: LocalOptions): Promise<number> {
  // The functions run in this process: their modules (e.g. the runtime's SDK) load faster from the compile cache.
  nodeModule.enableCompileCache?.(localModeCacheDir('compile-cache'));
  let motoStarting: Promise<MotoServer> | undefined;
  let session: LocalSession | undefined;
  let stopWatching: (() => void) | undefined;
  const cleanUp = async () => {
    stopWatching?.();
    await session?.close();
    const moto = await motoStarting?.catch(() => undefined);
    if (moto) await stopMotoServer(moto);
  };
  // A signal during start-up stops whatever already runs.
  let stopRequested: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopRequested!());
  try {
    const source = appSource(options.app, process.cwd());
    // The emulator starts while the app synthesizes; a failure to start is reported once synthesis is done.
    motoStarting = startWarmMoto();
    motoStarting.catch(() => undefined);
    process.stdout.write(`${source.assemblyDir ? 'Reading' : 'Synthesizing'} ${source.description}...\n`);
    session = new LocalSession(source, motoStarting, options.watch);
    const { stack, report } = await session.start({
      stack: options.stack, api: options.api, portOf: (index) => portOf(options.port, index),
    });
    const moto = await motoStarting;
    const auth = await enforceAuthorization(session.apis, options.auth, { region: stack.region, accountId: stack.accountId, moto });
    session.authorizer = auth.authorizer;
    process.stdout.write(`${describeStartup(source, stack.stackName, session.apis, report, moto, auth.setup)}\n`);
    if (options.watch) stopWatching = watchApp(session);

    const motoExited = new Promise<string>((resolve) => moto.process.once('exit', (code) => resolve(`moto exited unexpectedly (code ${code})`)));
    const outcome = await Promise.race([stopped.then(() => undefined), motoExited]);
    await cleanUp();
    if (outcome) {
      process.stderr.write(`${outcome}\n`);
      return 1;
    }
    process.stdout.write('Stopped.\n');
    return 0;
  } catch (error) {
    await cleanUp();
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** Entry point of the `cdk-secure-serverless` command; resolves with the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    const invocation = parseArguments(args);
    switch (invocation.command) {
      case 'help':
        process.stdout.write(`${invocation.text}\n`);
        return 0;
      case 'version':
        process.stdout.write(`${packageVersion()}\n`);
        return 0;
      case 'openapi': return await runOpenApi(invocation.options);
      case 'preflight': return await runPreflight(invocation.options);
      default: return await runLocal(invocation.options);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
}

import { rmSync } from 'node:fs';
import { AppSource, appSource, readStack, synthesize } from './assembly';
import { EmulationReport, createEmulatedResources } from './emulated-resources';
import { LocalGateway } from './local-gateway';
import { MotoServer, startMotoServer, stopMotoServer } from './moto-server';
import { RestApiDefinition, readRestApi } from './rest-api';
import { ResolutionContext, resourcesOfType } from './template';

const USAGE = `Usage: cdk-secure-serverless local [--app <cloud assembly dir | dir with cdk.json | app command>] [--stack <name>] [--port <n>]

Runs a synthesized service on this machine: its stateful resources in an embedded AWS emulator (moto), its REST API
on http://127.0.0.1:<port> with the template's validation, CORS and gateway responses, and its Lambda handlers in-process.
Default app: examples/ in a checkout of cdk-secure-serverless, else the built-in example (the orders service, prod
settings); \`--app .\` runs the CDK app of the current directory.`;

export interface LocalOptions {
  readonly app?: string;
  readonly stack?: string;
  readonly port: number;
}

/** Parses `local [--app X] [--stack X] [--port N]`; throws with the usage on anything else. */
export function parseArguments(args: string[]): LocalOptions {
  const [command, ...rest] = args;
  if (command !== 'local') throw new Error(USAGE);
  const options: { app?: string; stack?: string; port: number } = { port: 3000 };
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split(/=(.*)/s, 2);
    const value = inline ?? rest[++i];
    if (value === undefined) throw new Error(`${flag} needs a value.\n\n${USAGE}`);
    if (flag === '--app') options.app = value;
    else if (flag === '--stack') options.stack = value;
    else if (flag === '--port' && /^\d+$/.test(value) && Number(value) < 65536) options.port = Number(value);
    else throw new Error(`Unknown or invalid option ${rest[i]}.\n\n${USAGE}`);
  }
  return options;
}

/** Bodies that pass the bundled items API's models, for the printed curl commands. */
const EXAMPLE_BODIES: Record<string, string> = {
  POST: ' -H \'content-type: application/json\' -d \'{"id":"example-1","data":{"status":"new"}}\'',
  PUT: ' -H \'content-type: application/json\' -d \'{"data":{"status":"shipped"},"version":1}\'',
};

function curlExamples(api: RestApiDefinition, url: string, origin: string | undefined): string[] {
  const lines: string[] = [];
  let preflightShown = false;
  for (const resource of api.resources) {
    const path = resource.path.replace(/\{([^}+]+)\+?\}/g, 'example-1');
    for (const method of resource.methods.values()) {
      // One preflight is example enough; every resource answers it the same way.
      if (method.httpMethod === 'OPTIONS' && (preflightShown || resource.path === '/')) continue;
      preflightShown ||= method.httpMethod === 'OPTIONS';
      const example = method.httpMethod === 'OPTIONS'
        ? ` -H 'origin: ${origin ?? 'https://app.example.com'}' -H 'access-control-request-method: POST'`
        : EXAMPLE_BODIES[method.httpMethod] ?? '';
      const verb = method.httpMethod === 'GET' ? '' : ` -X ${method.httpMethod}`;
      lines.push(`  curl -i${verb} ${url}${path}${example}`);
    }
  }
  return lines;
}

function describeStartup(
  source: AppSource, stackName: string, api: RestApiDefinition, url: string, report: EmulationReport, moto: MotoServer,
): string {
  const methods = api.resources.flatMap((r) => [...r.methods.values()]);
  const functions = new Map(methods.filter((m) => m.function).map((m) => [m.function!.logicalId, m.function!]));
  const unresolved = [...functions.values()].flatMap((fn) => fn.unresolvedVariables.map((name) => `${fn.logicalId}.${name}`));
  const origin = [...functions.values()].map((fn) => fn.environment.CORS_ALLOWED_ORIGINS?.split(',')[0]).find(Boolean);
  return [
    `Local mode: stack ${stackName} of ${source.description}`,
    `AWS emulator (moto): ${moto.endpoint}`,
    'Emulated in moto:',
    ...report.emulated.map((line) => `  ${line}`),
    `Served in this process: REST API "${api.name}" (stage ${api.stageName}), Lambda proxy integrations: ${[...functions.keys()].join(', ') || 'none'}`,
    `Skipped (not emulated): ${report.skipped.join(', ') || 'nothing'}`,
    ...(unresolved.length > 0 ? [`Environment variables left unset (they refer to skipped resources): ${unresolved.join(', ')}`] : []),
    'Authorization is NOT enforced locally: IAM (SigV4) signatures and Cognito tokens are not verified.',
    '',
    `Listening on ${url}`,
    ...curlExamples(api, url, origin),
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

/** Runs local mode until SIGINT or SIGTERM; resolves with the process exit code. */
export async function runLocal(options: LocalOptions): Promise<number> {
  let moto: MotoServer | undefined;
  let gateway: LocalGateway | undefined;
  let synthesizedDir: string | undefined;
  const cleanUp = async () => {
    await gateway?.close();
    if (moto) await stopMotoServer(moto);
    if (synthesizedDir) rmSync(synthesizedDir, { recursive: true, force: true });
  };
  // A signal during start-up stops whatever already runs.
  let stopRequested: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopRequested!());
  try {
    const source = appSource(options.app, process.cwd());
    process.stdout.write(`${source.assemblyDir ? 'Reading' : 'Synthesizing'} ${source.description}...\n`);
    const assemblyDir = await synthesize(source);
    if (!source.assemblyDir) synthesizedDir = assemblyDir;
    const stack = readStack(assemblyDir, options.stack);
    const [apiId] = resourcesOfType(stack.template, 'AWS::ApiGateway::RestApi').map(([id]) => id);
    if (!apiId) throw new Error(`Stack ${stack.stackName} has no AWS::ApiGateway::RestApi to serve.`);

    moto = await startMotoServer();
    const context: ResolutionContext = { region: stack.region, accountId: stack.accountId, stackName: stack.stackName, resources: new Map() };
    const report = await createEmulatedResources(moto.endpoint, stack.template, context);
    const api = readRestApi(stack.template, apiId, stack.assemblyDir, context);

    gateway = new LocalGateway(api, stack.accountId);
    gateway.loadFunctions({
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: stack.region,
      AWS_DEFAULT_REGION: stack.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
    });
    const port = await gateway.listen(options.port);
    process.stdout.write(`${describeStartup(source, stack.stackName, api, `http://127.0.0.1:${port}`, report, moto)}\n`);

    const motoExited = new Promise<string>((resolve) => moto!.process.once('exit', (code) => resolve(`moto exited unexpectedly (code ${code})`)));
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

/** Entry point of the `cdk-secure-serverless` command. */
export async function main(args: string[]): Promise<number> {
  let options: LocalOptions;
  try {
    options = parseArguments(args);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return args.length === 0 || args[0] === '--help' || args[0] === 'help' ? 0 : 2;
  }
  return runLocal(options);
}

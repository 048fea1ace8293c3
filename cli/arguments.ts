import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './assembly';

const APP_HELP = `  --app <source>    the CDK app: a cloud assembly directory, a directory with cdk.json, or an app command
                    (default: the CDK app of the current directory when it has a cdk.json, else examples/ in a
                    checkout of cdk-secure-serverless, else the built-in example, the orders service with prod settings)
  --stack <name>    the stack to use (default: the only stack with a REST API, else the one whose name says prod)
  --api <id>        the REST API to use, by construct path (e.g. Orders/Api) or logical id (default: local serves every
                    REST API of the stack, openapi needs it when the stack has several)`;

export const MAIN_USAGE = `Usage: cdk-secure-serverless <command> [options]

Commands:
  local             serve a synthesized service on this machine (API, handlers, and an embedded AWS emulator)
  openapi           write the OpenAPI 3.0 document of a synthesized REST API
  preflight         check, with read-only AWS calls, that the account and region can take a stack's first deployment
  help [command]    show this help, or a command's options

Options:
  --help, -h        show this help (\`cdk-secure-serverless <command> --help\` shows the command's options)
  --version, -v     print the version

Run \`cdk-secure-serverless local --help\` to start.`;

export const LOCAL_USAGE = `Usage: cdk-secure-serverless local [--app <source>] [--stack <name>] [--api <id>] [--port <n>] [--no-auth] [--watch]

Runs a synthesized service on this machine: its stateful resources in an embedded AWS emulator (moto), its REST API
on http://127.0.0.1:<port> with the template's validation, authorization, CORS and gateway responses, and its Lambda
handlers in-process.

Options:
${APP_HELP}
  --port <n>        the port of the first API on 127.0.0.1; each further API gets the next port (default: 3000)
  --no-auth         do not enforce authorization (IAM SigV4 signatures and Cognito tokens are not checked)
  --watch           re-synthesize and reload routes and handlers when the app or its handler sources change
                    (moto and its data stay; a broken change is reported and the last good version kept)
  --help, -h        show this help`;

export const OPENAPI_USAGE = `Usage: cdk-secure-serverless openapi [--app <source>] [--stack <name>] [--api <id>] [--out <file>]

Synthesizes the app and writes the OpenAPI 3.0 document of the stack's REST API: resources, methods, parameters,
request bodies from the models, the documented responses and API Gateway's error responses, the security scheme of
each method (IAM SigV4, Cognito, none) and the server URLs of the stage and custom domain.

Options:
${APP_HELP}
  --out <file>      write the document to this file (default: standard output)
  --help, -h        show this help`;

export const PREFLIGHT_USAGE = `Usage: cdk-secure-serverless preflight [--app <source>] [--stack <name>] [--region <r>] [--profile <p>]

Synthesizes the app and checks, with read-only AWS calls, what a first deployment of the stack needs: the API Gateway
CloudWatch Logs role of the region (when stages log), Lambda's unreserved concurrency against the stack's reservations,
resources with fixed names that a failed earlier create left behind, the CDK bootstrap version, and a custom domain's
hosted zone and certificate. Prints each problem with its fix; exits with 1 when one blocks the deployment.

Options:
  --app <source>    as for local (a cloud assembly directory, a directory with cdk.json, or an app command)
  --stack <name>    the stack to check (default: the app's only stack)
  --region <r>      the region to check (default: the stack's, else AWS_REGION)
  --profile <p>     the AWS profile of the credentials (default: the SDK's default chain)
  --help, -h        show this help`;

export interface AppOptions {
  readonly app?: string;
  readonly stack?: string;
  /** The REST API, by construct path or logical id. */
  readonly api?: string;
}

export interface LocalOptions extends AppOptions {
  readonly port: number;
  /** Whether IAM and Cognito authorization are enforced. */
  readonly auth: boolean;
  /** Whether changes of the app reload it. */
  readonly watch: boolean;
}

export interface OpenApiCommandOptions extends AppOptions {
  readonly out?: string;
}

export interface PreflightCommandOptions extends AppOptions {
  readonly region?: string;
  readonly profile?: string;
}

/** What the command line asks for. */
export type Invocation =
  | { readonly command: 'local'; readonly options: LocalOptions }
  | { readonly command: 'openapi'; readonly options: OpenApiCommandOptions }
  | { readonly command: 'preflight'; readonly options: PreflightCommandOptions }
  | { readonly command: 'help'; readonly text: string }
  | { readonly command: 'version' };

/** A command line that cannot run: the message and the usage to print, exit code 2. */
export class UsageError extends Error {}

const HELP_FLAGS = ['--help', '-h'];

/** The flags a command takes: the name of the option each value flag sets, and the switches. */
interface FlagSpec {
  readonly values: Record<string, string>;
  readonly switches: Record<string, [string, boolean]>;
}

function parseFlags(args: string[], spec: FlagSpec, usage: string): Record<string, string | boolean> {
  const parsed: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const switchOption = spec.switches[flag];
    if (switchOption && inline === undefined) {
      parsed[switchOption[0]] = switchOption[1];
      continue;
    }
    const option = spec.values[flag];
    if (!option) throw new UsageError(`Unknown option ${args[i]}.\n\n${usage}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value.\n\n${usage}`);
    parsed[option] = value;
  }
  return parsed;
}

function localOptions(args: string[]): LocalOptions {
  const flags = parseFlags(args, {
    values: { '--app': 'app', '--stack': 'stack', '--api': 'api', '--port': 'port' },
    switches: { '--no-auth': ['auth', false], '--watch': ['watch', true] },
  }, LOCAL_USAGE);
  const port = flags.port === undefined ? '3000' : String(flags.port);
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw new UsageError(`Invalid option --port ${port}: use a port from 0 to 65535.\n\n${LOCAL_USAGE}`);
  return {
    app: flags.app as string | undefined,
    stack: flags.stack as string | undefined,
    api: flags.api as string | undefined,
    port: Number(port),
    auth: flags.auth !== false,
    watch: flags.watch === true,
  };
}

function openApiOptions(args: string[]): OpenApiCommandOptions {
  const flags = parseFlags(args, { values: { '--app': 'app', '--stack': 'stack', '--api': 'api', '--out': 'out' }, switches: {} }, OPENAPI_USAGE);
  const text = (name: string) => flags[name] as string | undefined;
  return { app: text('app'), stack: text('stack'), api: text('api'), out: text('out') };
}

function preflightOptions(args: string[]): PreflightCommandOptions {
  const flags = parseFlags(args, { values: { '--app': 'app', '--stack': 'stack', '--region': 'region', '--profile': 'profile' }, switches: {} }, PREFLIGHT_USAGE);
  return {
    app: flags.app as string | undefined,
    stack: flags.stack as string | undefined,
    region: flags.region as string | undefined,
    profile: flags.profile as string | undefined,
  };
}

/** Each command's usage, and how its options are parsed. */
const COMMANDS: Record<string, { readonly usage: string; readonly parse: (args: string[]) => Invocation }> = {
  local: { usage: LOCAL_USAGE, parse: (args) => ({ command: 'local', options: localOptions(args) }) },
  openapi: { usage: OPENAPI_USAGE, parse: (args) => ({ command: 'openapi', options: openApiOptions(args) }) },
  preflight: { usage: PREFLIGHT_USAGE, parse: (args) => ({ command: 'preflight', options: preflightOptions(args) }) },
};

function commandNamed(name: string): typeof COMMANDS[string] {
  if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`Unknown command ${name}.\n\n${MAIN_USAGE}`);
  return COMMANDS[name];
}

/** Parses the command line; throws UsageError on anything it does not understand. */
export function parseArguments(args: string[]): Invocation {
  const [command, ...rest] = args;
  if (command === undefined || HELP_FLAGS.includes(command)) return { command: 'help', text: MAIN_USAGE };
  if (command === '--version' || command === '-v') return { command: 'version' };
  // `help <command>` as `<command> --help`, as git and npm take it.
  if (command === 'help') return { command: 'help', text: rest.length === 0 ? MAIN_USAGE : commandNamed(rest[0]).usage };
  const { usage, parse } = commandNamed(command);
  return rest.some((arg) => HELP_FLAGS.includes(arg)) ? { command: 'help', text: usage } : parse(rest);
}

/** The version of this package. */
export function packageVersion(): string {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
}

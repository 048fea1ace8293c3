import { LOCAL_USAGE, MAIN_USAGE, OPENAPI_USAGE, PREFLIGHT_USAGE, UsageError, parseArguments } from '../../cli/arguments';

/**
 * The command line parsed in-process (commands.emulator.test.ts runs the built CLI, which a mutation of cli/ never
 * reaches). The forms come from the main usage ("--help, -h  show this help (`cdk-secure-serverless <command> --help`
 * shows the command's options)", "--version, -v  print the version") and docs/local-mode.md.
 */
describe('help and version', () => {
  test.each([
    ['no arguments', []],
    ['--help', ['--help']],
    ['-h', ['-h']],
  ])('%s asks for the main usage, which lists the three commands', (_, args) => {
    const invocation = parseArguments(args);
    expect(invocation).toEqual({ command: 'help', text: MAIN_USAGE });
    const text = (invocation as { text: string }).text;
    expect([...text.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((match) => match[1])).toEqual(['local', 'openapi', 'preflight']);
  });

  /** The main usage's "help [command]  show this help, or a command's options", as `git help <command>` reads. */
  test.each([
    [['help'], MAIN_USAGE],
    [['help', 'local'], LOCAL_USAGE],
    [['help', 'openapi'], OPENAPI_USAGE],
    [['help', 'preflight'], PREFLIGHT_USAGE],
  ])('the command word %j asks for the same usage as --help', (args, usage) => {
    expect(MAIN_USAGE).toMatch(/^ {2}help \[command\] +show this help, or a command's options$/m);
    expect(parseArguments(args)).toEqual({ command: 'help', text: usage });
  });

  test.each([[['deploy']], [['help', 'deploy']], [['toString']], [['help', 'constructor']]])('%j is an unknown command, with the main usage', (args) => {
    const name = args[args.length - 1];
    expect(() => parseArguments(args)).toThrow(UsageError);
    expect(() => parseArguments(args)).toThrow(`Unknown command ${name}.\n\n${MAIN_USAGE}`);
  });

  test.each([['--version'], ['-v']])('%s asks for the version', (flag) => {
    expect(parseArguments([flag])).toEqual({ command: 'version' });
  });

  test.each([
    ['local', LOCAL_USAGE],
    ['openapi', OPENAPI_USAGE],
    ['preflight', PREFLIGHT_USAGE],
  ])('%s --help or -h, alone or after other options, asks for that command\'s usage', (command, usage) => {
    expect(usage.startsWith(`Usage: cdk-secure-serverless ${command} `)).toBe(true);
    for (const args of [['--help'], ['-h'], ['--app', 'cdk.out', '--help'], ['--stack', 'orders-prod', '-h']]) {
      expect(parseArguments([command, ...args])).toEqual({ command: 'help', text: usage });
    }
  });
});

describe('openapi options', () => {
  // The synopsis of docs/local-mode.md: openapi [--app <...>] [--stack orders-prod] [--api Orders/Api] [--out openapi.json]
  test('--app, --stack, --api and --out each set their option, as separate or inline values', () => {
    const expected = { command: 'openapi', options: { app: 'cdk.out', stack: 'orders-prod', api: 'Orders/Api', out: 'openapi.json' } };
    expect(parseArguments(['openapi', '--app', 'cdk.out', '--stack', 'orders-prod', '--api', 'Orders/Api', '--out', 'openapi.json'])).toEqual(expected);
    expect(parseArguments(['openapi', '--out=openapi.json', '--api=Orders/Api', '--stack=orders-prod', '--app=cdk.out'])).toEqual(expected);
  });

  test('each option alone sets only itself; without options, none is set', () => {
    expect(parseArguments(['openapi'])).toEqual({ command: 'openapi', options: {} });
    expect(parseArguments(['openapi', '--out', 'doc.json'])).toEqual({ command: 'openapi', options: { out: 'doc.json' } });
    expect(parseArguments(['openapi', '--api', 'Api'])).toEqual({ command: 'openapi', options: { api: 'Api' } });
  });
});

describe('preflight options', () => {
  // docs/deploying.md: npx cdk-secure-serverless preflight [--region eu-west-1] [--profile ops]; PREFLIGHT_USAGE lists --app and --stack too.
  test('--app, --stack, --region and --profile each set their own option', () => {
    expect(parseArguments(['preflight', '--app', 'cdk.out', '--stack', 'orders-prod', '--region', 'eu-west-1', '--profile', 'ops'])).toEqual({
      command: 'preflight', options: { app: 'cdk.out', stack: 'orders-prod', region: 'eu-west-1', profile: 'ops' },
    });
    expect(parseArguments(['preflight', '--region=us-east-2'])).toEqual({ command: 'preflight', options: { region: 'us-east-2' } });
    expect(parseArguments(['preflight', '--profile', 'ops'])).toEqual({ command: 'preflight', options: { profile: 'ops' } });
  });
});

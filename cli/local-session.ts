import { rmSync } from 'node:fs';
import { ApiDocs } from './api-docs';
import { RestApiChoice, apiLabel, selectRestApis } from './api-selection';
import { AppSource, AssemblyStack, PACKAGE_ROOT, readStack, synthesize } from './assembly';
import { EmulationReport, createEmulatedResources } from './emulated-resources';
import { provideRuntimeSdk } from './function-loader';
import { LocalAuthorizer } from './local-auth';
import { LocalGateway, PreparedApi } from './local-gateway';
import { MotoServer } from './moto-server';
import { RestApiDefinition, readRestApi } from './rest-api';
import { ResolutionContext } from './template';
import { WarmSynthesizer } from './warm-synthesizer';
import { openApiDocument } from '../lib/openapi';

/** One REST API local mode serves: which one, what it serves now, its gateway and API reference. */
export interface ServedApi {
  readonly choice: RestApiChoice;
  definition: RestApiDefinition;
  readonly gateway: LocalGateway;
  readonly docs: ApiDocs;
  readonly url: string;
}

/** Synthesizes the app into a fresh directory each time (keeping the app's process between calls with --watch). */
interface Synthesizer {
  synthesize(): Promise<string>;
  close(): void;
}

/** One synthesis of the app as local mode serves it: the stack, what was newly emulated, and each chosen API. */
interface LoadedApp {
  readonly assemblyDir: string;
  readonly stack: AssemblyStack;
  readonly report: EmulationReport;
  readonly apis: ReadonlyArray<{ choice: RestApiChoice; definition: RestApiDefinition; document: object }>;
}

/** What `start` serves and where. */
export interface StartOptions {
  readonly stack?: string;
  readonly api?: string;
  /** The port of the n-th API. */
  readonly portOf: (index: number) => number;
}

/**
 * Local mode on one app: `start` synthesizes it, creates its stateful resources in moto and serves its REST APIs;
 * `reload` synthesizes it again and switches every API to the new version, all or none. Both load the app by one path
 * (`load`); moto, its data and the resources already emulated stay for the whole session.
 */
export class LocalSession {
  readonly apis: ServedApi[] = [];
  /** Checks the served APIs' authorization (set once they are served, unless --no-auth). */
  authorizer?: LocalAuthorizer;
  private readonly synthesizer: Synthesizer;
  private context?: ResolutionContext;
  private stackName?: string;
  private assemblyDir?: string;
  private readonly sharedEnvironment: Record<string, string> = {};

  constructor(readonly source: AppSource, private readonly moto: Promise<MotoServer>, watch: boolean) {
    this.synthesizer = watch ? new WarmSynthesizer(source) : { synthesize: () => synthesize(source), close: () => undefined };
  }

  /** Serves the chosen APIs of the app's stack; resolves with the stack and what was emulated. */
  async start(options: StartOptions): Promise<{ stack: AssemblyStack; report: EmulationReport }> {
    this.stackName = options.stack;
    const loaded = await this.load((stack) => selectRestApis(stack.template, stack.stackName, options.api));
    const { stack } = loaded;
    this.stackName = stack.stackName;
    this.assemblyDir = loaded.assemblyDir;
    const moto = await this.moto;
    Object.assign(this.sharedEnvironment, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: stack.region,
      AWS_DEFAULT_REGION: stack.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
    });
    provideRuntimeSdk([this.source.cwd, PACKAGE_ROOT]);
    for (const [index, api] of loaded.apis.entries()) {
      const gateway = new LocalGateway(api.definition, stack.accountId);
      await gateway.loadFunctions(this.sharedEnvironment);
      const docs = new ApiDocs(api.document);
      gateway.serveLocalPages(docs);
      const url = `http://127.0.0.1:${await gateway.listen(options.portOf(index))}`;
      this.apis.push({ choice: api.choice, definition: api.definition, gateway, docs, url });
    }
    return { stack, report: loaded.report };
  }

  /** Synthesizes again and switches every API to the new version, or none; resolves with what was newly emulated. */
  async reload(): Promise<EmulationReport> {
    const loaded = await this.load((stack) => {
      const missing = this.apis.filter((api) => stack.template.Resources[api.choice.logicalId]?.Type !== 'AWS::ApiGateway::RestApi');
      if (missing.length > 0) throw new Error(`Stack ${stack.stackName} has no REST API ${missing.map((api) => apiLabel(api.choice)).join(', ')} any more.`);
      return this.apis.map((api) => api.choice);
    });
    try {
      for (const api of loaded.apis) await this.authorizer?.prepare(api.definition);
      await this.switchAll(loaded);
    } catch (error) {
      this.removeAssembly(loaded.assemblyDir);
      throw error;
    }
    this.removeAssembly(this.assemblyDir);
    this.assemblyDir = loaded.assemblyDir;
    return loaded.report;
  }

  /** Stops serving and synthesizing, and removes the temporary cloud assembly. */
  async close(): Promise<void> {
    this.synthesizer.close();
    for (const api of this.apis) await api.gateway.close();
    this.removeAssembly(this.assemblyDir);
  }

  /** Synthesizes, reads the stack, creates the resources not yet emulated and reads each API `choose` picks. */
  private async load(choose: (stack: AssemblyStack) => RestApiChoice[]): Promise<LoadedApp> {
    const assemblyDir = await this.synthesizer.synthesize();
    try {
      const stack = readStack(assemblyDir, this.stackName);
      const choices = choose(stack);
      const moto = await this.moto;
      this.context ??= { region: stack.region, accountId: stack.accountId, stackName: stack.stackName, resources: new Map() };
      const report = await createEmulatedResources(moto.endpoint, stack.template, this.context);
      const apis = choices.map((choice) => ({
        choice,
        definition: readRestApi(stack.template, choice.logicalId, assemblyDir, this.context!),
        document: openApiDocument(stack.template, { restApiLogicalId: choice.logicalId, region: stack.region }),
      }));
      return { assemblyDir, stack, report, apis };
    } catch (error) {
      this.removeAssembly(assemblyDir);
      throw error;
    }
  }

  /**
   * Loads the new definition of every API, then switches them all at once; when one fails to load, none switches (no
   * API serves the new version beside another serving the old one) and the error is thrown.
   */
  private async switchAll(loaded: LoadedApp): Promise<void> {
    const savedEnvironment = { ...process.env };
    const prepared: PreparedApi[] = [];
    try {
      for (const [index, api] of this.apis.entries()) prepared.push(await api.gateway.prepare(loaded.apis[index].definition, this.sharedEnvironment));
    } catch (error) {
      // The environment variables as they were before the new functions set their own.
      for (const name of Object.keys(process.env)) if (!(name in savedEnvironment)) delete process.env[name];
      Object.assign(process.env, savedEnvironment);
      throw error;
    }
    // Synchronous from here: no request is handled between the first switch and the last.
    for (const [index, api] of this.apis.entries()) {
      api.gateway.serve(prepared[index]);
      api.definition = loaded.apis[index].definition;
      api.docs.update(loaded.apis[index].document);
    }
  }

  /** Removes a temporary cloud assembly (never one the user passed with --app). */
  private removeAssembly(dir: string | undefined): void {
    if (dir && dir !== this.source.assemblyDir) rmSync(dir, { recursive: true, force: true });
  }
}

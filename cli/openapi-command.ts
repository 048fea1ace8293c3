import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { selectRestApi } from './api-selection';
import { OpenApiCommandOptions } from './arguments';
import { appSource, readStack, synthesize } from './assembly';
import { OpenApiDocument, openApiDocument } from '../lib/openapi';

/** Synthesizes the app (unless it is an assembly) and derives the OpenAPI document of the chosen stack's REST API. */
export async function synthesizedOpenApiDocument(options: OpenApiCommandOptions, cwd: string): Promise<OpenApiDocument> {
  const source = appSource(options.app, cwd);
  const assemblyDir = await synthesize(source);
  try {
    const stack = readStack(assemblyDir, options.stack);
    const api = selectRestApi(stack.template, stack.stackName, options.api);
    return openApiDocument(stack.template, { restApiLogicalId: api.logicalId, region: stack.region });
  } finally {
    if (!source.assemblyDir) rmSync(assemblyDir, { recursive: true, force: true });
  }
}

/** `cdk-secure-serverless openapi`: writes the document to `--out` or standard output; resolves with the exit code. */
export async function runOpenApi(options: OpenApiCommandOptions): Promise<number> {
  try {
    const document = await synthesizedOpenApiDocument(options, process.cwd());
    const text = `${JSON.stringify(document, undefined, 2)}\n`;
    if (options.out) {
      writeFileSync(resolve(options.out), text);
      process.stderr.write(`Wrote the OpenAPI document of "${document.info.title}" to ${options.out}\n`);
    } else {
      // Written before the command exits: a pipe takes the document in chunks, and process.exit drops what is left.
      await new Promise<void>((written, failed) => process.stdout.write(text, (error) => (error ? failed(error) : written())));
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

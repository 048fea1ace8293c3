import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Token, attachCustomSynthesis } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { openApiDocument } from '../openapi';

interface DocumentedApi {
  readonly restApi: apigw.RestApi;
  readonly fileName: string;
}

/**
 * Writes the OpenAPI document of each registered REST API into the cloud assembly, next to its stack's template.
 * It is a sibling of the stack, added after it: synthesis visits the tree children first, so the stack's template is
 * already written when this runs.
 */
class OpenApiDocumentWriter extends Construct {
  public static of(stack: Stack): OpenApiDocumentWriter {
    const scope = stack.node.scope!;
    const id = `${stack.node.id}.OpenApiDocuments`;
    return (scope.node.tryFindChild(id) as OpenApiDocumentWriter | undefined) ?? new OpenApiDocumentWriter(scope, id, stack);
  }

  private readonly apis: DocumentedApi[] = [];

  private constructor(scope: Construct, id: string, private readonly stack: Stack) {
    super(scope, id);
    attachCustomSynthesis(this, { onSynthesize: (session) => this.write(session.outdir) });
  }

  /**
   * Registers an API; returns the file name of its document, unique and stable as the construct path it derives
   * from: `<stack>.<path of the API's construct below the stack, ids joined by dots>.openapi.json`, e.g.
   * `orders-prod.Orders.Api.openapi.json` for the `ValidatedRestApi` `Api` of the `ServerlessService` `Orders`.
   */
  public register(restApi: apigw.RestApi): string {
    const owner = restApi.node.scope!;
    const ids = owner.node.scopes.slice(this.stack.node.scopes.length).map((scope) => scope.node.id.replace(/[^A-Za-z0-9_-]/g, '_'));
    const fileName = `${this.stack.artifactId}.${ids.join('.')}.openapi.json`;
    this.apis.push({ restApi, fileName });
    return fileName;
  }

  private write(outdir: string): void {
    const templatePath = join(outdir, this.stack.templateFile);
    // A stage's tree is also visited by its parent's synthesis, whose assembly does not hold the stage's templates.
    if (!existsSync(templatePath)) return;
    const template = JSON.parse(readFileSync(templatePath, 'utf8'));
    const region = Token.isUnresolved(this.stack.region) ? undefined : this.stack.region;
    for (const { restApi, fileName } of this.apis) {
      const restApiLogicalId: string = this.stack.resolve((restApi.node.defaultChild as apigw.CfnRestApi).logicalId);
      const document = openApiDocument(template, { restApiLogicalId, region });
      writeFileSync(join(outdir, fileName), `${JSON.stringify(document, undefined, 2)}\n`);
    }
  }
}

/** Has the OpenAPI document of `restApi` written into the cloud assembly at synthesis; returns its file name. */
export function writeOpenApiDocumentAtSynthesis(restApi: apigw.RestApi): string {
  return OpenApiDocumentWriter.of(Stack.of(restApi)).register(restApi);
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssetStaging, CfnResource, Names, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { validationError } from './construct-errors';

/** Where the pre-bundled handlers live: `assets/` at the package root, beside `lib/` (and `src/` in tests). */
export const ASSETS_DIR = join(__dirname, '..', '..', 'assets');

/**
 * A directory asset as Lambda code, staged and registered like `lambda.Code.fromAsset` does (same asset hash, S3
 * location and `aws:asset:*` resource metadata), without the `s3_assets.Asset` construct: its imported bucket loads
 * aws-cdk-lib's region-info tables (about 1.3 MB of JavaScript) on first use, a fixed cost the bundled handlers never
 * need since they grant no reads of the asset bucket.
 */
class StagedDirectoryCode extends lambda.Code {
  public readonly isInline = false;
  private staged?: { readonly scope: Construct; readonly assetPath: string; readonly location: lambda.CodeConfig };

  constructor(private readonly dir: string) {
    super();
  }

  public bind(scope: Construct): lambda.CodeConfig {
    if (this.staged) {
      if (Stack.of(this.staged.scope) !== Stack.of(scope)) throw validationError(scope, `The code of ${this.dir} is already used in stack ${Stack.of(this.staged.scope).stackName}: create one per stack.`);
      return this.staged.location;
    }
    // The same construct path as Code.fromAsset's ("Code/Stage"), so asset display names stay as they were.
    const holder = new Construct(scope, 'Code');
    const staging = new AssetStaging(holder, 'Stage', { sourcePath: this.dir });
    const stack = Stack.of(holder);
    const assetPath = staging.relativeStagedPath(stack);
    const location = stack.synthesizer.addFileAsset({
      packaging: staging.packaging,
      sourceHash: staging.assetHash,
      fileName: assetPath,
      deployTime: true,
      displayName: Names.stackRelativeConstructPath(holder),
    });
    this.staged = { scope, assetPath, location: { s3Location: { bucketName: location.bucketName, objectKey: location.objectKey } } };
    return this.staged.location;
  }

  public bindToResource(resource: CfnResource, options: lambda.ResourceBindOptions = {}): void {
    if (!this.staged) throw validationError(resource, 'bindToResource() must be called after bind()');
    if (!resource.node.tryGetContext(cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT)) return;
    resource.cfnOptions.metadata = {
      ...resource.cfnOptions.metadata,
      [cxapi.ASSET_RESOURCE_METADATA_PATH_KEY]: this.staged.assetPath,
      [cxapi.ASSET_RESOURCE_METADATA_IS_BUNDLED_KEY]: false,
      [cxapi.ASSET_RESOURCE_METADATA_PROPERTY_KEY]: options.resourceProperty ?? 'Code',
    };
  }
}

/**
 * The code of a handler bundled from `lambda-src/<name>` at build time.
 * Shipping the bundle in the package means consumers in every jsii language deploy it without a Node bundler.
 */
export function bundledHandlerCode(name: string): lambda.Code {
  const dir = join(ASSETS_DIR, name);
  if (!existsSync(join(dir, 'index.js'))) {
    // Called before the construct that uses the code exists: no construct path.
    throw validationError(undefined, `The bundled handler "${name}" is missing from ${ASSETS_DIR}: run "npx projen pre-compile" to bundle lambda-src/.`);
  }
  return new StagedDirectoryCode(dir);
}

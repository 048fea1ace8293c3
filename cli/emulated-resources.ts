import { randomBytes, randomInt } from 'node:crypto';
import { MotoClient } from './moto-client';
import { CfnResource, CfnTemplate, ResolutionContext, ResolvedResource, resolveValue } from './template';

/** What local mode created in the emulator, and what it left out. */
export interface EmulationReport {
  readonly emulated: string[];
  readonly skipped: string[];
}

/** Served in-process by the local gateway rather than created in moto. */
const SERVED_TYPES = [
  'AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Deployment', 'AWS::ApiGateway::Stage', 'AWS::ApiGateway::Resource', 'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Model', 'AWS::ApiGateway::RequestValidator', 'AWS::ApiGateway::GatewayResponse', 'AWS::ApiGateway::Authorizer',
  'AWS::Lambda::Function',
];

/** A CloudFormation-style physical name: stack, logical id and a random suffix. */
function physicalName(context: ResolutionContext, logicalId: string, maxLength: number): string {
  const suffix = randomBytes(6).toString('hex').toUpperCase();
  return `${context.stackName}-${logicalId}`.slice(0, maxLength - suffix.length - 1) + `-${suffix}`;
}

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A value for `GenerateSecretString`, honouring its length and character-class options. */
export function generateSecretString(spec: Record<string, any>): string {
  let alphabet = '';
  if (!spec.ExcludeUppercase) alphabet += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (!spec.ExcludeLowercase) alphabet += 'abcdefghijklmnopqrstuvwxyz';
  if (!spec.ExcludeNumbers) alphabet += '0123456789';
  if (!spec.ExcludePunctuation) alphabet += PUNCTUATION;
  if (spec.IncludeSpace) alphabet += ' ';
  const excluded = new Set<string>(String(spec.ExcludeCharacters ?? ''));
  const characters = [...alphabet].filter((c) => !excluded.has(c));
  const length = Number(spec.PasswordLength ?? 32);
  const password = Array.from({ length }, () => characters[randomInt(characters.length)]).join('');
  if (spec.GenerateStringKey === undefined) return password;
  const template = JSON.parse(spec.SecretStringTemplate ?? '{}');
  return JSON.stringify({ ...template, [spec.GenerateStringKey]: password });
}

async function createKey(client: MotoClient, props: Record<string, any>): Promise<ResolvedResource> {
  const { KeyMetadata } = await client.json('kms', 'TrentService.CreateKey', '1.1', { Description: props.Description ?? 'local mode' });
  return { ref: KeyMetadata.KeyId, attributes: { Arn: KeyMetadata.Arn, KeyId: KeyMetadata.KeyId } };
}

async function createTable(client: MotoClient, logicalId: string, props: Record<string, any>, context: ResolutionContext): Promise<ResolvedResource> {
  const tableName = props.TableName ?? physicalName(context, logicalId, 255);
  const indexes = (props.GlobalSecondaryIndexes ?? []).map((index: Record<string, any>) => ({
    IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection,
  }));
  const { TableDescription } = await client.json('dynamodb', 'DynamoDB_20120810.CreateTable', '1.0', {
    TableName: tableName,
    KeySchema: props.KeySchema,
    AttributeDefinitions: props.AttributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
    ...(props.StreamSpecification ? { StreamSpecification: { StreamEnabled: true, StreamViewType: props.StreamSpecification.StreamViewType } } : {}),
  });
  const ttl = props.TimeToLiveSpecification;
  if (ttl?.Enabled) {
    await client.json('dynamodb', 'DynamoDB_20120810.UpdateTimeToLive', '1.0', {
      TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: ttl.AttributeName },
    });
  }
  return { ref: tableName, attributes: { Arn: TableDescription.TableArn, StreamArn: TableDescription.LatestStreamArn ?? '' } };
}

async function createSecret(
  client: MotoClient, logicalId: string, props: Record<string, any>, context: ResolutionContext,
): Promise<ResolvedResource> {
  // Without SecretString or GenerateSecretString CloudFormation creates an empty secret: no SecretString is sent.
  const secretString = props.SecretString !== undefined ? resolveValue(props.SecretString, context)
    : props.GenerateSecretString !== undefined ? generateSecretString(props.GenerateSecretString) : undefined;
  const { ARN } = await client.json('secretsmanager', 'secretsmanager.CreateSecret', '1.1', {
    Name: props.Name ?? physicalName(context, logicalId, 256).replace(/[^A-Za-z0-9/_+=.@-]/g, '-'),
    SecretString: secretString,
  });
  return { ref: ARN, attributes: { Id: ARN } };
}

async function createBucket(
  client: MotoClient, logicalId: string, props: Record<string, any>, context: ResolutionContext,
): Promise<ResolvedResource> {
  const name = props.BucketName ?? physicalName(context, logicalId, 63).toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  await client.createBucket(name);
  return {
    ref: name,
    attributes: { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com`, RegionalDomainName: `${name}.s3.${context.region}.amazonaws.com` },
  };
}

/** A user pool with the template's name, sign-in attributes and password policy (its tokens are verified locally). */
async function createUserPool(
  client: MotoClient, logicalId: string, props: Record<string, any>, context: ResolutionContext,
): Promise<ResolvedResource> {
  const { UserPool } = await client.json('cognito-idp', 'AWSCognitoIdentityProviderService.CreateUserPool', '1.1', {
    PoolName: typeof props.UserPoolName === 'string' ? props.UserPoolName : physicalName(context, logicalId, 128),
    ...(props.Policies ? { Policies: props.Policies } : {}),
    ...(props.UsernameAttributes ? { UsernameAttributes: props.UsernameAttributes } : {}),
  });
  return {
    ref: UserPool.Id,
    attributes: { Arn: UserPool.Arn, ProviderName: `cognito-idp.${context.region}.amazonaws.com/${UserPool.Id}`, UserPoolId: UserPool.Id },
  };
}

/** How local mode emulates one resource type in moto. */
interface EmulatedType {
  /** Creates the resource from its template properties and says what its `Ref` and `Fn::GetAtt` resolve to. */
  create(client: MotoClient, logicalId: string, props: Record<string, any>, context: ResolutionContext): Promise<ResolvedResource>;
  /** A read-only call of the type's service, which has moto load that service's modules. */
  warmUp(client: MotoClient): Promise<unknown>;
}

const TABLE: EmulatedType = {
  create: createTable,
  warmUp: (client) => client.json('dynamodb', 'DynamoDB_20120810.ListTables', '1.0', {}),
};

/**
 * The resource types created in moto, in creation order (keys first, so the rest may refer to them); every other type
 * in the template is skipped (and listed as such).
 */
export const EMULATED_TYPES: ReadonlyMap<string, EmulatedType> = new Map([
  ['AWS::KMS::Key', { create: (client, _id, props) => createKey(client, props), warmUp: (client) => client.json('kms', 'TrentService.ListKeys', '1.1', {}) }],
  ['AWS::DynamoDB::GlobalTable', TABLE],
  ['AWS::DynamoDB::Table', TABLE],
  ['AWS::SecretsManager::Secret', {
    create: createSecret, warmUp: (client) => client.json('secretsmanager', 'secretsmanager.ListSecrets', '1.1', {}),
  }],
  ['AWS::S3::Bucket', { create: createBucket, warmUp: (client) => client.listBuckets() }],
  ['AWS::Cognito::UserPool', {
    create: createUserPool, warmUp: (client) => client.json('cognito-idp', 'AWSCognitoIdentityProviderService.ListUserPools', '1.1', { MaxResults: 1 }),
  }],
]);

/** Creates one resource in moto; a type local mode does not emulate is an error, never a stand-in resource. */
export async function createEmulatedResource(
  client: MotoClient, logicalId: string, resource: CfnResource, context: ResolutionContext,
): Promise<ResolvedResource> {
  const type = EMULATED_TYPES.get(resource.Type);
  if (!type) throw new Error(`Local mode does not emulate ${resource.Type} (${logicalId}); it emulates ${[...EMULATED_TYPES.keys()].join(', ')}.`);
  return type.create(client, logicalId, resource.Properties ?? {}, context);
}

/**
 * Calls the service of each emulated type once, so that moto loads its modules (most of the time of the first create)
 * while the app still synthesizes. A failure here is left for the creates to report.
 */
export async function warmUpEmulator(endpoint: string): Promise<void> {
  const client = new MotoClient(endpoint, 'us-east-1');
  await Promise.allSettled([...new Set(EMULATED_TYPES.values())].map((type) => type.warmUp(client)));
}

/**
 * Creates in moto the stateful resources the template defines (keys first, so the rest may refer to them) and records
 * what their `Ref` and `Fn::GetAtt` resolve to. Moto's CloudFormation is not used: it does not create
 * `AWS::DynamoDB::GlobalTable`, and a partial stack would fail on the rest of the template.
 */
export async function createEmulatedResources(endpoint: string, template: CfnTemplate, context: ResolutionContext): Promise<EmulationReport> {
  const client = new MotoClient(endpoint, context.region);
  const emulated: string[] = [];
  for (const type of EMULATED_TYPES.keys()) {
    for (const [logicalId, resource] of Object.entries(template.Resources).filter(([, r]) => r.Type === type)) {
      // Already emulated (local mode reloads the app with --watch): it keeps its data.
      if (context.resources.has(logicalId)) continue;
      const resolved = await createEmulatedResource(client, logicalId, resource, context);
      context.resources.set(logicalId, resolved);
      emulated.push(`${type} ${logicalId} -> ${resolved.ref}`);
    }
  }
  const skippedCounts = new Map<string, number>();
  for (const resource of Object.values(template.Resources)) {
    if (EMULATED_TYPES.has(resource.Type) || SERVED_TYPES.includes(resource.Type)) continue;
    skippedCounts.set(resource.Type, (skippedCounts.get(resource.Type) ?? 0) + 1);
  }
  const skipped = [...skippedCounts].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => `${type} (${count})`);
  return { emulated, skipped };
}

import { runSimulation, runUnsafeSimulation, Simulation } from '@cloud-copilot/iam-simulate';

/**
 * Evaluates a synthesized template's identity, resource and key policies with an IAM policy evaluator that is not the
 * library's code (@cloud-copilot/iam-simulate), after resolving the CloudFormation intrinsics to concrete ARNs for a
 * fixed account and region. Physical names are made from logical ids, the way CloudFormation would name them.
 */

/** Where the template is deployed. */
export interface DeploymentTarget {
  readonly account: string;
  readonly region: string;
}

/** A foreign account, for the "denied" half of each path. */
export const FOREIGN_ACCOUNT = '999999999999';

type Json = any;

/** One resource of the template. */
interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Json;
}

/** A template whose intrinsic functions resolve to concrete values. */
export class ResolvedTemplate {
  public readonly resources: Record<string, TemplateResource>;

  constructor(template: Json, public readonly target: DeploymentTarget) {
    this.resources = template.Resources;
  }

  /** Logical ids of the resources of a type. */
  public idsOfType(type: string): string[] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type).map(([id]) => id);
  }

  /** The resource's properties, resolved. */
  public properties(logicalId: string): Json {
    return this.resolve(this.resource(logicalId).Properties ?? {});
  }

  /** What `Ref` of the logical id returns, as CloudFormation documents it for the resource type. */
  public ref(logicalId: string): string {
    const pseudo = this.pseudoParameter(logicalId);
    if (pseudo !== undefined) return pseudo;
    const { Type: type } = this.resource(logicalId);
    switch (type) {
      case 'AWS::SNS::Topic':
      case 'AWS::Lambda::Alias':
      case 'AWS::Lambda::Version':
      case 'AWS::SecretsManager::Secret':
      case 'AWS::IAM::ManagedPolicy':
        return this.getAtt(logicalId, 'Arn');
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.target.region}.amazonaws.com/${this.target.account}/${logicalId}`;
      case 'AWS::Logs::LogGroup':
        return this.rawProperties(logicalId).LogGroupName ?? logicalId;
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return this.rawProperties(logicalId).TableName ?? logicalId;
      case 'AWS::Lambda::Function':
        return this.rawProperties(logicalId).FunctionName ?? logicalId;
      case 'AWS::S3::Bucket':
        return logicalId.toLowerCase();
      case 'AWS::ApiGateway::Stage':
        return this.rawProperties(logicalId).StageName ?? logicalId;
      default:
        return logicalId;
    }
  }

  /** What `Fn::GetAtt` of the logical id and attribute returns. */
  public getAtt(logicalId: string, attribute: string): string {
    const { Type: type } = this.resource(logicalId);
    const { account, region } = this.target;
    const arn = (service: string, resource: string, inRegion = region) => `arn:aws:${service}:${inRegion}:${account}:${resource}`;
    const key = `${type}.${attribute}`;
    switch (key) {
      case 'AWS::SNS::Topic.TopicArn':
      case 'AWS::SNS::Topic.Arn': return arn('sns', logicalId);
      case 'AWS::SNS::Topic.TopicName': return logicalId;
      case 'AWS::SQS::Queue.Arn': return arn('sqs', logicalId);
      case 'AWS::SQS::Queue.QueueName': return logicalId;
      case 'AWS::SQS::Queue.QueueUrl': return this.ref(logicalId);
      case 'AWS::KMS::Key.Arn': return arn('kms', `key/${logicalId}`);
      case 'AWS::KMS::Key.KeyId': return logicalId;
      case 'AWS::Lambda::Function.Arn': return arn('lambda', `function:${this.ref(logicalId)}`);
      case 'AWS::Lambda::Alias.Arn': {
        const props = this.properties(logicalId);
        return arn('lambda', `function:${functionNameOf(props.FunctionName)}:${props.Name}`);
      }
      case 'AWS::Lambda::Version.Arn':
      case 'AWS::Lambda::Version.Version': {
        const props = this.properties(logicalId);
        return attribute === 'Version' ? '1' : arn('lambda', `function:${functionNameOf(props.FunctionName)}:1`);
      }
      case 'AWS::Logs::LogGroup.Arn': return arn('logs', `log-group:${this.ref(logicalId)}:*`);
      case 'AWS::IAM::Role.Arn': return `arn:aws:iam::${account}:role/${logicalId}`;
      case 'AWS::IAM::ManagedPolicy.Arn':
      case 'AWS::IAM::ManagedPolicy.PolicyArn': return `arn:aws:iam::${account}:policy/${logicalId}`;
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn': return arn('dynamodb', `table/${this.ref(logicalId)}`);
      case 'AWS::DynamoDB::GlobalTable.StreamArn': return arn('dynamodb', `table/${this.ref(logicalId)}/stream/2026-01-01T00:00:00.000`);
      case 'AWS::SecretsManager::Secret.Arn':
      case 'AWS::SecretsManager::Secret.Id': return arn('secretsmanager', `secret:${logicalId}-AbCdEf`);
      case 'AWS::Events::Rule.Arn': return arn('events', `rule/${logicalId}`);
      case 'AWS::S3::Bucket.Arn': return `arn:aws:s3:::${this.ref(logicalId)}`;
      case 'AWS::Backup::BackupVault.BackupVaultArn': return arn('backup', `backup-vault:${logicalId}`);
      case 'AWS::Backup::BackupVault.BackupVaultName': return logicalId;
      case 'AWS::CloudWatch::Alarm.Arn': return arn('cloudwatch', `alarm:${logicalId}`);
      case 'AWS::ApiGateway::RestApi.RootResourceId': return `${logicalId}-root`;
      default: return `${logicalId}.${attribute}`;
    }
  }

  /** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select and Fn::Split, deeply. */
  public resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = value[fn];
      switch (fn) {
        case 'Ref': return this.ref(arg);
        case 'Fn::GetAtt': {
          const [id, attribute] = typeof arg === 'string' ? arg.split('.') : arg;
          return this.getAtt(id, attribute);
        }
        case 'Fn::Join': return (this.resolve(arg[1]) as string[]).join(arg[0]);
        case 'Fn::Select': return this.resolve(arg[1])[Number(this.resolve(arg[0]))];
        case 'Fn::Split': return (this.resolve(arg[1]) as string).split(arg[0]);
        case 'Fn::Sub': return this.sub(arg);
        default: break;
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }

  private sub(arg: Json): string {
    const [text, variables] = typeof arg === 'string' ? [arg, {}] : [arg[0], this.resolve(arg[1])];
    return (text as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
      if (name in variables) return variables[name];
      const [id, attribute] = name.split('.');
      return attribute ? this.getAtt(id, attribute) : this.ref(id);
    });
  }

  private pseudoParameter(name: string): string | undefined {
    const { account, region } = this.target;
    switch (name) {
      case 'AWS::AccountId': return account;
      case 'AWS::Region': return region;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return 'TestStack';
      case 'AWS::StackId': return `arn:aws:cloudformation:${region}:${account}:stack/TestStack/00000000-0000-0000-0000-000000000000`;
      default: return undefined;
    }
  }

  private resource(logicalId: string): TemplateResource {
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`no resource ${logicalId} in the template`);
    return resource;
  }

  private rawProperties(logicalId: string): Json {
    const props = this.resource(logicalId).Properties ?? {};
    return Object.fromEntries(Object.entries(props).filter(([, v]) => typeof v === 'string'));
  }
}

function functionNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6] : nameOrArn;
}

/** The identity policies of a role: its inline policies, the AWS::IAM::Policy and the managed policies attached to it. */
export function identityPoliciesOf(t: ResolvedTemplate, roleId: string): Array<{ name: string; policy: Json }> {
  const roleName = t.ref(roleId);
  const role = t.properties(roleId);
  const attachedArns: string[] = role.ManagedPolicyArns ?? [];
  const policies: Array<{ name: string; policy: Json }> = (role.Policies ?? []).map((p: Json) => ({ name: p.PolicyName, policy: p.PolicyDocument }));
  for (const id of [...t.idsOfType('AWS::IAM::Policy'), ...t.idsOfType('AWS::IAM::ManagedPolicy')]) {
    const props = t.properties(id);
    const attached = (props.Roles ?? []).includes(roleName)
      || (t.resources[id].Type === 'AWS::IAM::ManagedPolicy' && attachedArns.includes(t.ref(id)));
    if (attached) policies.push({ name: id, policy: props.PolicyDocument });
  }
  return policies;
}

/** The role a function runs as. */
export function roleOfFunction(t: ResolvedTemplate, functionId: string): string {
  const roleArn: string = t.properties(functionId).Role;
  const roleId = t.idsOfType('AWS::IAM::Role').find((id) => t.getAtt(id, 'Arn') === roleArn);
  if (!roleId) throw new Error(`the role of ${functionId} is not in the template`);
  return roleId;
}

/** The resource policy of an SNS topic, an SQS queue, a KMS key, or a Lambda function / alias (from its permissions). */
export function resourcePolicyOf(t: ResolvedTemplate, logicalId: string): Json | undefined {
  const type = t.resources[logicalId].Type;
  const ref = t.ref(logicalId);
  const attached = (policyType: string, listProperty: string) => {
    const statements = t.idsOfType(policyType)
      .map((id) => t.properties(id))
      .filter((props) => (props[listProperty] as string[]).includes(ref))
      .flatMap((props) => props.PolicyDocument.Statement);
    return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements };
  };
  switch (type) {
    case 'AWS::SNS::Topic': return attached('AWS::SNS::TopicPolicy', 'Topics');
    case 'AWS::SQS::Queue': return attached('AWS::SQS::QueuePolicy', 'Queues');
    case 'AWS::KMS::Key': return t.properties(logicalId).KeyPolicy;
    case 'AWS::Lambda::Function':
    case 'AWS::Lambda::Alias': return lambdaPermissionPolicy(t, logicalId);
    default: throw new Error(`no resource policy for ${type}`);
  }
}

/** The function policy that the template's AWS::Lambda::Permission resources add to the function or alias. */
function lambdaPermissionPolicy(t: ResolvedTemplate, logicalId: string): Json | undefined {
  const arn = t.getAtt(logicalId, 'Arn');
  const statements = t.idsOfType('AWS::Lambda::Permission')
    .map((id) => t.properties(id))
    .filter((p) => p.FunctionName === arn || p.FunctionName === t.ref(logicalId))
    .map((p) => {
      const condition: Json = {};
      if (p.SourceArn) condition.ArnLike = { 'aws:SourceArn': p.SourceArn };
      if (p.SourceAccount) condition.StringEquals = { 'aws:SourceAccount': p.SourceAccount };
      const principal = p.Principal.endsWith('.amazonaws.com') ? { Service: p.Principal } : { AWS: p.Principal };
      return { Effect: 'Allow', Principal: principal, Action: p.Action, Resource: arn, ...(Object.keys(condition).length > 0 && { Condition: condition }) };
    });
  return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements };
}

/** One request to evaluate. */
export interface PolicyRequest {
  /** A role or account ARN, or a service principal such as `cloudwatch.amazonaws.com`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  readonly identityPolicies?: Array<{ name: string; policy: Json }>;
  readonly resourcePolicy?: Json;
  readonly context?: Record<string, string | string[]>;
}

/**
 * `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`, as iam-simulate decides; a request it rejects throws, and so does
 * a context key it finds irrelevant to the action. One known gap: it recognizes only `/`-separated variable keys
 * (`aws:RequestTag/...`), so it drops `kms:EncryptionContext:<key>`, which the KMS actions do take
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context); such a
 * request is validated, then decided by its engine without the context filter.
 */
export async function decide(request: PolicyRequest): Promise<string> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: { 'aws:SecureTransport': 'true', ...request.context },
    },
    identityPolicies: request.identityPolicies ?? [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') {
    throw new Error(`iam-simulate rejected ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`);
  }
  const ignored = response.resultType === 'single' ? response.result.ignoredContextKeys ?? [] : [];
  const unexpected = ignored.filter((key) => !/^kms:EncryptionContext:/i.test(key));
  if (unexpected.length > 0) {
    throw new Error(`iam-simulate ignored the context keys ${unexpected.join(', ')} of ${request.action}: not keys of that request`);
  }
  if (ignored.length === 0) return response.overallResult;
  // The unsafe engine loads the resource policy without a name, which its analysis needs: hand it one already named.
  const named = request.resourcePolicy && { __validated: true, policyDocument: request.resourcePolicy, metadata: { name: 'resource policy' } };
  const unsafe = runUnsafeSimulation({ ...simulation, resourcePolicy: named }, {}) as unknown;
  return typeof unsafe === 'string' ? unsafe : (unsafe as { result: string }).result;
}

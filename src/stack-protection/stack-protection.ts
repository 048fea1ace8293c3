import { AspectPriority, Aspects, Aws, CfnResource, CustomResource, Duration, IAspect, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { applyTags, bundledHandlerCode, HardenedFunction, allowCloudWatchLogs, allowServiceToEncryptDeadLetters, createRotatedKey, KEEP_DATA, Fail, failIn, validationError, withDefaults } from '../core';
import { destinationWithoutGrant } from '../function';
import { STACK_PROTECTION_DEFAULTS } from './stack-protection-defaults';

/** Props of `StackProtection`. */
export interface StackProtectionProps {
  /**
   * Turn on termination protection of the stack, so `cdk destroy` and DeleteStack fail until it is turned off.
   * @default true
   */
  readonly terminationProtection?: boolean;

  /**
   * Set `DeletionPolicy` and `UpdateReplacePolicy` to `Retain` on every stateful resource of the stack, including
   * those added after this construct.
   * @default true
   */
  readonly retainStatefulResources?: boolean;

  /**
   * Set, after each successful deployment, a CloudFormation stack policy that allows every update but denies
   * `Update:Replace` and `Update:Delete` on the stateful resources; turning it off later allows every update again.
   * @default true
   */
  readonly stackPolicy?: boolean;

  /**
   * CloudFormation resource types protected besides the default ones (DynamoDB tables and global tables, S3 buckets,
   * KMS keys, Secrets Manager secrets, CloudWatch Logs log groups), e.g. `AWS::Cognito::UserPool`.
   * @default - only the default types
   */
  readonly additionalResourceTypes?: string[];

  /**
   * Customer-managed key encrypting the stack-policy function's log group and dead-letter queue.
   * A given key's policy must let CloudWatch Logs and EventBridge (for the dead-letter queue) use it.
   * @default - a new key with rotation on, whose policy lets CloudWatch Logs of this account use it
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Retention of the stack-policy function's log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * VPC to run the stack-policy function in; it needs a route to the CloudFormation API and to Amazon S3
   * (NAT gateway or VPC endpoints) to answer CloudFormation.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc` for the stack-policy function.
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Tags applied to every taggable resource of the construct (as `Tags.of(construct).add(key, value)` does).
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** Resource types that hold data or identity, whose replacement or deletion loses it. */
const DEFAULT_STATEFUL_RESOURCE_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::Logs::LogGroup',
];

const RESOURCE_TYPE_PATTERN = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

/**
 * Protects a stack's stateful resources from accidental deletion or replacement.
 *
 * One per stack; `ServerlessService` applies it for stages with `stackProtection` (STAGING and PROD).
 *
 * - **Termination protection** on the stack (`cdk destroy` and DeleteStack fail until it is turned off).
 * - **`RETAIN_ON_UPDATE_OR_DELETE`** (`DeletionPolicy: RetainExceptOnCreate`, `UpdateReplacePolicy: Retain`) on every
 *   DynamoDB table and global table, S3 bucket, KMS key, Secrets Manager secret and CloudWatch Logs log group of the
 *   stack, through an aspect: resources added after the construct are covered too. `additionalResourceTypes` adds more
 *   types (e.g. `AWS::Cognito::UserPool`).
 * - **A CloudFormation stack policy** that allows `Update:*` on `*` and denies `Update:Replace` and `Update:Delete` on
 *   the logical ids of those resources (computed at synthesis; the protection's own resources are left out). It is set
 *   after every successful deployment: an EventBridge rule on CloudFormation's Stack Status Change events for this stack
 *   (`CREATE_COMPLETE`, `UPDATE_COMPLETE`) invokes the stack-policy function with the policy, so nothing calls
 *   `SetStackPolicy` while the stack is being created or updated, and the template is the same at every synthesis.
 *   What this promises: the policy governs every deployment after the first one completes (the first create and the
 *   deployment that adds a resource are not yet covered for that resource); a change that would replace or remove a
 *   protected resource then fails, until you deploy it deliberately with an overriding policy
 *   (`aws cloudformation update-stack --stack-policy-during-update-body ...`). An event the function cannot take is
 *   retried (EventBridge, then Lambda) and lands in its dead-letter queue.
 * - **Lifting it**: deploy with the protection removed (`protection: false` on the service, `stackPolicy: false`, or no
 *   `StackProtection`); the custom resource `Custom::StackPolicy` is then deleted and its Delete replaces the policy with
 *   one allowing every update. Then deploy the change that removes or replaces stateful resources. If that Delete
 *   failed, the stack event says so and `aws cloudformation set-stack-policy --stack-name STACK --stack-policy-body
 *   '{"Statement":[{"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"}]}'` does the same. On stack
 *   deletion the policy is left alone: it goes with the stack.
 * - **One per stack**: services of one stack share the stack's `StackProtection`, which covers every stateful resource
 *   of the stack; a `StackProtection` you create before the services is used by them as is.
 * - The custom resource's function is the library's own (no Provider framework, no `AwsCustomResource`): Node.js 24 on
 *   ARM64, JSON logs to its own KMS-encrypted log group with retention, X-Ray tracing, no reserved concurrency, a
 *   KMS-encrypted TLS-only dead-letter queue, and a role whose only permissions are customer-managed policies:
 *   `cloudformation:SetStackPolicy` and `cloudformation:DescribeStacks` on this stack's ARN, its own logs and dead
 *   letters, and X-Ray traces in a policy of their own (the one statement on resource `*`). Pass `vpc` to run it
 *   inside a VPC (it needs a route to the CloudFormation API and to Amazon S3 for the response).
 *
 * @example
 * import { App, Stack } from 'aws-cdk-lib';
 * import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
 * import * as logs from 'aws-cdk-lib/aws-logs';
 * import { StackProtection } from 'cdk-secure-serverless';
 *
 * const app = new App();
 * const stack = new Stack(app, 'Data');
 * new dynamodb.TableV2(stack, 'Table', {
 *   partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
 * });
 *
 * // Termination protection, RETAIN on the table (and on anything stateful added later), and a stack policy
 * // denying Update:Replace and Update:Delete on it.
 * StackProtection.protect(stack, {
 *   logRetention: logs.RetentionDays.ONE_YEAR,
 *   additionalResourceTypes: ['AWS::Cognito::UserPool'],
 * });
 */
export class StackProtection extends Construct {
  /**
   * Protects the stack of `scope` (convenience for `new StackProtection(Stack.of(scope), 'StackProtection', props)`).
   */
  public static protect(scope: IConstruct, props: StackProtectionProps = {}): StackProtection {
    return new StackProtection(Stack.of(scope), 'StackProtection', props);
  }

  /** The protected stack. */
  public readonly stack: Stack;
  /** CloudFormation resource types treated as stateful. */
  public readonly protectedResourceTypes: string[];
  /** The function that sets the stack policy; undefined when `stackPolicy` is false. */
  public readonly stackPolicyFunction?: lambda.IFunction;
  /** The custom resource that lifts the stack policy when it is removed; undefined when `stackPolicy` is false. */
  public readonly stackPolicyResource?: CustomResource;
  /** The EventBridge rule that sets the stack policy after each deployment; undefined when `stackPolicy` is false. */
  public readonly stackPolicyRule?: events.Rule;
  /** Key of the stack-policy function's log group and dead-letter queue; undefined when `stackPolicy` is false. */
  public readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: StackProtectionProps = {}) {
    super(scope, id);
    applyTags(this, props.tags);
    this.stack = Stack.of(this);
    this.assertOnlyOneInStack();
    this.protectedResourceTypes = [...DEFAULT_STATEFUL_RESOURCE_TYPES, ...validatedAdditionalTypes(props.additionalResourceTypes, failIn(this, 'StackProtection'))];
    const resolved = withDefaults(props, STACK_PROTECTION_DEFAULTS);

    if (resolved.terminationProtection) {
      this.stack.terminationProtection = true;
    }
    if (resolved.retainStatefulResources) {
      Aspects.of(this.stack).add(new RetainStatefulResources(this.stack, this.protectedResourceTypes), { priority: AspectPriority.MUTATING });
    }
    if (resolved.stackPolicy) {
      this.encryptionKey = props.encryptionKey ?? this.createLogKey();
      const hardened = this.createStackPolicyFunction(resolved, this.encryptionKey);
      const fn = hardened.function;
      this.stackPolicyFunction = fn;
      this.stackPolicyRule = this.applyPolicyAfterEachDeployment(hardened, this.encryptionKey);
      // Its Delete (protection removed from the app) lifts the policy; its properties never change.
      this.stackPolicyResource = new CustomResource(this, 'StackPolicy', {
        serviceToken: fn.functionArn,
        resourceType: 'Custom::StackPolicy',
        serviceTimeout: Duration.minutes(5),
        properties: { StackId: Aws.STACK_ID },
      });
    }
  }

  /**
   * Logical ids of the stack's stateful resources, sorted; complete once the construct tree is (at synthesis). The
   * protection's own resources are left out, so that removing the protection from the app is never denied.
   */
  public protectedLogicalIds(): string[] {
    return statefulResourcesOf(this.stack, this.protectedResourceTypes)
      .filter((resource) => !resource.node.path.startsWith(`${this.node.path}/`))
      .map((resource) => this.stack.resolve(resource.logicalId) as string)
      .sort();
  }

  /**
   * Sets the policy once the stack is stable after every deployment: CloudFormation sends a Stack Status Change event
   * to EventBridge (delivery type durable) on CREATE_COMPLETE and UPDATE_COMPLETE
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/event-detail-stack-status-change.html).
   */
  private applyPolicyAfterEachDeployment(hardened: HardenedFunction, key: kms.IKey): events.Rule {
    const rule = new events.Rule(this, 'AfterDeployment', {
      description: `Sets the stack policy of ${this.stack.stackName} after each deployment`,
      eventPattern: {
        source: ['aws.cloudformation'],
        detailType: ['CloudFormation Stack Status Change'],
        detail: {
          'stack-id': [Aws.STACK_ID],
          'status-details': { status: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] },
        },
      },
    });
    // An event EventBridge cannot deliver (e.g. the function throttled for 24 hours) lands in the function's own
    // dead-letter queue, whose key must let EventBridge make data keys for queues of this account.
    allowEventBridgeToEncryptDeadLetters(key);
    // Lambda's own retries of the asynchronous invocation end in the same queue.
    hardened.function.configureAsyncInvoke({ retryAttempts: 2, onFailure: destinationWithoutGrant(hardened.deadLetterQueue) });
    rule.addTarget(new targets.LambdaFunction(hardened.function, {
      deadLetterQueue: hardened.deadLetterQueue,
      event: events.RuleTargetInput.fromObject({
        StackId: Aws.STACK_ID,
        ProtectedLogicalResourceIds: Lazy.list({ produce: () => this.protectedLogicalIds() }),
      }),
    }));
    return rule;
  }

  private assertOnlyOneInStack(): void {
    const others = this.stack.node.findAll().filter((c) => c instanceof StackProtection && c !== this);
    if (others.length > 0) {
      throw validationError(this, `StackProtection: the stack ${this.stack.node.path} is already protected by ${others[0].node.path}; keep only one StackProtection per stack: create yours before any ServerlessService (which then shares it), or give the services protection: false.`);
    }
  }

  private createLogKey(): kms.Key {
    const key = createRotatedKey(this, 'Key',
      `Encrypts the logs and dead letters of the stack-policy function of ${this.stack.stackName}`, KEEP_DATA);
    allowCloudWatchLogs(key);
    return key;
  }

  private createStackPolicyFunction(props: StackProtectionProps & { readonly logRetention: logs.RetentionDays }, key: kms.IKey): HardenedFunction {
    const hardened = new HardenedFunction(this, 'StackPolicyHandler', {
      description: `Sets the CloudFormation stack policy of ${this.stack.stackName}`,
      code: bundledHandlerCode('stack-policy'),
      timeout: Duration.minutes(1),
      encryptionKey: key,
      logRetention: props.logRetention,
      statements: [
        new iam.PolicyStatement({
          sid: 'SetPolicyOfThisStack',
          actions: ['cloudformation:SetStackPolicy', 'cloudformation:DescribeStacks'],
          resources: [Aws.STACK_ID],
        }),
      ],
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
    });
    return hardened;
  }
}

/** Sets RETAIN_ON_UPDATE_OR_DELETE (no orphans after a failed first create) on the stateful resources of one stack (not of nested stacks, which need their own protection). */
class RetainStatefulResources implements IAspect {
  private readonly types: ReadonlySet<string>;

  constructor(private readonly stack: Stack, types: string[]) {
    this.types = new Set(types);
  }

  public visit(node: IConstruct): void {
    if (CfnResource.isCfnResource(node) && this.types.has(node.cfnResourceType) && Stack.of(node) === this.stack) {
      node.applyRemovalPolicy(KEEP_DATA);
    }
  }
}

/**
 * EventBridge writes undeliverable events into an SSE-KMS queue itself
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html): limited, by SQS's encryption context
 * (the queue ARN), to queues of this account and region.
 */
function allowEventBridgeToEncryptDeadLetters(key: kms.IKey): void {
  allowServiceToEncryptDeadLetters(key, 'AllowEventBridgeToWriteUndeliveredEventsToDeadLetterQueues', 'events.amazonaws.com', {
    ArnLike: { 'kms:EncryptionContext:aws:sqs:arn': Stack.of(key).formatArn({ service: 'sqs', resource: '*' }) },
  });
}

function statefulResourcesOf(stack: Stack, types: string[]): CfnResource[] {
  const wanted = new Set(types);
  return stack.node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && wanted.has(c.cfnResourceType) && Stack.of(c) === stack);
}

function validatedAdditionalTypes(types: string[] | undefined, fail: Fail): string[] {
  for (const type of types ?? []) {
    if (!RESOURCE_TYPE_PATTERN.test(type)) {
      fail(`additionalResourceTypes entry "${type}" is not a CloudFormation resource type; use the form AWS::Service::Resource, e.g. AWS::Cognito::UserPool.`);
    }
  }
  return types ?? [];
}

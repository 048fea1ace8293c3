import { Duration, Size } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DeploymentStage } from './deployment-stage';
import { ApiCorsOptions, ApiCustomDomain, ApiAuthorization } from '../rest-api';
import { TableCapacity } from '../table';

/** Properties of a `ServerlessService`. */
export interface ServerlessServiceProps {
  /**
   * Name of the service: lower case letters, digits and hyphens, starting with a letter, at most 30 characters.
   * Used in resource names, tags, the dashboard and metric namespace.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   */
  readonly serviceName: string;
  /**
   * Environment preset carrying every environment-specific parameter.
   * @default - `DeploymentStage.fromContext(this)`: `-c stage=...`, else DEV
   */
  readonly stage?: DeploymentStage;
  /**
   * JSON schema (draft 4, the subset API Gateway models support) that the `data` object of every item must satisfy.
   * Enforced by the API's request models and again inside the handler.
   * @default - any JSON object
   */
  readonly itemSchema?: apigw.JsonSchema;
  /**
   * A custom domain for the API.
   * @default - only the default execute-api endpoint
   */
  readonly customDomain?: ApiCustomDomain;
  /**
   * CORS for browser clients.
   * @default - the stage's `api.cors`
   */
  readonly cors?: ApiCorsOptions;
  /**
   * Default authorization of the items routes.
   * @default ApiAuthorization.iam()
   */
  readonly authorization?: ApiAuthorization;
  /**
   * Tags added to every taggable resource, next to `stage`, `service` and `managed-by`.
   * @default - only the standard tags
   */
  readonly tags?: { [key: string]: string };
  /**
   * Email address subscribed to the alarm topic (the subscription must be confirmed).
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * An existing SNS topic for alarms; when given no topic is created.
   * @default - an SNS topic encrypted with the service key
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * VPC for the service's Lambda functions.
   * @default - no VPC: the functions reach only AWS APIs, over TLS with signed requests
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc` for the functions.
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Whether to protect the stack (`StackProtection`: termination protection, RETAIN and a stack policy). A stack has
   * one `StackProtection`, covering every stateful resource of the stack: services of one stack share it, and a
   * `StackProtection` the app created before the service is used as is.
   * @default - the stage's `stackProtection` (on for STAGING and PROD)
   */
  readonly protection?: boolean;
  /**
   * Code of the items handler, to replace the bundled one; it receives the same environment and the same table
   * actions (GetItem, PutItem, UpdateItem, DeleteItem, Scan): grant more with `table.grants.actions(handlerFunction, ...)`.
   * @default - the bundled items handler
   */
  readonly code?: lambda.Code;
  /**
   * Handler of `code`, as `file.function`.
   * @default 'index.handler'
   */
  readonly handler?: string;
  /**
   * Extra environment variables for the handler.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
  /**
   * Global secondary indexes of the items table. Only with `code`: the bundled handler keeps an item's fields in its
   * `data` map, and DynamoDB indexes top-level attributes only.
   * @default - none
   */
  readonly globalSecondaryIndexes?: dynamodb.GlobalSecondaryIndexPropsV2[];
  /**
   * Regions the items table is replicated to. Each needs a key in `replicaKeyArns`.
   * @default - none
   */
  readonly replicaRegions?: string[];
  /**
   * ARN of a customer-managed KMS key in each region of `replicaRegions`, which encrypts that replica. The service key is
   * regional and DynamoDB encrypts a replica only with a key of the replica's region, so create one there (e.g. in a
   * stack of that region) and pass its ARN.
   * A token (e.g. a CfnParameter) is passed to CloudFormation unchecked.
   * @default - none (required with `replicaRegions`)
   */
  readonly replicaKeyArns?: { [region: string]: string };
  /**
   * Capacity of the items table.
   * @default - the stage's `table.capacity`
   */
  readonly tableCapacity?: TableCapacity;
  /**
   * How long a reader may cache the signing key of the service secret before reading it again (picks up rotations).
   * @default Duration.minutes(5)
   */
  readonly secretCacheTtl?: Duration;
  /**
   * How long a retried `POST /items` or `PUT /items/{id}` with the same `Idempotency-Key` gets the first response
   * instead of writing again. Records live in the items table and expire through its TTL attribute `expiresAt`.
   * @default Duration.hours(1)
   */
  readonly idempotencyWindow?: Duration;
  /**
   * Longest request body: enforced by the web ACL (when the stage has one) and the handler, both answering `413`
   * `PayloadTooLarge` with the API's error body. At most 64 KiB when the service creates a web ACL.
   * @default Size.kibibytes(64)
   */
  readonly maxRequestBodySize?: Size;
  /**
   * Whether the API stage sets the region's API Gateway CloudWatch role (`AWS::ApiGateway::Account`), needed once per
   * account and region before stages with logging deploy; the role is kept when the stack is deleted. Set false when
   * another stack of the account and region owns the setting.
   * @default true (so the first deploy into a new account or region works)
   */
  readonly accountCloudWatchRole?: boolean;
  /**
   * ARN of an existing regional WAFv2 web ACL to associate instead of creating one.
   * @default - a web ACL is created when the stage's `api.createWebAcl` is true
   */
  readonly webAclArn?: string;
  /**
   * The path part of the items routes, e.g. `tickets` for `/tickets` and `/tickets/{id}`; one API Gateway path
   * part (letters, digits and `. _ ~ -`), given to the handler as `ITEMS_PATH`.
   * @default 'items'
   */
  readonly itemsPath?: string;
}

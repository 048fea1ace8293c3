import { Arn, ArnFormat, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { createEncryptedLogGroup } from './encrypted-log-group';

/** The AWS managed rule groups every created web ACL evaluates, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
];

/** Options of the regional web ACL created in front of a REST API stage. */
export interface RegionalWebAclOptions {
  /** Requests per 5-minute window one IP may send before it is blocked. */
  readonly rateLimit: number;
  /** Key encrypting the WAF log group. */
  readonly logEncryptionKey: kms.IKey;
  /** Retention of the WAF log group. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the WAF log group. */
  readonly logRemovalPolicy: RemovalPolicy;
}

/** A regional WAFv2 web ACL with its logging, ready to be associated with a resource. */
export class RegionalWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The KMS-encrypted log group WAF writes its logs to (its name must start with `aws-waf-logs-`). */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, options: RegionalWebAclOptions) {
    super(scope, id);
    const metricPrefix = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${metricPrefix}-${metricName}`.slice(0, 128),
    });

    const managedRules: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, priority) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    }));
    const rateRule: wafv2.CfnWebACL.RuleProperty = {
      name: 'RateLimitPerIp',
      priority: managedRules.length,
      action: { block: {} },
      statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: options.rateLimit } },
      visibilityConfig: visibility('RateLimitPerIp'),
    };

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: 'Protects a REST API with AWS managed rule groups and a per-IP rate limit.',
      rules: [...managedRules, rateRule],
      visibilityConfig: visibility('WebAcl'),
    });

    this.logGroup = createEncryptedLogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      encryptionKey: options.logEncryptionKey,
      retention: options.logRetention,
      removalPolicy: options.logRemovalPolicy,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF expects the log group ARN without the trailing `:*` that LogGroup.logGroupArn carries.
      logDestinationConfigs: [Arn.format({
        service: 'logs',
        resource: 'log-group',
        resourceName: this.logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }, Stack.of(this))],
      // Signed requests and tokens must not end up in logs.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
    });
  }
}

/** Requests per 5 minutes one IP may send to a created web ACL without `webAclRateLimit`. */
const DEFAULT_WEB_ACL_RATE_LIMIT = 2000;

/** The web ACL props of `ValidatedRestApiProps`, with the log settings of the API. */
export interface StageWebAclOptions extends Omit<RegionalWebAclOptions, 'rateLimit'> {
  readonly createWebAcl?: boolean;
  readonly webAclArn?: string;
  readonly webAclRateLimit?: number;
}

/** The web ACL protecting a stage: the created one, if any, and the ARN of the associated one. */
export interface StageWebAcl {
  readonly webAcl?: wafv2.CfnWebACL;
  readonly webAclArn?: string;
}

/**
 * The web ACL of an API stage: a created `RegionalWebAcl` (unless `webAclArn` is given without `createWebAcl`) or the
 * given one, associated with the stage.
 */
export function configureStageWebAcl(scope: Construct, stage: apigw.Stage, options: StageWebAclOptions): StageWebAcl {
  let webAcl: wafv2.CfnWebACL | undefined;
  let webAclArn = options.webAclArn;
  if (options.createWebAcl ?? options.webAclArn === undefined) {
    webAcl = new RegionalWebAcl(scope, 'WebAcl', {
      rateLimit: options.webAclRateLimit ?? DEFAULT_WEB_ACL_RATE_LIMIT,
      logEncryptionKey: options.logEncryptionKey,
      logRetention: options.logRetention,
      logRemovalPolicy: options.logRemovalPolicy,
    }).webAcl;
    webAclArn = webAcl.attrArn;
  }
  if (webAclArn) {
    new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', {
      resourceArn: stage.stageArn,
      webAclArn,
    });
  }
  return { webAcl, webAclArn };
}

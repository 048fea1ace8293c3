import { Arn, ArnFormat, Names, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GATEWAY_ERRORS } from '../contract';
import { createEncryptedLogGroup, namePerStackCreation } from '../core';

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
  /** Longest request body in bytes; a longer one is blocked with 413 and the API's error body. At most 64 KiB. */
  readonly maxBodyBytes: number;
}

/** The most WAF inspects of an API Gateway request body, and the steps it can be set to. */
export const MAX_INSPECTED_BODY_BYTES = 64 * 1024;
// CloudWatch Logs log group names: 1 to 512 characters.
const LOG_GROUP_NAME_MAX_LENGTH = 512;
const INSPECTION_LIMITS_KIB = [16, 32, 48, 64];

/** The response body key of the size rule's custom response. */
const PAYLOAD_TOO_LARGE_BODY = 'payload-too-large';

/**
 * The error contract of the API for a body over the limit. WAF answers before API Gateway has a request id, and
 * custom response bodies are static, so `requestId` is empty.
 */
function payloadTooLargeBody(maxBodyBytes: number): string {
  const code = GATEWAY_ERRORS.REQUEST_TOO_LARGE.code;
  return JSON.stringify({ error: { code, message: `The request body must not exceed ${maxBodyBytes} bytes.`, requestId: '', details: [] } });
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

    // First, so an oversized body gets the API's 413 whatever else it contains. Bodies longer than what WAF inspects
    // count as over (oversize MATCH), and the inspection limit is raised to cover the whole allowed body.
    const bodySizeRule: wafv2.CfnWebACL.RuleProperty = {
      name: 'BodySizeLimit',
      priority: 0,
      action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: PAYLOAD_TOO_LARGE_BODY } } },
      statement: {
        sizeConstraintStatement: {
          fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
          comparisonOperator: 'GT',
          size: options.maxBodyBytes,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
      visibilityConfig: visibility('BodySizeLimit'),
    };
    const managedRules: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, index) => ({
      name,
      priority: index + 1,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          // Its fixed 8 KB body limit would answer a bare 403 below the API's limit; BodySizeLimit enforces that one.
          ruleActionOverrides: name === 'AWSManagedRulesCommonRuleSet' ? [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] : undefined,
        },
      },
      visibilityConfig: visibility(name),
    }));
    const rateRule: wafv2.CfnWebACL.RuleProperty = {
      name: 'RateLimitPerIp',
      priority: managedRules.length + 1,
      action: { block: {} },
      statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: options.rateLimit } },
      visibilityConfig: visibility('RateLimitPerIp'),
    };

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: 'Protects a REST API with a body size limit, AWS managed rule groups and a per-IP rate limit.',
      rules: [bodySizeRule, ...managedRules, rateRule],
      customResponseBodies: {
        [PAYLOAD_TOO_LARGE_BODY]: { contentType: 'APPLICATION_JSON', content: payloadTooLargeBody(options.maxBodyBytes) },
      },
      associationConfig: {
        requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: `KB_${INSPECTION_LIMITS_KIB.find((kib) => kib * 1024 >= options.maxBodyBytes)}` } },
      },
      visibilityConfig: visibility('WebAcl'),
    });

    this.logGroup = createEncryptedLogGroup(this, 'Logs', {
      // WAF: "Your log group name must start with aws-waf-logs-" (waf/latest/developerguide/logging-cw-logs.html).
      logGroupName: namePerStackCreation(this, 'aws-waf-logs-', LOG_GROUP_NAME_MAX_LENGTH),
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

/** The web ACL props of `ValidatedRestApiProps`, resolved, with the log settings of the API. */
export interface StageWebAclOptions extends Omit<RegionalWebAclOptions, 'rateLimit' | 'maxBodyBytes'> {
  readonly createWebAcl: boolean;
  readonly webAclArn?: string;
  readonly webAclRateLimit: number;
  readonly maxRequestBodySize: Size;
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
  if (options.createWebAcl) {
    webAcl = new RegionalWebAcl(scope, 'WebAcl', {
      rateLimit: options.webAclRateLimit,
      maxBodyBytes: options.maxRequestBodySize.toBytes(),
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

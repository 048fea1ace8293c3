import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { buildExampleApp } from '../../examples/service-app';
import { EncryptedFunction, SecureTable } from '../../src';
import { bundledHandlerCode } from '../../src/core/bundled-code';
import { buildScannedApp } from '../compliance/scanned-stacks';

const ENV = { account: '111111111111', region: 'eu-west-1' };

/** The example app's prod stack (`orders-prod`), where the security review found the gaps. */
function prodTemplate(): Template {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  return Template.fromStack(buildExampleApp(app, { env: ENV }).prod);
}

const asList = <T>(value: T | T[]): T[] => [value].flat() as T[];

/** Every statement of every identity policy (managed or inline) of the template. */
function identityStatements(template: Template): any[] {
  return ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy'].flatMap((type) =>
    Object.values(template.findResources(type)).flatMap((policy) => policy.Properties.PolicyDocument.Statement));
}

function keyPolicies(template: Template): any[][] {
  return Object.values(template.findResources('AWS::KMS::Key')).map((key) => key.Properties.KeyPolicy.Statement);
}

describe('orders-prod least privilege', () => {
  const template = prodTemplate();

  test('Secrets Manager may invoke the rotation function only for the service secret of this account', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'secretsmanager.amazonaws.com' } }));
    expect(permissions).toHaveLength(1);
    const [secretId] = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    expect(permissions[0].Properties).toMatchObject({ SourceAccount: ENV.account, SourceArn: { Ref: secretId } });
  });

  test('every key policy denies kms:CreateGrant unless an AWS service creates the grant (CT.KMS.PR.3)', () => {
    const policies = keyPolicies(template);
    expect(policies.length).toBeGreaterThan(0);
    for (const statements of policies) {
      expect(statements).toContainEqual({
        Sid: expect.any(String),
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      });
    }
  });

  test('no key policy names a role of the stack: roles get the key through their own policies', () => {
    const roleIds = Object.keys(template.findResources('AWS::IAM::Role'));
    for (const statements of keyPolicies(template)) {
      const principals = JSON.stringify(statements.map((s) => s.Principal));
      for (const roleId of roleIds) expect(principals).not.toContain(`"${roleId}"`);
    }
  });

  test('every KMS statement of an identity policy is limited to the service that uses the key (kms:ViaService)', () => {
    const kmsStatements = identityStatements(template).filter((s) => asList<string>(s.Action).some((a) => a.startsWith('kms:')));
    expect(kmsStatements.length).toBeGreaterThan(0);
    const unscoped = kmsStatements.filter((s) => !s.Condition?.StringEquals?.['kms:ViaService']);
    expect(unscoped).toEqual([]);
  });

  test('no identity policy grants a KMS or DynamoDB wildcard action', () => {
    const actions = identityStatements(template).flatMap((s) => asList<string>(s.Action));
    expect(actions.filter((a) => /^(kms|dynamodb):.*\*/.test(a))).toEqual([]);
  });
});

describe('every scanned stack, and a table with backups', () => {
  const app = buildScannedApp();
  const backupStack = new Stack(app, 'table-with-backup', { env: ENV });
  new SecureTable(backupStack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, backup: {} });
  const stacks = app.node.children.filter(Stack.isStack);

  /**
   * The one exception: AWS Backup calls kms:DescribeKey itself and creates grants for AWS resources, which is how
   * AWSBackupServiceRolePolicyForBackup allows them (no kms:ViaService); test/table/secure-table.test.ts holds those
   * statements to AWS's policy, and test/compliance/service-paths.emulator.test.ts evaluates them.
   */
  const isBackupRoleKeyStatement = (s: any) => (s.Action === 'kms:DescribeKey' && s.Condition === undefined)
    || (s.Action === 'kms:CreateGrant' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'kms:GrantIsForAWSResource': 'true' } }));

  test.each(stacks.map((stack) => [stack.stackName, stack] as const))('%s: every KMS statement of an identity policy has kms:ViaService', (_name, stack) => {
    const kmsStatements = identityStatements(Template.fromStack(stack)).filter((s) => asList<string>(s.Action).some((a) => a.startsWith('kms:')));
    expect(kmsStatements.filter((s) => !s.Condition?.StringEquals?.['kms:ViaService'] && !isBackupRoleKeyStatement(s))).toEqual([]);
  });

  test('only the backup role has the two statements without kms:ViaService', () => {
    const roleStatements = (stack: Stack) => identityStatements(Template.fromStack(stack)).filter(isBackupRoleKeyStatement);
    expect(roleStatements(backupStack)).toHaveLength(2);
    for (const stack of stacks.filter((s) => s !== backupStack)) expect(roleStatements(stack)).toEqual([]);
  });
});

describe('EncryptedFunction policy size', () => {
  /** IAM's limit on a managed policy document, counted without whitespace (IAM quotas documentation). */
  const MANAGED_POLICY_LIMIT = 6_144;

  /**
   * The document as IAM would store it, every intrinsic replaced by a plausible value: pseudo parameters by this
   * stack's, and references to resources by an ARN of the usual shape for a CloudFormation-named resource.
   */
  function deployedSize(document: unknown): number {
    const resolve = (node: any): any => {
      if (Array.isArray(node)) return node.map(resolve);
      if (node === null || typeof node !== 'object') return node;
      if ('Ref' in node) {
        return ({ 'AWS::Partition': 'aws', 'AWS::Region': ENV.region, 'AWS::AccountId': ENV.account, 'AWS::URLSuffix': 'amazonaws.com' } as Record<string, string>)[node.Ref]
          ?? `arn:aws:sqs:${ENV.region}:${ENV.account}:${node.Ref}-A1B2C3D4E5F6`;
      }
      if ('Fn::GetAtt' in node) return `arn:aws:sqs:${ENV.region}:${ENV.account}:${node['Fn::GetAtt'][0]}-A1B2C3D4E5F6`;
      if ('Fn::Join' in node) return resolve(node['Fn::Join'][1]).join(node['Fn::Join'][0]);
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
    };
    return JSON.stringify(resolve(document)).replace(/\s/g, '').length;
  }

  test('100 grants are spread over policies that each stay under IAM\'s 6,144-character limit', () => {
    const app = new App();
    const stack = new Stack(app, 'ManyGrants', { env: ENV });
    const fn = new EncryptedFunction(stack, 'Fn', { code: bundledHandlerCode('items'), handler: 'index.handler' });
    for (let i = 0; i < 100; i++) {
      new sqs.Queue(stack, `Queue${i}`, { enforceSSL: true }).grantSendMessages(fn);
    }
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(fn.role.node.defaultChild as any);
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));
    const sizes = policies.map((policy) => deployedSize(policy.Properties.PolicyDocument));
    // All grants arrived: one statement per queue.
    const granted = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).filter((s) => asList<string>(s.Action).includes('sqs:GetQueueUrl'));
    expect(granted).toHaveLength(100);
    expect(sizes.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThan(MANAGED_POLICY_LIMIT);
    // And the role stays within IAM's default quota of 10 managed policies attached to a role.
    const attached = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`));
    expect(attached.length).toBeLessThanOrEqual(10);
    // The function still waits for every one of them.
    const [fnResource] = Object.values(template.findResources('AWS::Lambda::Function'));
    const policyIds = Object.keys(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(fnResource.DependsOn).toEqual(expect.arrayContaining(policyIds));
  });
});

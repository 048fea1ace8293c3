import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../examples/service-app';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html: "RetainExceptOnCreate"
// keeps a resource on stack deletion and removal but deletes it when the stack operation that created it rolls back;
// UpdateReplacePolicy has no such value and keeps the old physical resource with "Retain".
const KEPT = { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' };
const DELETED = { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' };
const DATA_TYPES = [
  'AWS::DynamoDB::GlobalTable', 'AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::SecretsManager::Secret', 'AWS::SQS::Queue',
  'AWS::Logs::LogGroup', 'AWS::Backup::BackupVault',
];
// The property that names each of them (from the types' CloudFormation resource references).
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Backup::BackupVault': 'BackupVaultName',
};

function exampleTemplates() {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stacks = buildExampleApp(app, { env: { account: '111111111111', region: 'eu-west-1' } });
  return {
    dev: Template.fromStack(stacks.dev).toJSON(),
    staging: Template.fromStack(stacks.staging).toJSON(),
    prod: Template.fromStack(stacks.prod).toJSON(),
  };
}

/** The data-holding resources of a template: logical id, type, policies and physical name (if any). */
function dataResources(template: any) {
  return Object.entries<any>(template.Resources)
    .filter(([, r]) => DATA_TYPES.includes(r.Type))
    .map(([id, r]) => ({
      id,
      type: r.Type,
      policies: { DeletionPolicy: r.DeletionPolicy, UpdateReplacePolicy: r.UpdateReplacePolicy },
      name: r.Properties?.[NAME_PROPERTIES[r.Type]],
    }));
}

/** A name is fixed when it references nothing generated at deployment: neither the stack id nor a resource of the stack. */
function isFixedName(name: unknown, template: any): boolean {
  if (name === undefined) return false;
  const text = JSON.stringify(name);
  if (text.includes('"AWS::StackId"')) return false;
  return !Object.keys(template.Resources).some((id) => text.includes(`"Ref":"${id}"`) || text.includes(`["${id}",`));
}

describe('example app: what is kept, and how', () => {
  const templates = exampleTemplates();

  test.each(['staging', 'prod'] as const)('%s keeps every data-holding resource with RetainExceptOnCreate', (stage) => {
    const resources = dataResources(templates[stage]);
    expect(resources.length).toBeGreaterThan(5);
    for (const resource of resources) expect([resource.id, resource.policies]).toEqual([resource.id, KEPT]);
  });

  test('dev deletes every data-holding resource', () => {
    for (const resource of dataResources(templates.dev)) expect([resource.id, resource.policies]).toEqual([resource.id, DELETED]);
  });

  test.each(['dev', 'staging', 'prod'] as const)('%s: no kept resource has a fixed physical name', (stage) => {
    const template = templates[stage];
    const kept = Object.entries<any>(template.Resources)
      .filter(([, r]) => ['Retain', 'RetainExceptOnCreate'].includes(r.DeletionPolicy))
      .filter(([, r]) => isFixedName(r.Properties?.[NAME_PROPERTIES[r.Type] ?? 'RoleName'], template))
      .map(([id]) => id);
    expect(kept).toEqual([]);
  });

  test('the WAF log group of prod keeps the name WAF requires and takes the rest from the stack id', () => {
    const wafLogs = dataResources(templates.prod).filter((r) => JSON.stringify(r.name ?? '').includes('aws-waf-logs-'));
    expect(wafLogs).toHaveLength(1);
    expect(isFixedName(wafLogs[0].name, templates.prod)).toBe(false);
  });

  test('the API Gateway account role and setting are kept in every stage (a deleted role breaks logging of the region)', () => {
    for (const template of Object.values(templates)) {
      const account = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Account');
      expect(account).toHaveLength(1);
      expect(account[0].DeletionPolicy).toBe('Retain');
      const roleId = account[0].Properties.CloudWatchRoleArn['Fn::GetAtt'][0];
      expect(template.Resources[roleId].DeletionPolicy).toBe('Retain');
      for (const policy of template.Resources[roleId].Properties.ManagedPolicyArns) {
        expect(template.Resources[policy.Ref].DeletionPolicy).toBe('Retain');
      }
    }
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../../examples/service-app';

/**
 * What a failed first create of a stage that keeps its data leaves, and the way out docs/deploying.md gives.
 *
 * - DeletionPolicy RetainExceptOnCreate: "If the stack operation that created the resource is rolled back,
 *   CloudFormation deletes the resource"
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
 * - A table with deletion protection on cannot be deleted by anyone until it is turned off
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection),
 *   and no CloudFormation document says a rollback turns it off; a rollback that cannot delete a resource ends in
 *   ROLLBACK_FAILED, from which the stack can only be deleted
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes).
 */

const DEPLOYING = readFileSync(join(__dirname, '..', '..', 'docs', 'deploying.md'), 'utf8');

function keptStages(): Stack[] {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const { staging, prod } = buildExampleApp(app, { env: { account: '123456789012', region: 'us-east-1' } });
  return [staging, prod];
}

test('STAGING and PROD create their tables protected and RetainExceptOnCreate: a failed first create cannot delete them', () => {
  for (const stack of keptStages()) {
    const tables = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable')) as any[];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(table.Properties.Replicas.map((r: any) => r.DeletionProtectionEnabled)).toEqual(table.Properties.Replicas.map(() => true));
      // A generated name: the table a recovery leaves behind never collides with the retry.
      expect(table.Properties.TableName).toBeUndefined();
    }
  }
});

/** The `aws ...` commands of the recovery paragraph of docs/deploying.md. */
function recoveryCommands(): string[] {
  const paragraph = DEPLOYING.split('\n- **').find((p) => p.startsWith('A failed first create of `STAGING`/`PROD`'));
  expect(paragraph).toBeDefined();
  return [...paragraph!.replace(/\n\s*/g, ' ').matchAll(/`(aws [^`]+)`/g)].map((m) => m[1]);
}

test('the recovery commands of docs/deploying.md are operations and parameters of the AWS CLI\'s own service models', () => {
  const commands = recoveryCommands();
  expect(commands.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual([
    'aws cloudformation delete-stack', 'aws cloudformation delete-stack', 'aws dynamodb update-table', 'aws dynamodb delete-table',
  ]);
  // botocore (the models the AWS CLI is built from) is the oracle for every operation and parameter named.
  const check = `
import json, sys, botocore.session, re
session = botocore.session.get_session()
out = []
for command in json.loads(sys.argv[1]):
    words = command.split()
    service, operation = words[1], ''.join(w.capitalize() for w in words[2].split('-'))
    members = session.get_service_model(service).operation_model(operation).input_shape.members
    for flag in [w for w in words if w.startswith('--')]:
        name = ''.join(w.capitalize() for w in re.sub('^--(no-)?', '', flag).split('-'))
        out.append([command.split()[2], flag, name in members])
print(json.dumps(out))`;
  const python = join(__dirname, '..', '..', '.venv', 'bin', 'python');
  const verdicts = JSON.parse(execFileSync(python, ['-c', check, JSON.stringify(commands)], { encoding: 'utf8' }));
  expect(verdicts).toEqual(verdicts.map(([operation, flag]: [string, string]) => [operation, flag, true]));
  expect(verdicts.map(([, flag]: [string, string]) => flag)).toEqual(expect.arrayContaining(['--no-deletion-protection-enabled', '--deletion-mode']));
});

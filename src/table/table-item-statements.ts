import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { closestTableAction, DYNAMODB_TABLE_ACTIONS } from './dynamodb-table-actions';
import { Fail, viaService } from '../core';

/** What item statements name: the table, its indexes and its key; `scope` is the `SecureTable`. */
export interface ItemStatementResources {
  readonly scope: Construct;
  readonly tableArn: string;
  readonly indexNames: string[];
  readonly encryptionKey: kms.IKey;
}

const ITEM_READ_ACTIONS = ['GetItem', 'Query', 'Scan', 'ConditionCheckItem'];
const ITEM_READ_WRITE_ACTIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'ConditionCheckItem'];
/** Actions that write item data, so need the key to encrypt; the other item actions only decrypt. */
const ITEM_WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'PartiQLInsert', 'PartiQLUpdate', 'PartiQLDelete'];
/** Actions that read item data, so need the key to decrypt. */
const ITEM_DATA_READ_ACTIONS = [...ITEM_READ_ACTIONS, 'BatchGetItem', 'PartiQLSelect'];
const EXACT_DYNAMODB_ACTION = /^dynamodb:([A-Za-z]+)$/;
/** API operations that IAM authorizes by the actions of their items, not by an action of their own. */
const TRANSACTION_OPERATIONS = ['TransactWriteItems', 'TransactGetItems'];

/** Item-level read/write on the table and its indexes, and the key actions that writing needs. */
export function itemReadWriteStatements(resources: ItemStatementResources): iam.PolicyStatement[] {
  return itemStatements(resources, ITEM_READ_WRITE_ACTIONS, ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
}

/** Item-level read on the table and its indexes, and kms:Decrypt. */
export function itemReadStatements(resources: ItemStatementResources): iam.PolicyStatement[] {
  return itemStatements(resources, ITEM_READ_ACTIONS, ['kms:Decrypt']);
}

/** Exactly the given DynamoDB actions, plus the key actions they need: kms:Decrypt for reads, Encrypt and GenerateDataKey for writes. */
export function exactActionStatements(resources: ItemStatementResources, actions: string[], fail: Fail): iam.PolicyStatement[] {
  if (actions.length === 0) {
    fail('needs at least one action, e.g. grants.actions(fn, \'dynamodb:GetItem\').');
  }
  const names = actions.map((action) => {
    const match = EXACT_DYNAMODB_ACTION.exec(action);
    if (!match) {
      fail(`"${action}" is not an exact DynamoDB action; name one such as "dynamodb:GetItem" (no wildcards).`);
    }
    if (TRANSACTION_OPERATIONS.includes(match[1])) {
      fail(`"${action}" is no IAM action: a transaction needs the actions of its items; grant those (dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:ConditionCheckItem, dynamodb:GetItem).`);
    }
    if (!DYNAMODB_TABLE_ACTIONS.includes(match[1])) {
      fail(`"${action}" is not a DynamoDB action on a table or index (Service Authorization `
        + `Reference for DynamoDB), so the policy would grant nothing; did you mean "dynamodb:${closestTableAction(match[1])}"?`);
    }
    return match[1];
  });
  const writes = names.some((name) => ITEM_WRITE_ACTIONS.includes(name));
  const reads = writes || names.some((name) => ITEM_DATA_READ_ACTIONS.includes(name));
  const keyActions = writes ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : reads ? ['kms:Decrypt'] : [];
  return itemStatements(resources, [...new Set(names)], keyActions);
}

function itemStatements(resources: ItemStatementResources, tableActions: string[], keyActions: string[]): iam.PolicyStatement[] {
  const { tableArn, indexNames, encryptionKey } = resources;
  const statements = [
    new iam.PolicyStatement({
      actions: tableActions.map((action) => `dynamodb:${action}`),
      resources: [tableArn, ...indexNames.map((name) => `${tableArn}/index/${name}`)],
    }),
  ];
  if (keyActions.length > 0) {
    // Through DynamoDB only: the key may be shared (a service key), and the grantee has no business using it directly.
    statements.push(new iam.PolicyStatement({ actions: keyActions, resources: [encryptionKey.keyArn], conditions: viaService(resources.scope, 'dynamodb') }));
  }
  return statements;
}

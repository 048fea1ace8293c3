import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ItemStatementResources, exactActionStatements, itemReadStatements, itemReadWriteStatements } from './table-item-statements';
import { failIn, grantStatements } from '../core';

/** What `SecureTableGrants` grants on: a table, the key that encrypts it and its global secondary indexes. */
export interface SecureTableGrantsProps {
  /** The table. */
  readonly table: dynamodb.ITableV2;
  /** The customer-managed KMS key that encrypts the table. */
  readonly encryptionKey: kms.IKey;
  /**
   * The names of the table's global secondary indexes, which the grants cover too.
   * @default - no index
   */
  readonly indexNames?: string[];
}

/**
 * The permissions a `SecureTable` grants, after aws-cdk-lib's `TableGrants`, with exact actions: no
 * `kms:GenerateDataKey*` / `kms:ReEncrypt*` wildcards, and key actions through DynamoDB only (`kms:ViaService`).
 *
 * Each `x(grantee)` has an `xStatements()` that returns the same statements, for a customer-managed policy of your own
 * (HIPAA, NIST and PCI checks flag the inline policies grants create). CDK's own grants, with wildcard key actions,
 * remain on the table: `secureTable.dynamoTable.grants`.
 */
export class SecureTableGrants {
  private readonly resources: ItemStatementResources;
  private readonly table: dynamodb.ITableV2;

  constructor(props: SecureTableGrantsProps) {
    this.table = props.table;
    this.resources = {
      scope: props.table,
      tableArn: props.table.tableArn,
      indexNames: props.indexNames ?? [],
      encryptionKey: props.encryptionKey,
    };
  }

  /**
   * Exactly the given DynamoDB actions (e.g. `'dynamodb:GetItem', 'dynamodb:PutItem'`) on the table and its indexes,
   * plus the key actions they need: kms:Decrypt for reads, and kms:Encrypt and kms:GenerateDataKey too for writes.
   * Wildcards, transactions and names that are not DynamoDB actions on a table or index are rejected.
   */
  public actions(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return grantStatements(grantee, this.actionStatements(...actions));
  }

  /** The statements `actions` adds for the given actions. */
  public actionStatements(...actions: string[]): iam.PolicyStatement[] {
    return exactActionStatements(this.resources, actions, failIn(this.table, 'SecureTable grants.actions'));
  }

  /** Item read: GetItem, Query, Scan and ConditionCheckItem on the table and its indexes, plus kms:Decrypt. */
  public readData(grantee: iam.IGrantable): iam.Grant {
    return grantStatements(grantee, this.readDataStatements());
  }

  /** The statements `readData` adds. */
  public readDataStatements(): iam.PolicyStatement[] {
    return itemReadStatements(this.resources);
  }

  /**
   * Item read and write: GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan and ConditionCheckItem on the table and
   * its indexes, plus kms:Decrypt, kms:Encrypt and kms:GenerateDataKey.
   */
  public readWriteData(grantee: iam.IGrantable): iam.Grant {
    return grantStatements(grantee, this.readWriteDataStatements());
  }

  /** The statements `readWriteData` adds. */
  public readWriteDataStatements(): iam.PolicyStatement[] {
    return itemReadWriteStatements(this.resources);
  }

  /** Read access to the table's stream (needs `stream` or replicas), with kms:Decrypt: CDK's `grantStreamRead`. */
  public streamRead(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantStreamRead(grantee);
  }
}

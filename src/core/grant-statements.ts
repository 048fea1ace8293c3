import * as iam from 'aws-cdk-lib/aws-iam';

/** Grants the actions of each statement, with its conditions, to the principal, as one combined grant. */
export function grantStatements(grantee: iam.IGrantable, statements: iam.PolicyStatement[]): iam.Grant {
  return statements
    .map((statement) => iam.Grant.addToPrincipal({
      grantee,
      actions: statement.actions,
      resourceArns: statement.resources,
      conditions: statement.conditions,
    }))
    .reduce((all, grant) => all.combine(grant));
}

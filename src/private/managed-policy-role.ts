import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Props of {@link ManagedPolicyRole}. */
export interface ManagedPolicyRoleProps {
  /** The service that assumes the role. */
  readonly assumedBy: iam.IPrincipal;
  /** What the role is for. */
  readonly description: string;
}

/**
 * A role whose statements all live in one customer-managed policy attached to it, never in an inline
 * `AWS::IAM::Policy`: the HIPAA, NIST and PCI `IAMNoInlinePolicy` rules flag inline policies, and CDK
 * routes every `grant*` and every automatic statement (X-Ray, DLQ, ...) through `addToPrincipalPolicy`.
 *
 * The policy is a child of the role, so anything depending on the role also waits for its permissions.
 */
export class ManagedPolicyRole extends iam.Role {
  /** The customer-managed policy holding every statement of this role. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ManagedPolicyRoleProps) {
    super(scope, id, { assumedBy: props.assumedBy, description: props.description });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description: `Permissions of: ${props.description}`, roles: [this] });
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

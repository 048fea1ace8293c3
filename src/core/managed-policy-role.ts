import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, DependencyGroup } from 'constructs';

/** Props of {@link ManagedPolicyRole}. */
export interface ManagedPolicyRoleProps {
  /** The service that assumes the role. */
  readonly assumedBy: iam.IPrincipal;
  /** What the role is for. */
  readonly description: string;
}

/**
 * IAM refuses a managed policy document over 6,144 characters (whitespace not counted). The budget leaves room for
 * the document's envelope and for the error of the size estimate.
 */
const POLICY_DOCUMENT_BUDGET = 5_600;
/** Characters counted for a token whose value is only known at deployment (an ARN, a name). */
const TOKEN_SIZE_ESTIMATE = 150;
/** Characters counted for a pseudo parameter (partition, region, account id, URL suffix). */
const PSEUDO_PARAMETER_SIZE_ESTIMATE = 20;
const ENCODED_TOKEN = /\$\{Token\[([^\]]*)\]\}/g;

/** The statement's size in the policy document, counting each token as the longest value it plausibly takes. */
export function estimatedStatementSize(statement: iam.PolicyStatement): number {
  const json = JSON.stringify(statement.toStatementJson());
  let size = json.length;
  for (const [token, name] of json.matchAll(ENCODED_TOKEN)) {
    const estimate = name.startsWith('AWS.') ? PSEUDO_PARAMETER_SIZE_ESTIMATE : TOKEN_SIZE_ESTIMATE;
    size += estimate - token.length;
  }
  // The comma between statements.
  return size + 1;
}

/**
 * A role whose statements all live in customer-managed policies attached to it, never in an inline
 * `AWS::IAM::Policy`: the HIPAA, NIST and PCI `IAMNoInlinePolicy` rules flag inline policies, and CDK
 * routes every `grant*` and every automatic statement (X-Ray, DLQ, ...) through `addToPrincipalPolicy`.
 * A policy that would outgrow IAM's size limit is continued in a new one (`Policy2`, `Policy3`, ...), as CDK splits
 * the default policy of its own roles.
 *
 * The policies are children of the role, so anything depending on the role also waits for its permissions.
 */
export class ManagedPolicyRole extends iam.Role {
  /** The first customer-managed policy of this role. */
  public readonly policy: iam.ManagedPolicy;
  /** Every customer-managed policy holding this role's statements, in the order they were filled. */
  public readonly policies: iam.ManagedPolicy[];
  /**
   * Every policy of the role, including those added later: depend on it, not on the role, where a reference to the
   * role's ARN already orders the role itself (a redundant DependsOn is cfn-lint W3005).
   */
  public readonly permissions: DependencyGroup;

  private readonly roleDescription: string;
  private currentPolicySize = 0;

  constructor(scope: Construct, id: string, props: ManagedPolicyRoleProps) {
    super(scope, id, { assumedBy: props.assumedBy, description: props.description });
    this.roleDescription = props.description;
    this.policy = this.newPolicy('Policy');
    this.policies = [this.policy];
    this.permissions = new DependencyGroup(this.policy);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const size = estimatedStatementSize(statement);
    if (this.currentPolicySize > 0 && this.currentPolicySize + size > POLICY_DOCUMENT_BUDGET) {
      const next = this.newPolicy(`Policy${this.policies.length + 1}`);
      this.policies.push(next);
      this.permissions.add(next);
      this.currentPolicySize = 0;
    }
    const policy = this.policies[this.policies.length - 1];
    policy.addStatements(statement);
    this.currentPolicySize += size;
    return { statementAdded: true, policyDependable: policy };
  }

  private newPolicy(id: string): iam.ManagedPolicy {
    return new iam.ManagedPolicy(this, id, { description: `Permissions of: ${this.roleDescription}`, roles: [this] });
  }
}

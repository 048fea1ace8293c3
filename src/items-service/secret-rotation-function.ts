import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { bundledHandlerCode, HardenedFunction, viaService } from '../core';

/** Settings of the service secret's rotation function. */
export interface SecretRotationFunctionProps {
  /** The secret it rotates: a JSON object with a `tokenSigningKey` field. */
  readonly secret: secretsmanager.ISecret;
  /**
   * Customer-managed key of the secret, also encrypting the function's log group and dead-letter queue;
   * its policy must let CloudWatch Logs use it.
   */
  readonly encryptionKey: kms.IKey;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the log group and dead-letter queue. @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE */
  readonly removalPolicy?: RemovalPolicy;
  /** VPC to run the function in (it needs a route to Secrets Manager and KMS). @default - not in a VPC */
  readonly vpc?: ec2.IVpc;
  /** Subnets of `vpc`. @default - private subnets with egress */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/**
 * The rotation function of the service secret (bundled from `lambda-src/secret-rotation`), hardened like every helper
 * function, with exactly the permissions rotation needs. Attach it with {@link schedule}, not
 * `secret.addRotationSchedule`: that one grants `secretsmanager:GetRandomPassword` on `*` (the function draws the key
 * from node:crypto instead), writes `kms:GenerateDataKey*`/`kms:ReEncrypt*` for the role into the key policy, and lets
 * Secrets Manager invoke the function on behalf of any account and secret.
 */
export class SecretRotationFunction extends Construct {
  /** The rotation Lambda function. */
  public readonly function: lambda.Function;
  /** The hardened function with its role, policy, log group and dead-letter queue. */
  public readonly hardened: HardenedFunction;

  private readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: SecretRotationFunctionProps) {
    super(scope, id);
    const secretArn = props.secret.secretFullArn ?? `${props.secret.secretArn}-??????`;
    this.hardened = new HardenedFunction(this, 'Handler', {
      description: 'Rotates the signing key of the service secret',
      code: bundledHandlerCode('secret-rotation'),
      timeout: Duration.seconds(30),
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      statements: [
        new iam.PolicyStatement({
          sid: 'RotateTheServiceSecret',
          actions: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          resources: [secretArn],
        }),
        new iam.PolicyStatement({
          sid: 'UseTheSecretKeyThroughSecretsManager',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [props.encryptionKey.keyArn],
          conditions: viaService(this, 'secretsmanager'),
        }),
      ],
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
    });
    this.function = this.hardened.function;
    this.secret = props.secret;
  }

  /**
   * Rotates the secret every `automaticallyAfter` with this function. Secrets Manager may invoke the function only for
   * this secret of this account (the confused-deputy guard checkov CKV_AWS_364 and Control Tower CT.LAMBDA.PR.2 ask for).
   */
  public schedule(automaticallyAfter: Duration): secretsmanager.CfnRotationSchedule {
    const permission = new lambda.CfnPermission(this, 'InvokedBySecretsManager', {
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceAccount: Stack.of(this).account,
      sourceArn: this.secret.secretArn,
    });
    // At the path `addRotationSchedule` gives it (so the same logical id): a stack that used it updates the schedule in place.
    const holder = new Construct(this.secret as unknown as Construct, 'Rotation');
    const schedule = new secretsmanager.CfnRotationSchedule(holder, 'Resource', {
      secretId: this.secret.secretArn,
      rotationLambdaArn: this.function.functionArn,
      rotationRules: { scheduleExpression: `rate(${automaticallyAfter.toDays()} days)` },
    });
    // Secrets Manager invokes the function as soon as the schedule exists.
    // A construct dependency: CfnResource#addDependency is deprecated in newer aws-cdk-lib, its successor absent in the minimum.
    schedule.node.addDependency(permission);
    // As `addRotationSchedule` does: while rotation is on, the account root may not delete the secret.
    this.secret.denyAccountRootDelete();
    return schedule;
  }
}

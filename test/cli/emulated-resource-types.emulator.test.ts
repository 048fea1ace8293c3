import { createEmulatedResource } from '../../cli/emulated-resources';
import { MotoClient } from '../../cli/moto-client';
import { ResolutionContext } from '../../cli/template';
import { motoEndpoint } from '../harness/moto';

/**
 * The stateful resources local mode creates in moto from the template: each is created with the template's
 * properties, and its Ref and Fn::GetAtt resolve as CloudFormation's "Return values" say. What moto then holds is read
 * back with the service's own Describe / Get calls.
 */
const REGION = 'eu-west-3';
const client = () => new MotoClient(motoEndpoint(), REGION);
const context = (): ResolutionContext => ({ region: REGION, accountId: '123456789012', stackName: 'types', resources: new Map() });

describe('AWS::KMS::Key', () => {
  // Ref returns the key ID; Fn::GetAtt Arn and KeyId
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html#aws-resource-kms-key-return-values).
  test('is created with the template\'s description; Ref is the key id, Arn and KeyId its attributes', async () => {
    const key = await createEmulatedResource(client(), 'ServiceKey', { Type: 'AWS::KMS::Key', Properties: { Description: 'orders data key' } }, context());
    const { KeyMetadata } = await client().json('kms', 'TrentService.DescribeKey', '1.1', { KeyId: key.ref });
    expect(KeyMetadata.Description).toBe('orders data key');
    expect(key).toEqual({ ref: KeyMetadata.KeyId, attributes: { Arn: KeyMetadata.Arn, KeyId: KeyMetadata.KeyId } });
    expect(KeyMetadata.Arn).toBe(`arn:aws:kms:${REGION}:${KeyMetadata.AWSAccountId}:key/${key.ref}`);
  });
});

describe('AWS::SecretsManager::Secret', () => {
  const secretValue = (id: string) => client().json('secretsmanager', 'secretsmanager.GetSecretValue', '1.1', { SecretId: id });

  // Ref returns the secret's ARN; Fn::GetAtt Id too
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html#aws-resource-secretsmanager-secret-return-values).
  test('with a Name and a SecretString (resolved like any template value): that name and that value; Ref and Id are the ARN', async () => {
    const resolution = context();
    resolution.resources.set('Table', { ref: 'orders-table', attributes: {} });
    const secret = await createEmulatedResource(client(), 'Settings', {
      Type: 'AWS::SecretsManager::Secret',
      Properties: { Name: 'orders/settings', SecretString: { 'Fn::Join': ['', ['{"table":"', { Ref: 'Table' }, '"}']] } },
    }, resolution);
    const value = await secretValue(secret.ref);
    expect(value).toMatchObject({ ARN: secret.ref, Name: 'orders/settings', SecretString: '{"table":"orders-table"}' });
    expect(secret.attributes).toEqual({ Id: secret.ref });
  });

  test('GenerateSecretString: a password of PasswordLength under GenerateStringKey, added to SecretStringTemplate', async () => {
    const secret = await createEmulatedResource(client(), 'Credentials', {
      Type: 'AWS::SecretsManager::Secret',
      Properties: {
        GenerateSecretString: { SecretStringTemplate: '{"username":"orders"}', GenerateStringKey: 'password', PasswordLength: 40, ExcludePunctuation: true },
      },
    }, context());
    const value = JSON.parse((await secretValue(secret.ref)).SecretString);
    expect(value).toEqual({ username: 'orders', password: expect.stringMatching(/^[A-Za-z0-9]{40}$/) });
  });

  // "If you omit both GenerateSecretString and SecretString, you create an empty secret." (the SecretString property,
  // AWS::SecretsManager::Secret resource schema shipped in cfn-lint)
  test('neither SecretString nor GenerateSecretString: an empty secret, with no value', async () => {
    const secret = await createEmulatedResource(client(), 'Empty', { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'orders/empty' } }, context());
    const described = await client().json('secretsmanager', 'secretsmanager.DescribeSecret', '1.1', { SecretId: secret.ref });
    expect(described.Name).toBe('orders/empty');
    await expect(secretValue(secret.ref)).rejects.toThrow(/ResourceNotFoundException/);
  });

  // Without a Name, CloudFormation names the secret from the stack, the logical id and a random suffix ("Name type",
  // CloudFormation user guide); a secret name may hold only ASCII letters, digits and /_+=.@- (the Name property).
  test('without a Name: stack-logicalId-SUFFIX, of the characters a secret name allows', async () => {
    const secret = await createEmulatedResource(client(), 'Signing', { Type: 'AWS::SecretsManager::Secret', Properties: {} }, context());
    const { Name } = await client().json('secretsmanager', 'secretsmanager.DescribeSecret', '1.1', { SecretId: secret.ref });
    expect(Name).toMatch(/^types-Signing-[0-9A-F]{12}$/);
    const odd = { ...context(), stackName: 'types stack' };
    const other = await createEmulatedResource(client(), 'Signing', { Type: 'AWS::SecretsManager::Secret', Properties: {} }, odd);
    const described = await client().json('secretsmanager', 'secretsmanager.DescribeSecret', '1.1', { SecretId: other.ref });
    expect(described.Name).toMatch(/^types-stack-Signing-[0-9A-F]{12}$/);
  });
});

describe('AWS::Cognito::UserPool', () => {
  const describePool = (id: string) => client().json('cognito-idp', 'AWSCognitoIdentityProviderService.DescribeUserPool', '1.1', { UserPoolId: id });

  // Ref returns the user pool id; Fn::GetAtt Arn, ProviderName (cognito-idp.<region>.amazonaws.com/<id>) and UserPoolId
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpool.html#aws-resource-cognito-userpool-return-values).
  test('is created with the template\'s name, password policy and sign-in attributes; Ref and attributes as CloudFormation returns them', async () => {
    const pool = await createEmulatedResource(client(), 'Users', {
      Type: 'AWS::Cognito::UserPool',
      Properties: {
        UserPoolName: 'orders-users',
        UsernameAttributes: ['email'],
        Policies: {
          PasswordPolicy: { MinimumLength: 12, RequireSymbols: false, RequireNumbers: true, RequireLowercase: true, RequireUppercase: true },
        },
      },
    }, context());
    const { UserPool } = await describePool(pool.ref);
    expect(UserPool).toMatchObject({ Id: pool.ref, Name: 'orders-users', UsernameAttributes: ['email'] });
    expect(UserPool.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 12, RequireSymbols: false });
    expect(pool.attributes).toEqual({ Arn: UserPool.Arn, ProviderName: `cognito-idp.${REGION}.amazonaws.com/${pool.ref}`, UserPoolId: pool.ref });
  });

  test('without a UserPoolName: stack-logicalId-SUFFIX, and no sign-in attributes or policy of its own', async () => {
    const pool = await createEmulatedResource(client(), 'Members', { Type: 'AWS::Cognito::UserPool', Properties: {} }, context());
    const { UserPool } = await describePool(pool.ref);
    expect(UserPool.Name).toMatch(/^types-Members-[0-9A-F]{12}$/);
    expect(UserPool.UsernameAttributes ?? []).toEqual([]);
  });
});

describe('AWS::DynamoDB::Table with a stream', () => {
  // StreamSpecification.StreamViewType; Fn::GetAtt StreamArn is the stream's ARN
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html#aws-resource-dynamodb-table-return-values).
  test('has the stream the template specifies, and StreamArn is its ARN', async () => {
    const table = await createEmulatedResource(client(), 'Events', {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'types-events',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      },
    }, context());
    const { Table } = await client().json('dynamodb', 'DynamoDB_20120810.DescribeTable', '1.0', { TableName: 'types-events' });
    expect(Table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table.attributes.StreamArn).toBe(Table.LatestStreamArn);
    expect(table.attributes.StreamArn).toMatch(new RegExp(`^arn:aws:dynamodb:${REGION}:\\d{12}:table/types-events/stream/`));
  });
});

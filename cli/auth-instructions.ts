import { LocalCredentials, createSignInClient } from './local-auth';
import type { MachineClient } from './local-token-endpoint';
import { ApiMethod, RestApiDefinition } from './rest-api';

/** How local mode authorizes, for the startup output and the printed curl commands. */
export interface AuthorizationSetup {
  /** Undefined with --no-auth. */
  readonly credentials?: LocalCredentials;
  readonly region: string;
  readonly motoEndpoint: string;
  /** The sign-in app client local mode created, by user pool id. */
  readonly signInClients: Map<string, string>;
  /** The client-credentials app clients local mode created for scoped routes, and the URL of its token endpoint. */
  readonly machineClients?: MachineClient[];
  readonly tokenUrl?: string;
}

/** The user and password of the printed Cognito sign-in commands (they satisfy Cognito's default password policy). */
const EXAMPLE_USER = 'dev@example.com';
const EXAMPLE_PASSWORD = 'Local-Passw0rd!';

const poolIdOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The user pools Cognito-authorized methods accept tokens of. */
function cognitoPoolIds(api: RestApiDefinition): string[] {
  const methods = api.resources.flatMap((resource) => [...resource.methods.values()]);
  return [...new Set(methods.filter((m) => m.authorizationType === 'COGNITO_USER_POOLS').flatMap((m) => m.userPoolArns.map(poolIdOf)))];
}

/** Creates, in moto, the app client of each user pool that the sign-in commands use (except pools in `existing`). */
export async function createSignInClients(
  api: RestApiDefinition, motoEndpoint: string, region: string, existing: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, string>> {
  const clients = new Map<string, string>();
  for (const poolId of cognitoPoolIds(api).filter((id) => !existing.has(id))) {
    clients.set(poolId, await createSignInClient(motoEndpoint, region, poolId));
  }
  return clients;
}

/** The curl options that authenticate a request to the method, as printed after the URL. */
export function curlAuthentication(method: ApiMethod, setup: AuthorizationSetup): string {
  if (!setup.credentials) return '';
  if (method.authorizationType === 'AWS_IAM') {
    return ` --aws-sigv4 'aws:amz:${setup.region}:execute-api' --user '${setup.credentials.accessKeyId}:${setup.credentials.secretAccessKey}'`;
  }
  if (method.authorizationType === 'COGNITO_USER_POOLS') {
    return method.authorizationScopes.length > 0 ? ' -H "authorization: $ACCESS_TOKEN"' : ' -H "authorization: $ID_TOKEN"';
  }
  return '';
}

/** The AWS CLI commands that create a user in the emulated pool and put an ID token into $ID_TOKEN. */
function signInCommands(poolId: string, clientId: string, setup: AuthorizationSetup): string[] {
  const aws = `aws --endpoint-url ${setup.motoEndpoint} cognito-idp`;
  return [
    `  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=${setup.region}`,
    `  ${aws} admin-create-user --user-pool-id ${poolId} --username ${EXAMPLE_USER} --message-action SUPPRESS`,
    `  ${aws} admin-set-user-password --user-pool-id ${poolId} --username ${EXAMPLE_USER} --password '${EXAMPLE_PASSWORD}' --permanent`,
    `  ID_TOKEN=$(${aws} admin-initiate-auth --user-pool-id ${poolId} --client-id ${clientId} --auth-flow ADMIN_USER_PASSWORD_AUTH `
      + `--auth-parameters 'USERNAME=${EXAMPLE_USER},PASSWORD=${EXAMPLE_PASSWORD}' --query AuthenticationResult.IdToken --output text)`,
  ];
}

/** The startup lines that say which authorization mode is on, and how to authenticate. */
export function describeAuthorization(setup: AuthorizationSetup): string[] {
  if (!setup.credentials) {
    return ['Authorization is NOT enforced locally (--no-auth): IAM (SigV4) signatures and Cognito tokens are not verified.'];
  }
  const lines = [
    'Authorization is enforced as API Gateway does (turn it off with --no-auth):',
    `  IAM routes accept SigV4 signatures (service execute-api, region ${setup.region}) by these credentials:`,
    `  AWS_ACCESS_KEY_ID=${setup.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${setup.credentials.secretAccessKey}`,
  ];
  for (const [poolId, clientId] of setup.signInClients) {
    lines.push(`  Cognito routes accept ID tokens of the emulated user pool ${poolId}; to create a user and get one:`, ...signInCommands(poolId, clientId, setup));
  }
  for (const client of setup.machineClients ?? []) {
    lines.push(
      `  Cognito routes with scopes need an access token carrying one of them; app client ${client.clientId} of pool ${client.poolId} `
        + `(client-credentials flow, scopes ${client.scopes.join(' ')}) gets one from local mode's token endpoint:`,
      `  ACCESS_TOKEN=$(curl -s -u '${client.clientId}:${client.clientSecret}' -d 'grant_type=client_credentials&scope=${client.scopes.join('+')}' `
        + `${setup.tokenUrl} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    );
  }
  return lines;
}

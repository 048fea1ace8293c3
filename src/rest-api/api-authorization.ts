import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';

/**
 * How callers of a `ValidatedRestApi` route authenticate.
 *
 * IAM (SigV4) is the default; a Cognito user pool is the option for end-user tokens; `none()` opens a route
 * and must be asked for explicitly.
 */
export class ApiAuthorization {
  /** Callers sign requests with AWS credentials (SigV4) allowed `execute-api:Invoke` on the method. */
  public static iam(): ApiAuthorization {
    return new ApiAuthorization(apigw.AuthorizationType.IAM);
  }

  /**
   * Callers send an ID or access token of the given Cognito user pool in the `Authorization` header.
   *
   * @param userPool the user pool whose tokens are accepted
   * @param authorizationScopes OAuth scopes an access token must carry (at least one); none means an ID token is expected
   */
  public static cognito(userPool: cognito.IUserPool, authorizationScopes?: string[]): ApiAuthorization {
    return new ApiAuthorization(apigw.AuthorizationType.COGNITO, userPool, authorizationScopes);
  }

  /** No authentication: anyone who reaches the API may call the route. */
  public static none(): ApiAuthorization {
    return new ApiAuthorization(apigw.AuthorizationType.NONE);
  }

  /** The API Gateway authorization type. */
  public readonly authorizationType: apigw.AuthorizationType;

  /** The user pool whose tokens are accepted, for Cognito authorization. */
  public readonly userPool?: cognito.IUserPool;

  /** The OAuth scopes an access token must carry, for Cognito authorization. */
  public readonly authorizationScopes?: string[];

  private constructor(authorizationType: apigw.AuthorizationType, userPool?: cognito.IUserPool, authorizationScopes?: string[]) {
    this.authorizationType = authorizationType;
    this.userPool = userPool;
    this.authorizationScopes = authorizationScopes;
  }
}

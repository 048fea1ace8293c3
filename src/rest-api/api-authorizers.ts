import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { ApiAuthorization } from './api-authorization';

/** The method options of each `ApiAuthorization`, with one Cognito authorizer per user pool of the API. */
export class MethodAuthorizers {
  private readonly cognitoAuthorizers = new Map<cognito.IUserPool, apigw.CognitoUserPoolsAuthorizer>();

  constructor(private readonly scope: Construct) {}

  /** Authorization type, authorizer and scopes of a method. */
  public methodOptions(authorization: ApiAuthorization): apigw.MethodOptions {
    if (authorization.authorizationType !== apigw.AuthorizationType.COGNITO) {
      return { authorizationType: authorization.authorizationType };
    }
    return {
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizer: this.cognitoAuthorizer(authorization.userPool!),
      authorizationScopes: authorization.authorizationScopes,
    };
  }

  /** One authorizer per user pool, created on first use (an authorizer no method uses fails synthesis). */
  private cognitoAuthorizer(userPool: cognito.IUserPool): apigw.CognitoUserPoolsAuthorizer {
    let authorizer = this.cognitoAuthorizers.get(userPool);
    if (!authorizer) {
      authorizer = new apigw.CognitoUserPoolsAuthorizer(this.scope, `CognitoAuthorizer${this.cognitoAuthorizers.size}`, {
        cognitoUserPools: [userPool],
      });
      this.cognitoAuthorizers.set(userPool, authorizer);
    }
    return authorizer;
  }
}

import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { acknowledgeFindings, FINDING_FAMILIES } from '../core';
import type { ApiAuthorization } from './api-authorization';
import type { ValidatedRestApiProps } from './validated-rest-api-props';

/** An unauthenticated health route answers a constant from a MOCK integration: nothing to protect. */
export function acknowledgeOpenHealthRoute(healthMethod: apigw.Method): void {
  acknowledgeFindings(healthMethod, FINDING_FAMILIES.apiOpenHealthRoute);
}

/** A method with IAM authorization has no Cognito authorizer, which AwsSolutions-COG4 asks for. */
export function acknowledgeAuthorizationFindings(apiMethod: apigw.Method, authorization: ApiAuthorization): void {
  if (authorization.authorizationType === apigw.AuthorizationType.IAM) {
    acknowledgeFindings(apiMethod, FINDING_FAMILIES.apiIamAuthorization);
  }
}

/** Findings on the stage that a documented prop removes. */
export function acknowledgeStageFindings(stage: apigw.Stage, props: ValidatedRestApiProps): void {
  if (!props.cache) acknowledgeFindings(stage, FINDING_FAMILIES.apiCache);
  if (!props.clientCertificateId) acknowledgeFindings(stage, FINDING_FAMILIES.apiClientCertificate);
}

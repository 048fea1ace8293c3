import { Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { ApiAuthorization } from '../api-authorization';
import type { ValidatedRestApiProps } from '../validated-rest-api';

/** An unauthenticated health route answers a constant from a MOCK integration: nothing to protect. */
export function acknowledgeOpenHealthRoute(healthMethod: apigw.Method): void {
  const reason = 'The health route answers a constant {"status":"ok"} from a MOCK integration (no backend, no data) '
    + 'so that load balancers and uptime monitors, which cannot sign requests, can reach it; '
    + 'set healthCheckAuthorization to protect it.';
  Validations.of(healthMethod).acknowledge({ id: 'AwsSolutions-APIG4', reason });
  Validations.of(healthMethod).acknowledge({ id: 'AwsSolutions-COG4', reason });
}

/** A method with IAM authorization has no Cognito authorizer, which AwsSolutions-COG4 asks for. */
export function acknowledgeAuthorizationFindings(apiMethod: apigw.Method, authorization: ApiAuthorization): void {
  if (authorization.authorizationType === apigw.AuthorizationType.IAM) {
    Validations.of(apiMethod).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'The method uses IAM (SigV4) authorization, the default; ApiAuthorization.cognito() selects a '
        + 'Cognito user pool authorizer instead.',
    });
  }
}

/** Findings on the stage that a documented prop removes. */
export function acknowledgeStageFindings(stage: apigw.Stage, props: ValidatedRestApiProps): void {
  if (!props.cache) {
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      Validations.of(stage).acknowledge({
        id: `${pack}-APIGWCacheEnabledAndEncrypted`,
        reason: 'Caching is off by default: cached responses are shared across callers and cost an hourly cache '
          + 'cluster; the cache prop turns on an encrypted cache.',
      });
    }
  }
  if (!props.clientCertificateId) {
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      Validations.of(stage).acknowledge({
        id: `${pack}-APIGWSSLEnabled`,
        reason: 'A client certificate authenticates API Gateway to HTTP backends; Lambda and MOCK integrations do not '
          + 'use one. The clientCertificateId prop sets one for HTTP integrations.',
      });
    }
  }
}

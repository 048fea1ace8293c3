import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import type { ResolvedRestApiProps } from './rest-api-defaults';

/** The exports of the URL outputs, `undefined` when `exportUrl` is off. */
export function urlExportName(scope: Construct, props: ResolvedRestApiProps): string | undefined {
  if (!props.exportUrl) return undefined;
  return props.urlExportName ?? `${Stack.of(scope).stackName}-${scope.node.id.replace(/[^A-Za-z0-9-]/g, '')}-Url`;
}

/** RestApi always outputs its stage URL as `Endpoint`; the custom domain gets its own output. */
export function configureUrlOutputs(scope: Construct, restApi: apigw.RestApi, props: ResolvedRestApiProps, domainUrl: string | undefined): void {
  const endpointOutput = restApi.node.findChild('Endpoint') as CfnOutput;
  if (props.disableExecuteApiEndpoint) {
    restApi.node.tryRemoveChild('Endpoint');
  } else {
    endpointOutput.description = 'URL of the API stage';
  }
  if (domainUrl) {
    const exportName = urlExportName(scope, props);
    new CfnOutput(scope, 'DomainUrl', {
      value: domainUrl,
      description: 'URL of the API on its custom domain',
      exportName: exportName && `${exportName}-Domain`,
    });
  }
}

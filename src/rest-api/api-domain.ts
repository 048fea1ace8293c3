import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { ApiCustomDomain } from './api-options';

/** The custom domain of a stage: certificate (given or DNS-validated), TLS 1.2 domain name, base path mapping, an A alias. */
export function addCustomDomain(scope: Construct, restApi: apigw.RestApi, stage: apigw.Stage, customDomain: ApiCustomDomain) {
  const certificate = customDomain.certificate ?? new acm.Certificate(scope, 'Certificate', {
    domainName: customDomain.domainName,
    validation: acm.CertificateValidation.fromDns(customDomain.hostedZone),
  });
  const domain = new apigw.DomainName(scope, 'Domain', {
    domainName: customDomain.domainName,
    certificate,
    endpointType: apigw.EndpointType.REGIONAL,
    securityPolicy: apigw.SecurityPolicy.TLS_1_2,
  });
  domain.addBasePathMapping(restApi, { basePath: customDomain.basePath, stage });

  if (customDomain.hostedZone) {
    const target = route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain));
    // An A record only: the domain name is IPv4 (aws-cdk-lib's DomainName, down to the minimum 2.257, sets no IP address
    // type, and API Gateway's default is ipv4), so an AAAA alias would resolve to no address.
    new route53.ARecord(scope, 'DomainARecord', { zone: customDomain.hostedZone, recordName: customDomain.domainName, target });
  }
  const basePath = customDomain.basePath ? `${customDomain.basePath}/` : '';
  return { domain, certificate, url: `https://${customDomain.domainName}/${basePath}` };
}

import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { API_GATEWAY_MAX_PAYLOAD_BYTES } from './request-limits';
import { checkJsonSchema, Fail, failIn, requireLiteral } from '../core';
import type { ApiCacheOptions, ApiCorsOptions, ApiRouteOptions, ApiThrottling } from './api-options';
import { createsWebAcl } from './rest-api-defaults';
import { MAX_INSPECTED_BODY_BYTES } from './web-acl';
import type { JsonSchemaSubset } from '../contract';
import type { ValidatedRestApiProps } from './validated-rest-api-props';

/** The prop checks of `ValidatedRestApi`, shared with `DeploymentStage`'s API group. */

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'ANY'];
export const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
export const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

/** The `{name}` parameters of a resource path. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1]);
}

/** Checks one route of `addRoute` (or the health route). */
export function validateRoute(path: string, method: string, options: ApiRouteOptions, route: string, fail: Fail, pathProp = 'path'): void {
  requireLiteral(path, pathProp, 'the API\'s resources are created segment by segment at synthesis',
    'write the path, e.g. "/items/{id}"', fail);
  requireLiteral(method, `method of the route at ${path}`, 'it selects the method resource and the CORS preflight\'s methods at synthesis',
    `write one of ${ROUTE_METHODS.join(', ')}`, fail);
  if (!/^\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_.-]+\+?\})?(\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_.-]+\+?\}))*$/.test(path)) {
    fail(`${pathProp} "${path}" is not a resource path; use segments like /items/{id} `
      + '(leading slash, no trailing slash, no empty segments).');
  }
  if (!ROUTE_METHODS.includes(method)) {
    fail(`method "${method}" of ${route} is not supported; use one of ${ROUTE_METHODS.join(', ')} `
      + '(OPTIONS is answered by the CORS preflight).');
  }
  if (options.requestSchema && (method === 'GET' || method === 'HEAD')) {
    fail(`options.requestSchema of ${route} validates a body, which ${method} requests do not carry; `
      + 'use requiredQueryStrings instead.');
  }
  for (const response of options.responses ?? []) {
    // A method response's status code is an HTTP status code: three digits, 100 to 599 (RFC 9110 section 15).
    requireLiteral(response.statusCode, `options.responses statusCode of ${route}`, 'it names a method response at synthesis',
      'write the status code, e.g. "200"', fail);
    if (!/^[1-5]\d\d$/.test(response.statusCode)) {
      fail(`options.responses statusCode "${response.statusCode}" of ${route} is not an HTTP status code; `
        + 'use three digits from 100 to 599, e.g. "200" or "404".');
    }
  }
  if (options.requestSchema) checkJsonSchema(options.requestSchema as JsonSchemaSubset, `options.requestSchema of ${route}`, fail);
  validateParameterNames(options, route, fail);
  const declared = new Set(pathParameters(path));
  for (const name of options.requiredPathParameters ?? []) {
    requireLiteralName(name, `options.requiredPathParameters of ${route}`, fail);
    if (!declared.has(name)) {
      fail(`options.requiredPathParameters of ${route} names "${name}", which is not a {${name}} `
        + 'segment of the path; add it to the path or remove it.');
    }
  }
}

/** The body limit: what WAF can inspect with a created web ACL, API Gateway's payload quota otherwise. */
function validateMaxRequestBodySize(props: ValidatedRestApiProps, fail: Fail): void {
  if (props.maxRequestBodySize === undefined) return;
  requireLiteral(props.maxRequestBodySize, 'maxRequestBodySize', 'it is checked against WAF\'s and API Gateway\'s limits and written '
    + 'into the handler\'s environment as a number at synthesis', 'write the size, e.g. Size.kibibytes(64)', fail);
  const bytes = props.maxRequestBodySize.toBytes();
  const created = createsWebAcl(props);
  const max = created ? MAX_INSPECTED_BODY_BYTES : API_GATEWAY_MAX_PAYLOAD_BYTES;
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > max) {
    fail(`maxRequestBodySize (${bytes} bytes) must be from 1 to ${max} bytes`
      + (created ? ' with a created web ACL (the most WAF inspects of an API Gateway body).' : ' (API Gateway\'s payload quota).'));
  }
}

/** A parameter name is a key of the method's RequestParameters (method.request.querystring.<name>): CloudFormation resolves values, never keys. */
function requireLiteralName(name: string, prop: string, fail: Fail): void {
  requireLiteral(name, prop, 'each name becomes a key of the method\'s request parameters, which CloudFormation cannot resolve',
    'write the name', fail);
}

/** Query string and header names a method request can declare; a name both required and optional is a mistake. */
function validateParameterNames(options: ApiRouteOptions, route: string, fail: Fail): void {
  const lists: [keyof ApiRouteOptions, string[] | undefined][] = [
    ['requiredQueryStrings', options.requiredQueryStrings], ['optionalQueryStrings', options.optionalQueryStrings],
    ['requiredHeaders', options.requiredHeaders], ['optionalHeaders', options.optionalHeaders],
  ];
  for (const [prop, names] of lists) {
    for (const name of names ?? []) {
      requireLiteralName(name, `options.${prop} of ${route}`, fail);
      if (!/^[A-Za-z0-9_.~-]{1,128}$/.test(name)) {
        fail(`options.${prop} of ${route} names "${name}"; use letters, digits and _ . ~ - only.`);
      }
    }
  }
  const both = (required?: string[], optional?: string[]) => required?.filter((name) => optional?.includes(name)) ?? [];
  const twice = [...both(options.requiredQueryStrings, options.optionalQueryStrings), ...both(options.requiredHeaders, options.optionalHeaders)];
  for (const name of twice) {
    fail(`"${name}" of ${route} is listed as both required and optional; keep it in one list.`);
  }
}

/** Every check of `ValidatedRestApiProps`, run at construction of `scope`. */
export function validateApiProps(props: ValidatedRestApiProps, scope: IConstruct): void {
  const fail = failIn(scope, 'ValidatedRestApi');
  if (props.cors) validateCors(props.cors, fail, 'cors.');
  requireLiteral(props.stageName, 'stageName', 'construct ids and the execution log group\'s name are built from it at synthesis',
    'write the name, e.g. "prod"', fail);
  if (props.stageName !== undefined && !/^[A-Za-z0-9_-]{1,128}$/.test(props.stageName)) {
    fail(`stageName "${props.stageName}" is invalid; use 1 to 128 letters, digits, hyphens or underscores.`);
  }
  validateThrottling(props.throttling ?? {}, fail, 'throttling.');
  if (props.cache) validateCache(props.cache, fail, 'cache.');
  if (props.createWebAcl && props.webAclArn !== undefined) {
    fail('createWebAcl and webAclArn are mutually exclusive; '
      + 'remove webAclArn to create a web ACL, or createWebAcl to associate the given one.');
  }
  validateMaxRequestBodySize(props, fail);
  const rateLimit = props.webAclRateLimit;
  if (rateLimit !== undefined && !Token.isUnresolved(rateLimit) && (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000)) {
    fail(`webAclRateLimit (${rateLimit}) must be an integer from 10 to 2000000000 requests per 5 minutes.`);
  }
  if (props.disableExecuteApiEndpoint && !props.customDomain) {
    fail('disableExecuteApiEndpoint leaves the API unreachable without customDomain; '
      + 'set customDomain or keep the default endpoint.');
  }
  if (props.customDomain) validateDomainName(props.customDomain.domainName, fail);
  requireLiteral(props.customDomain?.basePath, 'customDomain.basePath', 'aws-cdk-lib names the base path mapping construct after it',
    'write the path, e.g. "v1"', fail);
  if (props.customDomain && !props.customDomain.certificate && !props.customDomain.hostedZone) {
    fail(`customDomain.certificate is required when customDomain.hostedZone is not given (${props.customDomain.domainName}); `
      + 'pass a certificate, or a hosted zone to create a DNS-validated one.');
  }
  const domainName = props.customDomain?.domainName;
  if (!props.customDomain?.certificate && domainName && !Token.isUnresolved(domainName)
    && domainName.length > CERTIFICATE_COMMON_NAME_MAX_LENGTH) {
    fail(`customDomain.domainName "${domainName}" has ${domainName.length} characters, more than the ${CERTIFICATE_COMMON_NAME_MAX_LENGTH} `
      + 'ACM allows as the first name of the certificate the API creates for it; use a shorter name, or pass customDomain.certificate '
      + '(one whose first name is shorter, listing this name as a subject alternative name).');
  }
  const zoneName = props.customDomain?.hostedZone?.zoneName;
  if (zoneName && domainName && !Token.isUnresolved(zoneName) && !Token.isUnresolved(domainName)
    && domainName !== zoneName && !domainName.endsWith(`.${zoneName}`)) {
    fail(`customDomain.domainName "${domainName}" is not in customDomain.hostedZone "${zoneName}"; `
      + 'use a name inside the zone or the zone of the name.');
  }
}

/**
 * The longest first name (Common Name) of a certificate ACM issues; further names (SANs) may have 253 characters
 * (https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html, DomainName, after RFC 5280).
 */
const CERTIFICATE_COMMON_NAME_MAX_LENGTH = 64;

/**
 * A domain name as Route 53 and ACM take it: labels of letters, digits and hyphens (not first or last), 1 to 63
 * characters each, at most 253 characters, optionally a leading `*.` wildcard; no scheme, path, port or trailing dot
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html,
 * https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
 */
const DOMAIN_NAME = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function validateDomainName(domainName: string, fail: Fail): void {
  if (Token.isUnresolved(domainName)) return;
  if (domainName.length > 253 || !DOMAIN_NAME.test(domainName)) {
    const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:]+)/i.exec(domainName)?.[1];
    fail(`customDomain.domainName "${domainName}" is not a domain name as Route 53 and ACM take it `
      + '(labels of letters, digits and hyphens separated by dots, no scheme, path, port or trailing dot, at most 253 characters); '
      + `give the bare name${host ? `, e.g. "${host}"` : ', e.g. "api.example.com"'}.`);
  }
}

/** Checks CORS options; `path` prefixes the prop names in messages (e.g. `cors.`). */
export function validateCors(cors: ApiCorsOptions, fail: Fail, path: string): void {
  const origins = cors.allowOrigins;
  // A list token (e.g. a CommaDelimitedList parameter); an entry of a literal list may be a token.
  if (Token.isUnresolved(origins)) {
    requireLiteral(origins, `${path}allowOrigins`, 'the preflight and the gateway responses are built per origin at synthesis',
      'list the origins (each one may be a token)', fail);
  }
  if (origins.length === 0) {
    fail(`${path}allowOrigins is empty; list the origins allowed to call the API (e.g. https://app.example.com) or omit cors.`);
  }
  if (origins.includes('*')) {
    if (cors.allowCredentials) {
      fail(`${path}allowOrigins '*' cannot be combined with ${path}allowCredentials (browsers reject it); `
        + 'list the explicit origins or turn allowCredentials off.');
    }
    if (origins.length > 1) {
      fail(`${path}allowOrigins mixes '*' with explicit origins; use either '*' alone or explicit origins.`);
    }
  }
  for (const origin of origins) {
    if (origin !== '*' && !Token.isUnresolved(origin) && !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) {
      fail(`${path}allowOrigins entry "${origin}" is not an origin; use scheme://host[:port] `
        + 'without path or trailing slash, e.g. https://app.example.com.');
    }
    // Browsers serialise an Origin with the scheme and host lowercased (RFC 6454 section 6.1, which lowercases
    // both in section 4; the Fetch standard's "serialization of an origin"), and CORS compares origins as strings.
    if (!Token.isUnresolved(origin) && origin !== origin.toLowerCase()) {
      fail(`${path}allowOrigins entry "${origin}" has uppercase letters, so it never equals the Origin header browsers send `
        + `(scheme and host lowercased, RFC 6454); write it in lowercase: "${origin.toLowerCase()}".`);
    }
  }
  for (const method of cors.allowMethods ?? []) {
    requireLiteral(method, `${path}allowMethods`, 'the preflight response is built at synthesis',
      `write one of ${CORS_METHODS.join(', ')}`, fail);
    if (!CORS_METHODS.includes(method)) {
      fail(`${path}allowMethods entry "${method}" is not an HTTP method; use ${CORS_METHODS.join(', ')}.`);
    }
  }
  if (cors.maxAge && !cors.maxAge.isUnresolved() && cors.maxAge.toSeconds() > 86400) {
    fail(`${path}maxAge (${cors.maxAge.toSeconds()} s) exceeds one day, more than browsers honour; lower it.`);
  }
}

/** Checks stage throttling; `path` prefixes the prop names in messages (e.g. `throttling.`). */
export function validateThrottling(throttling: ApiThrottling, fail: Fail, path: string): void {
  const rate = throttling.rateLimit;
  if (rate !== undefined && !Token.isUnresolved(rate) && rate < 0) {
    fail(`${path}rateLimit (${rate}) must be >= 0 requests per second.`);
  }
  const burst = throttling.burstLimit;
  if (burst !== undefined && !Token.isUnresolved(burst) && (burst < 0 || !Number.isInteger(burst))) {
    fail(`${path}burstLimit (${burst}) must be a whole number >= 0.`);
  }
}

/** Checks the cache options; `path` prefixes the prop names in messages (e.g. `cache.`). */
export function validateCache(cache: ApiCacheOptions, fail: Fail, path: string): void {
  requireLiteral(cache.clusterSize, `${path}clusterSize`, 'it is checked against the cache sizes API Gateway offers at synthesis',
    `write one of ${CACHE_CLUSTER_SIZES.join(', ')}`, fail);
  if (cache.clusterSize !== undefined && !CACHE_CLUSTER_SIZES.includes(cache.clusterSize)) {
    fail(`${path}clusterSize "${cache.clusterSize}" is not a cache size; use one of ${CACHE_CLUSTER_SIZES.join(', ')}.`);
  }
  if (cache.ttl && !cache.ttl.isUnresolved() && cache.ttl.toSeconds() > 3600) {
    fail(`${path}ttl (${cache.ttl.toSeconds()} s) exceeds API Gateway's maximum of 3600 s; lower it.`);
  }
}

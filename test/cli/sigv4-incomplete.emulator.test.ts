import { AuthRequest, SigV4Verifier } from '../../cli/local-auth';

/**
 * IAM-authorized methods in local mode (docs/local-mode.md): a request without an Authorization header, or with one
 * that is not a complete Signature Version 4, is answered by the gateway itself, as API Gateway does, before any
 * signature is computed.
 */
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const verifier = new SigV4Verifier(credentials, 'eu-west-1', '123456789012');
const AMZ_DATE = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
const request = (headers: Record<string, string>): AuthRequest => ({ httpMethod: 'GET', target: '/items', headers, body: Buffer.alloc(0) });

// The gateway response type MISSING_AUTHENTICATION_TOKEN (403) answers a request without authentication
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html), with the body
// {"message":"Missing Authentication Token"} and x-amzn-ErrorType MissingAuthenticationTokenException.
test('no Authorization header: Missing Authentication Token', async () => {
  expect(await verifier.verify(request({ 'host': 'localhost', 'x-amz-date': AMZ_DATE }))).toEqual({
    granted: false, responseType: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException',
  });
});

// A Signature Version 4 Authorization header carries Credential, SignedHeaders and Signature, and the request its
// X-Amz-Date (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html); without them
// AWS answers IncompleteSignatureException (INVALID_SIGNATURE gateway response, 403).
test.each([
  ['no Signature', `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date`, true],
  ['no X-Amz-Date header', `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=00`, false],
])('%s: IncompleteSignatureException naming what a signature needs', async (_case, authorization, dated) => {
  const outcome = await verifier.verify(request({ host: 'localhost', authorization, ...(dated ? { 'x-amz-date': AMZ_DATE } : {}) }));
  expect(outcome).toMatchObject({ granted: false, responseType: 'INVALID_SIGNATURE', errorType: 'IncompleteSignatureException' });
  for (const part of ['Credential', 'Signature', 'SignedHeaders', 'X-Amz-Date']) expect(outcome).toHaveProperty('message', expect.stringContaining(part));
});

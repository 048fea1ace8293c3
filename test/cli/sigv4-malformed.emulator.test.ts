import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthOutcome, LocalAuthorizer, LocalCredentials, generateCredentials } from '../../cli/local-auth';
import { ApiMethod } from '../../cli/rest-api';

/**
 * Malformed SigV4 requests against local mode's authorizer, in-process. AWS Signature Version 4 (IAM user guide,
 * "Elements of an AWS API request signature"): the Authorization header is the algorithm AWS4-HMAC-SHA256, a space,
 * then the Credential, SignedHeaders and Signature parameters; X-Amz-Date is the timestamp in ISO 8601 basic format,
 * YYYYMMDD'T'HHMMSS'Z'. API Gateway refuses anything else on an IAM method with its INVALID_SIGNATURE gateway response
 * (403; API Gateway developer guide, "Gateway response types"), as docs/local-mode.md says local mode does.
 */
const REGION = 'eu-central-1';
const HOST = '127.0.0.1:3000';

const IAM_METHOD: ApiMethod = {
  httpMethod: 'GET',
  authorizationType: 'AWS_IAM',
  integrationType: 'AWS_PROXY',
  validateBody: false,
  validateParameters: false,
  userPoolArns: [],
  authorizationScopes: [],
  requestModels: {},
  requiredParameters: [],
};

const credentials = generateCredentials();
const authorizer = new LocalAuthorizer(credentials, REGION, '123456789012', 'http://127.0.0.1:1');

/** The headers of a GET /items signed now with `signing` (by default local mode's credentials). */
async function signedHeaders(signing: LocalCredentials = credentials): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: signing, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 3000, path: '/items', query: {}, headers: { host: HOST } });
  return signed.headers as Record<string, string>;
}

function authorize(headers: Record<string, string>): Promise<AuthOutcome> {
  return authorizer.authorize(IAM_METHOD, { httpMethod: 'GET', target: '/items', headers, body: Buffer.alloc(0) });
}

/** The signed headers with the Authorization header rewritten. */
async function withAuthorization(rewrite: (authorization: string) => string): Promise<Record<string, string>> {
  const headers = await signedHeaders();
  return { ...headers, authorization: rewrite(headers.authorization) };
}

test('the well-formed request these cases start from is granted', async () => {
  expect(await authorize(await signedHeaders())).toMatchObject({ granted: true });
});

test('a signature by another secret key is refused with x-amzn-ErrorType InvalidSignatureException', async () => {
  // What API Gateway answers when "the request signature we calculated does not match the signature you provided"
  // (AWS knowledge center, "Troubleshoot signature mismatch errors ... API Gateway").
  const forged = await signedHeaders({ accessKeyId: credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) });
  expect(await authorize(forged)).toMatchObject({ granted: false, responseType: 'INVALID_SIGNATURE', errorType: 'InvalidSignatureException' });
});

describe('an Authorization header that is not AWS4-HMAC-SHA256 with its three parameters', () => {
  test.each([
    ['another algorithm', (a: string) => a.replace('AWS4-HMAC-SHA256 ', 'AWS4-HMAC-SHA512 ')],
    ['characters before the algorithm', (a: string) => `x${a}`],
    ['no algorithm', (a: string) => a.replace('AWS4-HMAC-SHA256 ', '')],
    ['no Credential', (a: string) => a.replace(/Credential=[^,]*, /, '')],
    ['no SignedHeaders', (a: string) => a.replace(/SignedHeaders=[^,]*, /, '')],
    ['no Signature', (a: string) => a.replace(/, Signature=[0-9a-f]*/, '')],
    ['an empty Credential', (a: string) => a.replace(/Credential=[^,]*/, 'Credential=')],
  ])('%s: refused as an incomplete signature (IncompleteSignatureException)', async (_, rewrite) => {
    const headers = await withAuthorization(rewrite);
    expect(headers.authorization).not.toBe((await signedHeaders()).authorization);
    // AWS common errors: IncompleteSignature, "The request signature does not conform to AWS standards".
    expect(await authorize(headers)).toMatchObject({ granted: false, responseType: 'INVALID_SIGNATURE', errorType: 'IncompleteSignatureException' });
  });
});

describe('an Authorization header with a part that is not key=value', () => {
  // API Gateway's answer, as reported by its users (e.g. github.com/apickli/apickli/issues/112,
  // github.com/amazon-archives/aws-cognito-angular-quickstart/issues/50): 403 IncompleteSignatureException,
  // "'<part>' not a valid key=value pair (missing equal-sign) in Authorization header: '<header>'."
  test('a part after the three parameters is refused, naming it', async () => {
    const headers = await withAuthorization((a) => `${a}, Junk`);
    expect(await authorize(headers)).toEqual({
      granted: false,
      responseType: 'INVALID_SIGNATURE',
      message: `'Junk' not a valid key=value pair (missing equal-sign) in Authorization header: '${headers.authorization}'.`,
      errorType: 'IncompleteSignatureException',
    });
  });

  test('a bearer token sent to an IAM route is refused the same way', async () => {
    const headers = { ...await signedHeaders(), authorization: 'Bearer eyJ.token' };
    expect(await authorize(headers)).toMatchObject({
      granted: false,
      message: "'eyJ.token' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer eyJ.token'.",
      errorType: 'IncompleteSignatureException',
    });
  });
});

describe('an X-Amz-Date that is not exactly YYYYMMDDTHHMMSSZ', () => {
  test.each([
    ['a character before it', (date: string) => `0${date}`],
    ['a character after it', (date: string) => `${date}0`],
    ['a zone other than Z', (date: string) => date.replace(/Z$/, '+0000')],
  ])('%s: refused', async (_, rewrite) => {
    const headers = await signedHeaders();
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    const outcome = await authorize({ ...headers, 'x-amz-date': rewrite(headers['x-amz-date']) });
    expect(outcome).toMatchObject({ granted: false, responseType: 'INVALID_SIGNATURE' });
  });
});

// Lambda handler of the integ test's signing client: sends one HTTP request to the API, signed with AWS Signature
// Version 4 (service execute-api) by the function's own role when `signed` is true, and returns status and body.
// Inline code (no bundling, no SDK import), so it is plain Node.js; test/cli/local-auth.emulator.test.ts checks its signatures
// against local mode, whose verifier is the AWS SDK's signer.
const crypto = require('node:crypto');

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding, as SigV4 wants it. */
const encode = (text) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function sign(method, target, headers, body, env) {
  const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const region = env.AWS_REGION;
  headers['x-amz-date'] = amzDate;
  if (env.AWS_SESSION_TOKEN) headers['x-amz-security-token'] = env.AWS_SESSION_TOKEN;
  const names = Object.keys(headers).map((name) => name.toLowerCase()).sort();
  const lowerHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value).trim()]));
  // Services other than S3 sign the path encoded twice: the URL's path is encoded once already.
  const path = target.pathname.split('/').map(encode).join('/');
  const query = [...target.searchParams].map(([key, value]) => [encode(key), encode(value)])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : (a < b ? -1 : 1))).map((pair) => pair.join('=')).join('&');
  const canonicalRequest = [
    method, path, query, names.map((name) => `${name}:${lowerHeaders[name]}\n`).join(''), names.join(';'), sha256(body ?? ''),
  ].join('\n');
  const scope = `${date}/${region}/execute-api/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${env.AWS_SECRET_ACCESS_KEY}`, date), region), 'execute-api'), 'aws4_request');
  const signature = hmac(signingKey, stringToSign).toString('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${env.AWS_ACCESS_KEY_ID}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

exports.handler = async ({ method = 'GET', url, body, signed = true }) => {
  const target = new URL(url);
  const headers = { host: target.host, 'content-type': 'application/json' };
  if (signed) sign(method, target, headers, body, process.env);
  const response = await fetch(target, { method, headers, body });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
};

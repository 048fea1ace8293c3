import type { APIGatewayProxyEvent } from 'aws-lambda';
import { RequestValidator, storabilityViolations } from '../../lambda-src/items/validation';
import { HttpError } from '../../lambda-src/shared/http';

/**
 * The request body checks of POST/PUT, run on the validator itself. Expected values come from docs/items-api.md
 * (codes, `details` as `{ path, message }` with JSON Pointer paths, `""` for the whole body) and the RFCs cited.
 */
function event(body: string | null, headers: Record<string, string> = {}, isBase64Encoded = false): APIGatewayProxyEvent {
  return { body, headers, isBase64Encoded } as unknown as APIGatewayProxyEvent;
}

function refusal(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

const validator = new RequestValidator(65_536);
const body = JSON.stringify({ data: { n: 1 } });

describe('Content-Type of a body', () => {
  // RFC 9110 section 8.3.1 and 5.6.6: media-type = type "/" subtype parameters, parameters = *( OWS ";" OWS
  // [ parameter ] ), a parameter value is a token or a quoted-string (charset=utf-8 and charset="utf-8" are the same);
  // type, subtype and parameter names are case-insensitive. RFC 8259 section 11: JSON is UTF-8, the only charset.
  test.each([
    'application/json',
    'application/json;charset=utf-8',
    'application/json; charset=utf-8',
    'application/json ;  charset=UTF-8',
    'application/json; charset="utf-8"',
    'Application/JSON; Charset="UTF-8"',
    // Field values carry no leading or trailing whitespace (RFC 9110 section 5.5): a raw one is trimmed.
    ' application/json ',
  ])('%j is accepted', (contentType) => {
    expect(validator.createRequest(event(body, { 'Content-Type': contentType }))).toEqual({ data: { n: 1 } });
  });

  test.each([
    'text/application/json',
    'xapplication/json',
    'application/jsonx',
    'application/json; charset=utf-16',
    'application/json; charset=utf-88',
    'application/json; charset="utf-8',
    'application/json; charset=utf-8"',
    'application/json; xcharset=utf-8',
    'application/json; charsetx=utf-8',
    'application/json; charset=xutf-8',
  ])('%j is 415 UnsupportedMediaType, naming the header', (contentType) => {
    const error = refusal(() => validator.createRequest(event(body, { 'content-type': contentType })));
    expect({ status: error.statusCode, code: error.code }).toEqual({ status: 415, code: 'UnsupportedMediaType' });
    expect(error.message).toMatch(/Content-Type/);
  });
});

describe('body bytes, encoding and syntax', () => {
  test('a missing body is an empty one (0 bytes): not JSON, and never over a small limit', () => {
    const error = refusal(() => new RequestValidator(4).createRequest(event(null)));
    expect({ status: error.statusCode, code: error.code, details: error.details })
      .toEqual({ status: 400, code: 'ValidationError', details: [{ path: '', message: expect.stringMatching(/JSON/) }] });
  });

  test('a body over the limit is 413 and the message names the limit', () => {
    // 10 bytes: {"data":{}} is 11.
    const error = refusal(() => new RequestValidator(10).createRequest(event('{"data":{}}')));
    expect({ status: error.statusCode, code: error.code }).toEqual({ status: 413, code: 'PayloadTooLarge' });
    expect(error.message).toMatch(/\b10 bytes/);
  });

  test('bytes that are not UTF-8 are 400 on the whole body', () => {
    // 0xFF never occurs in UTF-8 (RFC 3629 section 1).
    const error = refusal(() => validator.createRequest(event(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'), {}, true)));
    expect({ status: error.statusCode, code: error.code, details: error.details })
      .toEqual({ status: 400, code: 'ValidationError', details: [{ path: '', message: expect.stringMatching(/UTF-8/) }] });
    expect(error.message).toMatch(/UTF-8/);
  });

  test('text that is not JSON is 400 on the whole body', () => {
    const error = refusal(() => validator.createRequest(event('{"data":')));
    expect({ status: error.statusCode, code: error.code, details: error.details })
      .toEqual({ status: 400, code: 'ValidationError', details: [{ path: '', message: expect.stringMatching(/JSON/) }] });
    expect(error.message).toMatch(/JSON/);
  });

  test('a body against the schema is 400 with the JSON Pointer of the field', () => {
    const error = refusal(() => validator.createRequest(event('{"data":[]}')));
    expect({ status: error.statusCode, code: error.code, details: error.details.map((d) => d.path) })
      .toEqual({ status: 400, code: 'ValidationError', details: ['/data'] });
    expect(error.message).toMatch(/schema/);
  });

  test('a valid body is returned as parsed', () => {
    expect(validator.updateRequest(event('{"data":{"a":[1,"x"]},"version":2}'))).toEqual({ data: { a: [1, 'x'] }, version: 2 });
  });
});

describe('storabilityViolations messages', () => {
  test('a lone surrogate names Unicode, an out-of-range number names the range', () => {
    expect(storabilityViolations({ s: '\ud800' })).toEqual([{ path: '/s', message: expect.stringMatching(/Unicode/) }]);
    expect(storabilityViolations({ n: 1e126 })).toEqual([{ path: '/n', message: expect.stringMatching(/1e-130.*e125/) }]);
  });
});

import type { APIGatewayProxyEvent } from 'aws-lambda';
import { deleteRequest, listRequest, RequestValidator, storabilityViolations, validItemId } from '../../lambda-src/items/validation';
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

describe('storabilityViolations: depth and property names', () => {
  // docs/items-api.md: data nests at most 31 levels (data itself is the first), lists count as levels as maps do
  // (DynamoDB counts both: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes).
  const nestedMaps = (levels: number): unknown => JSON.parse('{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1));
  const nestedLists = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

  test('the map one level too deep is named by its JSON Pointer, and the message names the limit', () => {
    expect(storabilityViolations({ data: nestedMaps(31) })).toEqual([]);
    // 32 maps from /data: the 32nd sits under 31 "a" keys.
    expect(storabilityViolations({ data: nestedMaps(32) })).toEqual([{ path: `/data${'/a'.repeat(31)}`, message: expect.stringMatching(/\b31\b/) }]);
  });

  test('lists are levels too: data (a map) and 31 lists inside it is 32 levels', () => {
    expect(storabilityViolations({ data: { l: nestedLists(30) } })).toEqual([]);
    expect(storabilityViolations({ data: { l: nestedLists(31) } })).toEqual([{ path: `/data/l${'/0'.repeat(30)}`, message: expect.stringMatching(/\b31\b/) }]);
  });

  test.each([
    ['an empty key', '{"data":{"ok":1,"":1}}', '/data/'],
    ['a __proto__ key inside a list', '{"data":{"list":[1,{"__proto__":1}]}}', '/data/list/1/__proto__'],
    ['a __proto__ key at the top', '{"__proto__":{},"data":{}}', '/__proto__'],
  ])('%s is refused at its JSON Pointer (RFC 6901: "" is a key too)', (_name, text, path) => {
    expect(storabilityViolations(JSON.parse(text))).toEqual([{ path, message: expect.stringMatching(/name/) }]);
  });

  test('a key with a lone surrogate is refused, and the pointer stays UTF-8 so the error body can carry it', () => {
    const [violation, ...others] = storabilityViolations({ data: { ok: { '\ud800x': 1 } } });
    expect(others).toEqual([]);
    expect(violation.path.startsWith('/data/ok/')).toBe(true);
    // RFC 8259 section 8.1: JSON text exchanged between systems is UTF-8; a lone surrogate does not survive encoding.
    expect(Buffer.from(violation.path, 'utf8').toString('utf8')).toBe(violation.path);
    expect(violation.message).toMatch(/name/);
  });

  test('keys with "/" and "~" are escaped in the pointer (RFC 6901 section 3: "~" as "~0", "/" as "~1")', () => {
    expect(storabilityViolations({ data: { 'a/b/c': { '~1~': { 'x~y/z': 1e200 } } } }))
      .toEqual([{ path: '/data/a~1b~1c/~01~0/x~0y~1z', message: expect.any(String) }]);
  });
});

describe('the {id} path parameter', () => {
  // docs/items-api.md: ids match ^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$; anything else is 400 InvalidItemId.
  test.each([
    ['no id at all', undefined],
    ['an empty id', ''],
    ['129 characters', 'a'.repeat(129)],
    ['a leading dot', '.a'],
  ])('%s is 400 InvalidItemId, and the message states the pattern', (_name, raw) => {
    const error = refusal(() => validItemId(raw));
    expect({ status: error.statusCode, code: error.code }).toEqual({ status: 400, code: 'InvalidItemId' });
    expect(error.message).toContain('^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$');
  });

  test('128 characters and every allowed character are accepted', () => {
    expect(validItemId(`_-.${'a'.repeat(125)}`)).toHaveLength(128);
    expect(validItemId('Az09_-.')).toBe('Az09_-.');
  });
});

function queryEvent(query: Record<string, string> | null, headers: Record<string, string> = {}): APIGatewayProxyEvent {
  return { queryStringParameters: query, headers } as unknown as APIGatewayProxyEvent;
}

describe('GET /items query: limit and nextToken', () => {
  // docs/items-api.md: limit is 1..100 (default 20); the token is opaque, a malformed one is 400 InvalidNextToken.
  test('no query is the first page of 20', () => {
    expect(listRequest(queryEvent(null))).toEqual({ limit: 20, nextToken: undefined });
    expect(listRequest(queryEvent({}))).toEqual({ limit: 20, nextToken: undefined });
  });

  test.each(['1', '100', '20'])('limit=%s is taken as given', (limit) => {
    expect(listRequest(queryEvent({ limit }))).toEqual({ limit: Number(limit), nextToken: undefined });
  });

  test.each(['0', '101', '1000', '', 'abc', '-1', '1.5', '5x', 'x5'])('limit=%j is 400 InvalidLimit naming the range', (limit) => {
    const error = refusal(() => listRequest(queryEvent({ limit })));
    expect({ status: error.statusCode, code: error.code }).toEqual({ status: 400, code: 'InvalidLimit' });
    expect(error.message).toMatch(/\b1\b.*\b100\b/);
  });

  test('an empty nextToken is 400 InvalidNextToken before any key is read', () => {
    const error = refusal(() => listRequest(queryEvent({ nextToken: '' })));
    expect({ status: error.statusCode, code: error.code }).toEqual({ status: 400, code: 'InvalidNextToken' });
    expect(error.message).toMatch(/nextToken/);
  });

  test('a nextToken is passed on as given', () => {
    expect(listRequest(queryEvent({ limit: '5', nextToken: 'abc' }))).toEqual({ limit: 5, nextToken: 'abc' });
  });
});

describe('DELETE /items/{id}: If-Match and ?version=', () => {
  // docs/items-api.md: If-Match: "<version>" (the ETag) or ?version=<version>, a version from 1; both only when they
  // agree. RFC 9110 section 13.1.1: If-Match is "*" or a list of entity tags; section 8.8.3: an entity tag is a
  // quoted string, W/ marks a weak one (If-Match uses the strong comparison, so a weak tag never matches).
  test.each([
    ['nothing: no condition', {}, null, undefined],
    ['If-Match: *: any version', { 'If-Match': '*' }, null, undefined],
    ['If-Match: "3"', { 'If-Match': '"3"' }, null, 3],
    ['If-Match with surrounding whitespace (RFC 9110 section 5.5)', { 'if-match': ' "3" ' }, null, 3],
    ['?version=3', {}, { version: '3' }, 3],
    ['both, agreeing', { 'If-Match': '"12"' }, { version: '12' }, 12],
    ['If-Match: * and ?version=4', { 'If-Match': '*' }, { version: '4' }, 4],
    ['the largest version', {}, { version: '9007199254740990' }, 9_007_199_254_740_990],
  ])('%s', (_name, headers, query, expectedVersion) => {
    expect(deleteRequest(queryEvent(query, headers))).toEqual({ expectedVersion });
  });

  test.each([
    ['an unquoted version', { 'If-Match': '3' }, null],
    ['a weak tag', { 'If-Match': 'W/"3"' }, null],
    ['an empty tag', { 'If-Match': '""' }, null],
    ['an unbalanced quote', { 'If-Match': '"3' }, null],
    ['a tag that is no version', { 'If-Match': '"abc"' }, null],
    ['version 0', { 'If-Match': '"0"' }, null],
    ['a leading zero', {}, { version: '03' }],
    ['a fraction', {}, { version: '1.5' }],
    ['a sign', {}, { version: '+3' }],
    ['an empty ?version=', {}, { version: '' }],
    // 2^53 + 1 has no exact double (ECMA-262 Number.MAX_SAFE_INTEGER is 2^53 - 1): it would be read as another version.
    ['a version past exact integers', {}, { version: '9007199254740993' }],
    ['17 digits', {}, { version: '10000000000000000' }],
    ['If-Match and ?version= disagreeing', { 'If-Match': '"2"' }, { version: '3' }],
    ['a valid If-Match with a malformed ?version=', { 'If-Match': '"2"' }, { version: 'x' }],
  ])('%s is 400 InvalidVersion naming both places', (_name, headers, query) => {
    const error = refusal(() => deleteRequest(queryEvent(query, headers)));
    expect({ status: error.statusCode, code: error.code }).toEqual({ status: 400, code: 'InvalidVersion' });
    expect(error.message).toMatch(/If-Match.*version=|version=.*If-Match/);
  });
});

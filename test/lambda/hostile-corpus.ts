import { ApiRequest, itemsPath } from './items-fixture';
import { encodePageToken } from '../../lambda-src/items/pagination';
import { ITEMS_ROUTES, ITEM_ID_PATTERN, ItemsResource, itemsMethodsOn } from '../../src/contract/items';

/**
 * A corpus of malformed and hostile requests. None of them may change the table, and every one must get a 4xx with
 * the JSON error body. Requests that are well-formed but must still be refused (an existing id, a stale version) carry
 * injection strings in their data, proving the strings never reach an expression.
 */
/** Items the corpus expects to exist (seeded before it runs). */
export const EXISTING = 'existing-1';
export const SEED_IDS = [EXISTING, 'existing-2', 'existing-3'];

const INJECTIONS = [
  'attribute_not_exists(id) OR attribute_exists(id)', '#id', ':expected', 'SET #version = :next', ') OR (1=1', 'id = :v; DROP TABLE',
  '${TABLE_NAME}', '{{7*7}}', '<script>alert(1)</script>', '\' OR \'1\'=\'1', '" OR ""="', '../../etc/passwd', '%00', '\\u0000',
  'REMOVE #data', 'size(#data) > :zero', '$(reboot)', '`id`', 'null', '__proto__',
];

const ODD_IDS = [
  '', ' ', 'a b', 'a/b', 'a\\b', 'a?b', 'a#b', 'a%b', 'a:b', 'a;b', 'a\'b', 'a"b', 'a,b', 'a=b', 'a+b', 'a*b', 'a&b', 'a|b', 'a<b>',
  'x'.repeat(129), 'x'.repeat(5000), 'ü', 'é-accent', '日本', '😀', '\u202egnp.exe', 'a\u0000b', 'a\nb', 'a\tb', 'a\rb', '\u0007',
  '\ud800', 'ab\udfff', '\ufeffid', '\u200bzero', 'ａｂｃ', ...INJECTIONS,
];

const BAD_JSON = [
  '', ' ', '{', '}', '[', '{"data":', '{"data":{}', '{"data":{}}}', '{data:{}}', '{\'data\':{}}', '{"data":{},}', '{"data":{"a":1,}}',
  '{"data":{}} x', '{"data":{}}{"data":{}}', 'undefined', 'NaN', '{"data":NaN}', '{"data":{"n":Infinity}}', '{"data":{"n":-Infinity}}',
  '{"data":{"n":01}}', '{"data":{"n":.5}}', '{"data":{"n":1.}}', '{"data":{"n":0x10}}', '{"data":{"s":"unterminated}}', '{"data":{"s":"\\x41"}}',
  '{"data":{"s":"\\u12"}}', '{"data":{"s":"tab\there"}}', '{"data":{"s":"nl\nhere"}}', '// comment\n{"data":{}}', '/* c */{"data":{}}',
  '\ufeff{"data":{}}', '{"data":{}}\u0000', 'true', 'false', 'null', '0', '"string"', '[{"data":{}}]', '{"data":[]}', '{"data":"{}"}',
  '<xml/>', 'data=1', '\u0000', '{"data":{"a":b}}', '{"data":{"a" 1}}', '{"data"::{}}', '{"data":{}, "id": }', '{"id":"a" "data":{}}',
  '{"data":{}'.repeat(50), '['.repeat(10_000), '{"a":'.repeat(5_000),
];

const WRONG_TYPES: unknown[] = [
  { data: 'x' }, { data: 1 }, { data: true }, { data: null }, { data: [] }, { data: [{}] }, {},
  { id: 1, data: {} }, { id: true, data: {} }, { id: null, data: {} }, { id: {}, data: {} }, { id: [], data: {} }, { id: ['a'], data: {} },
  { data: {}, version: 1, extra: 1 }, { data: {}, owner: 'root' }, { Data: {} }, { DATA: {} }, { data: {}, __proto__x: 1 },
  { data: { n: 1e126 } }, { data: { n: -1e200 } }, { data: { n: 1e-131 } }, { data: { n: Number.MAX_VALUE } }, { data: { nested: [{ n: 5e-324 }] } },
];

const STALE_UPDATES: unknown[] = [
  { data: {}, version: 99 }, { data: {}, version: 2 }, { data: {}, version: Number.MAX_SAFE_INTEGER },
];

const BAD_UPDATES: unknown[] = [
  { data: {} }, { version: 1 }, { data: {}, version: '1' }, { data: {}, version: 1.5 }, { data: {}, version: 0 }, { data: {}, version: -1 },
  { data: {}, version: null }, { data: {}, version: [1] }, { data: {}, version: { $gt: 0 } }, { data: {}, version: 1e300 },
  { data: {}, version: Number.MAX_SAFE_INTEGER + 2 }, { data: 'x', version: 1 }, { data: {}, version: 1, id: 'other' },
  { data: {}, version: 1, createdAt: 'x' }, { data: [], version: 1 },
];

function nested(depth: number, leaf: unknown = 1, asArray = false): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { k: value };
  return value;
}

/** Percent-encodes an id for a path; ids that cannot be encoded (lone surrogates) go in raw, as a direct invoke could send them. */
function pathSegment(id: string): string {
  try {
    return encodeURIComponent(id);
  } catch {
    return id;
  }
}

/** `body` sent to every route that takes a body (POST /items, PUT /items/{id}). */
function bodyRequests(body: unknown, contentHeaders?: Record<string, string>): ApiRequest[] {
  return ITEMS_ROUTES.filter((route) => route.requestBody)
    .map((route) => ({ method: route.method, path: itemsPath(route.resource, EXISTING), body, headers: contentHeaders }));
}

/** The methods of the API that a resource lacks (PUT and DELETE on the collection, POST on an item). */
export function methodsMissingFrom(resource: ItemsResource): string[] {
  const served = itemsMethodsOn(resource);
  return [...new Set(ITEMS_ROUTES.map((route) => route.method))].filter((method) => !served.includes(method));
}

/** The requests; `validToken` is a page token the API issued for the table `tableName`. */
export function buildCorpus(validToken: string, tableName: string): ApiRequest[] {
  const corpus: ApiRequest[] = [];
  const [payload, signature] = validToken.split('.');
  for (const text of BAD_JSON) corpus.push(...bodyRequests(text));
  for (const body of WRONG_TYPES) corpus.push(...bodyRequests(body));
  for (const body of BAD_UPDATES) corpus.push({ method: 'PUT', path: `/items/${EXISTING}`, body });
  for (const body of STALE_UPDATES) corpus.push({ method: 'PUT', path: `/items/${EXISTING}`, body });

  // Injection strings as data keys and values, in requests that conditional writes must refuse.
  for (const text of INJECTIONS) {
    corpus.push({ method: 'POST', path: '/items', body: { id: EXISTING, data: { [text]: text, nested: { v: text } } } });
    corpus.push({ method: 'PUT', path: `/items/${EXISTING}`, body: { data: { [text]: text }, version: 7 } });
    corpus.push({ method: 'PUT', path: '/items/absent-item', body: { data: { [text]: text }, version: 1 } });
    corpus.push({ method: 'DELETE', path: '/items/absent-item', query: { condition: text } });
    corpus.push({ method: 'GET', path: '/items', query: { limit: text } });
    corpus.push({ method: 'GET', path: '/items', query: { nextToken: text } });
  }

  // Odd ids: in the body, and in the path of every item method.
  const itemId = new RegExp(ITEM_ID_PATTERN);
  for (const id of ODD_IDS.filter((candidate) => candidate !== '' && !itemId.test(candidate))) {
    corpus.push({ method: 'POST', path: '/items', body: { id, data: {} } });
    for (const method of itemsMethodsOn('item')) {
      corpus.push({ method, path: `/items/${pathSegment(id)}`, body: method === 'PUT' ? { data: {}, version: 1 } : undefined });
    }
  }

  // Huge and deep bodies.
  for (const size of [64 * 1024 + 1, 100_000, 1_000_000, 6_000_000]) {
    corpus.push(...bodyRequests({ data: { blob: 'x'.repeat(size) } }));
    corpus.push({ method: 'POST', path: '/items', body: Buffer.from(JSON.stringify({ data: { blob: 'y'.repeat(size) } })).toString('base64'), isBase64Encoded: true });
  }
  corpus.push(...bodyRequests({ data: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])) }));
  corpus.push(...bodyRequests({ data: { list: Array.from({ length: 40_000 }, () => 0) } }));
  for (const depth of [32, 33, 50, 200, 1_000, 3_000]) {
    corpus.push(...bodyRequests({ data: nested(depth) }));
    corpus.push(...bodyRequests({ data: { a: nested(depth, 'x', true) } }));
  }

  // Unicode and control characters the store cannot hold, or that would become a prototype.
  for (const text of ['"\\ud800"', '"\\udfff"', '"a\\ud83d"', '"\\udc00\\ud800"']) {
    corpus.push(...bodyRequests(`{"data":{"s":${text}}}`));
    corpus.push(...bodyRequests(`{"data":{${text}:1}}`));
    corpus.push(...bodyRequests(`{"data":{"list":[${text}]}}`));
  }
  corpus.push(...bodyRequests('{"data":{"__proto__":{"polluted":true}}}'));
  corpus.push(...bodyRequests('{"data":{"a":{"__proto__":{}}}}'));
  corpus.push(...bodyRequests('{"data":{},"__proto__":{"version":1}}'));
  for (const bytes of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x28, 0xa1]]) {
    const body = Buffer.concat([Buffer.from('{"data":{"s":"'), Buffer.from(bytes), Buffer.from('"}}')]).toString('base64');
    corpus.push({ method: 'POST', path: '/items', body, isBase64Encoded: true });
    corpus.push({ method: 'PUT', path: `/items/${EXISTING}`, body, isBase64Encoded: true });
  }

  // Media types.
  for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
    'application/json; charset=latin1', 'application/jsonx', 'text/json', 'application/json, text/plain', '*/*']) {
    corpus.push(...bodyRequests({ data: {} }, { 'Content-Type': contentType }));
  }

  // Forged, altered and foreign pagination tokens; bad limits.
  const tokens = [
    'AAAA.AAAA', `${payload}.${signature.slice(0, -1)}`, `${payload}x.${signature}`, `${payload.slice(1)}.${signature}`,
    `${payload}.${signature}.extra`, `${payload}`, `.${signature}`, validToken.toUpperCase(), validToken + '=', ` ${validToken}`,
    encodePageToken({ versionId: 'unknown-version', key: Buffer.from('0123456789abcdef0123456789abcdef') }, tableName, { id: 'existing-2' }),
    `${Buffer.from(JSON.stringify({ v: 1, k: { id: 'existing-2' } })).toString('base64url')}.${signature}`,
    `${Buffer.from(JSON.stringify({ v: 2, kid: 'x', k: { id: { S: 'x' } } })).toString('base64url')}.${signature}`,
    `${Buffer.from('{"v":1,"k":{"id":"a"},"__proto__":{}}').toString('base64url')}.${signature}`, 'x'.repeat(3000), '%%%', '\u0000',
  ];
  for (const nextToken of tokens) corpus.push({ method: 'GET', path: '/items', query: { nextToken } });
  for (const limit of ['0', '101', '1000', '-5', '1e2', '0x10', ' 5', '5 ', '+5', '5.0', '', 'NaN', 'Infinity', '٣']) {
    corpus.push({ method: 'GET', path: '/items', query: { limit } });
  }

  // Wrong methods and routes.
  for (const method of ['PATCH', 'HEAD', 'TRACE', 'CONNECT', 'PROPFIND', 'get', 'Post', '', 'DELETE ', 'GET\u0000']) {
    corpus.push({ method, path: '/items' }, { method, path: `/items/${EXISTING}`, body: { data: {}, version: 1 } });
  }
  for (const resource of ['collection', 'item'] as const) {
    for (const method of methodsMissingFrom(resource)) corpus.push({ method, path: itemsPath(resource, EXISTING), body: { data: {}, version: 1 } });
  }
  for (const path of ['/', '', '/item', '/itemsx', '/ITEMS', '/items/a/b', '/items/../items', '/v1/items/../../admin', '/admin', '/items//x', '/%2e%2e/items']) {
    corpus.push({ method: 'GET', path, resource: path }, { method: 'POST', path, resource: path, body: { data: {} } });
  }
  // Keys that cannot be stored as sent, at every depth: empty keys and `__proto__`, in objects and inside lists.
  for (const key of ['', '__proto__']) {
    const quoted = JSON.stringify(key);
    for (const data of [`{${quoted}:1}`, `{"a":{${quoted}:1}}`, `{"l":[{${quoted}:1}]}`, `{"l":[[{"x":{${quoted}:null}}]]}`, `{"a":{"b":{"c":{${quoted}:{}}}}}`]) {
      corpus.push({ method: 'POST', path: '/items', body: `{"data":${data}}` });
      corpus.push({ method: 'PUT', path: `/items/${EXISTING}`, body: `{"data":${data},"version":1}` });
    }
  }

  // Ids that are dot segments (or start like one), which URL normalisation would make unreachable.
  for (const id of ['.', '..', '.x', '..x', '...']) corpus.push({ method: 'POST', path: '/items', body: { id, data: {} } });

  // Page tokens that decode to the same bytes but are not canonical base64url, and duplicate parameters.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const group = Math.floor(alphabet.indexOf(signature[42]) / 4) * 4;
  for (const character of alphabet.slice(group, group + 4)) {
    if (character !== signature[42]) corpus.push({ method: 'GET', path: '/items', query: { nextToken: `${payload}.${signature.slice(0, 42)}${character}` } });
  }
  for (const [first, last] of [['5', '0'], ['5', '101'], ['5', 'x'], ['', '-1']]) {
    corpus.push({ method: 'GET', path: '/items', multiQuery: { limit: [first, last] } });
  }
  corpus.push({ method: 'GET', path: '/items', multiQuery: { nextToken: [validToken, 'forged.token'] } });

  // Conditional deletes and idempotency keys the API must refuse.
  for (const version of ['0', '-1', '1.5', 'abc', '', '99999999999999999', ' 1']) corpus.push({ method: 'DELETE', path: `/items/${EXISTING}`, query: { version } });
  for (const ifMatch of ['1', 'W/"1"', '"abc"', '"1', '""', '"1", "2"']) corpus.push({ method: 'DELETE', path: `/items/${EXISTING}`, headers: { 'If-Match': ifMatch } });
  corpus.push({ method: 'DELETE', path: `/items/${EXISTING}`, headers: { 'If-Match': '"7"' } });
  corpus.push({ method: 'DELETE', path: `/items/${EXISTING}`, query: { version: '2' } });
  for (const key of ['', ' ', 'a b', 'é', 'x'.repeat(256), 'tab\there']) {
    corpus.push({ method: 'POST', path: '/items', body: { data: {} }, headers: { 'Idempotency-Key': key } });
  }
  return corpus;
}

/** Every own property name of Object.prototype (constructor, toString, hasOwnProperty, __defineGetter__...) but __proto__. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).filter((name) => name !== '__proto__');
/** The values the SDK's document marshaller treats as type tags when they sit under `constructor.name`. */
const TYPE_TAGS = ['Map', 'Set', 'String', 'Number', 'Boolean', 'Object', 'Array', 'Uint8Array', 'ArrayBuffer', 'Date', 'NumberValue', 'Blob'];

function shapes(name: string, value: unknown): Record<string, unknown>[] {
  return [
    { [name]: value },
    { a: { [name]: value, x: 1 } },
    { list: [{ [name]: value }, [{ [name]: value }]] },
    { deep: { er: { still: [{ [name]: { [name]: value } }] } } },
  ];
}

/**
 * Data a client may store although it looks like machinery: keys named after Object.prototype members with type-tag
 * values, at every depth, and a key as long as a body allows. Every one must be stored and read back exactly.
 */
export function acceptedHostileData(): Record<string, unknown>[] {
  return [
    ...PROTOTYPE_NAMES.flatMap((name) => shapes(name, { name: 'Map' })),
    ...TYPE_TAGS.flatMap((tag) => shapes('constructor', { name: tag })),
    ...PROTOTYPE_NAMES.flatMap((name) => shapes(name, 'plain')),
    { ['k'.repeat(60_000)]: 1 },
    { 'a\u0000b': { '\u202e': ['\ud83d\ude00'] }, '$\'': "$'", '$&': '$`' },
  ];
}

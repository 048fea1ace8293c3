import Ajv from 'ajv-draft-04';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { fromAttributeValue, toAttributeValue } from '../../lambda-src/items/attribute-values';
import { ConfigurationError, loadConfig } from '../../lambda-src/items/config';
import { dispatch, ItemsServices } from '../../lambda-src/items/routes';
import { SigningKeyCache, signingKeyFromSecretString } from '../../lambda-src/items/secret';
import { storabilityViolations } from '../../lambda-src/items/validation';
import { fullJitterBackoff, isTransientDependencyError } from '../../lambda-src/shared/aws-clients';
import { currentTraceContext } from '../../lambda-src/shared/tracing';
import { assertUsableSchema, validateSchema } from '../../src/contract/items';

describe('validateSchema (API Gateway draft-04 subset)', () => {
  test.each([
    [{ type: 'integer' }, 3, []],
    [{ type: 'integer' }, 3.5, ['must be of type integer']],
    [{ type: 'number' }, 3.5, []],
    [{ type: ['string', 'null'] }, null, []],
    [{ type: ['string', 'null'] }, 1, ['must be of type string or null']],
    [{ type: 'object' }, [], ['must be of type object']],
    [{ type: 'array' }, {}, ['must be of type array']],
    [{ enum: [{ a: [1] }, 'x'] }, { a: [1] }, []],
    [{ enum: [{ a: [1] }] }, { a: [2] }, ['must be one of [{"a":[1]}]']],
    [{ minimum: 2, maximum: 4 }, 5, ['must be <= 4']],
    [{ minimum: 2, maximum: 4 }, 1, ['must be >= 2']],
    [{ minLength: 2, maxLength: 2 }, '😀😀', []],
    [{ maxLength: 1 }, 'ab', ['must have at most 1 characters']],
    [{ pattern: '^a+$' }, 'aab', ['must match the pattern ^a+$']],
    [{ minItems: 1 }, [], ['must have at least 1 items']],
    [{ additionalProperties: { type: 'string' } }, { a: 'x', b: 1 }, ['must be of type string']],
  ])('%j against %j', (schema, value, messages) => {
    expect(validateSchema(schema, value).map((v) => v.message)).toEqual(messages);
  });

  test('reports JSON Pointer paths, escaping ~ and /', () => {
    const schema = { type: 'object', properties: { 'a/b': { type: 'object', required: ['c~d'] } } };
    expect(validateSchema(schema, { 'a/b': {} })).toEqual([{ path: '/a~1b/c~0d', message: 'is required' }]);
  });

  test('stops at 20 violations', () => {
    const value = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(validateSchema({ additionalProperties: false }, value)).toHaveLength(20);
  });

  test('a schema with a pattern JavaScript cannot compile is refused', () => {
    expect(() => assertUsableSchema({ properties: { a: { items: { pattern: '(' } } } })).toThrow();
    expect(() => assertUsableSchema({ properties: { a: { pattern: '^[a-z]+$' } } })).not.toThrow();
  });
});

describe('storabilityViolations', () => {
  test('allows ordinary JSON and data nested 31 levels deep, refuses 32', () => {
    const nest = (depth: number) => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
    expect(storabilityViolations({ data: { s: 'text\u0000\n😀', n: -1.5e125, list: [null, true, 'x'] } })).toEqual([]);
    expect(storabilityViolations({ data: nest(31) })).toEqual([]);
    expect(storabilityViolations({ data: nest(32) })).toHaveLength(1);
    expect(storabilityViolations({ data: { list: JSON.parse('['.repeat(31) + ']'.repeat(31)) } })).toHaveLength(1);
  });

  test.each([
    ['a lone surrogate value', { s: '\ud800' }, '/s'],
    ['a lone surrogate key', { ['\udc00']: 1 }, '/?'],
    ['a __proto__ key', JSON.parse('{"__proto__":1}'), '/__proto__'],
    ['a number at 1e126', { n: 1e126 }, '/n'],
    ['a number below 1e-130', { n: -1e-131 }, '/n'],
  ])('refuses %s', (_name, value, path) => {
    expect(storabilityViolations(value)).toEqual([{ path, message: expect.any(String) }]);
  });
});

describe('attribute values outside JSON', () => {
  // JSON has six types (RFC 8259 section 3); anything else reaching the mapping is a bug, never silently stored.
  test.each([[undefined, 'undefined'], [() => 1, 'function'], [BigInt(1), 'bigint']])('%p is a TypeError naming its type', (value, type) => {
    expect(() => toAttributeValue(value)).toThrow(TypeError);
    expect(() => toAttributeValue(value)).toThrow(type);
  });

  test('a binary or set attribute, which the API never writes, is a TypeError when read', () => {
    expect(() => fromAttributeValue({ SS: ['a'] })).toThrow(TypeError);
    expect(() => fromAttributeValue({ B: new Uint8Array([1]) })).toThrow(/attribute value/);
  });
});

describe('configuration', () => {
  const base = { TABLE_NAME: 't', SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s' };

  test('defaults', () => {
    expect(loadConfig(base)).toMatchObject({
      secretCacheTtlMs: 300_000, maxBodyBytes: 65_536, corsAllowedOrigins: [], sdkMaxAttempts: 3, sdkRequestTimeoutMs: 3_000, retryAfterSeconds: 1, itemsPath: 'items',
    });
  });

  test.each([
    [{ TABLE_NAME: '' }, 'TABLE_NAME is not set'],
    [{ SECRET_ARN: ' ' }, 'SECRET_ARN is not set'],
    [{ SECRET_CACHE_TTL_SECONDS: '5m' }, 'SECRET_CACHE_TTL_SECONDS must be a non-negative integer, got "5m"'],
    [{ MAX_BODY_BYTES: '-1' }, 'MAX_BODY_BYTES must be a non-negative integer, got "-1"'],
    [{ ITEM_DATA_SCHEMA: '{' }, 'ITEM_DATA_SCHEMA is not valid JSON'],
    [{ ITEM_DATA_SCHEMA: '[]' }, 'ITEM_DATA_SCHEMA must be a JSON schema object'],
    [{ ITEM_DATA_SCHEMA: '{"pattern":"("}' }, /^ITEM_DATA_SCHEMA is not a usable schema/],
    [{ ITEM_DATA_SCHEMA: '{"properties":{"a":{"oneOf":[]}}}' }, 'ITEM_DATA_SCHEMA is not a usable schema: the keyword "oneOf" at /properties/a'],
    [{ ITEMS_PATH: 'tickets/{id}' }, 'ITEMS_PATH must be one path part, got "tickets/{id}"'],
  ])('%j is refused with a message naming the variable', (overrides, message) => {
    expect(() => loadConfig({ ...base, ...overrides })).toThrow(ConfigurationError);
    expect(() => loadConfig({ ...base, ...overrides })).toThrow(message);
  });

  test.each(['5', 'null', '"x"'])('ITEM_DATA_SCHEMA=%s, JSON but not an object, is refused as no schema object', (raw) => {
    // The oracle: ajv's draft-04 compiler (the one API Gateway models are checked against) refuses each.
    expect(() => new Ajv({ strict: false }).compile(JSON.parse(raw))).toThrow();
    expect(() => loadConfig({ ...base, ITEM_DATA_SCHEMA: raw })).toThrow(ConfigurationError);
    expect(() => loadConfig({ ...base, ITEM_DATA_SCHEMA: raw })).toThrow(/^ITEM_DATA_SCHEMA must be a JSON (schema )?object/);
  });

  test('0 is a setting, not a missing one: no key caching, no stale key, no Retry-After wait', () => {
    // ServerlessService passes secretCacheTtl as whole seconds and accepts Duration.seconds(0); the settings are
    // documented as non-negative integers.
    expect(loadConfig({ ...base, SECRET_CACHE_TTL_SECONDS: '0', SECRET_MAX_STALE_SECONDS: '0', RETRY_AFTER_SECONDS: '0' })).toMatchObject({
      secretCacheTtlMs: 0, secretMaxStaleMs: 0, retryAfterSeconds: 0,
    });
  });

  test('CORS origins are a trimmed comma-separated list', () => {
    expect(loadConfig({ ...base, CORS_ALLOWED_ORIGINS: ' https://a.example , https://b.example,' }).corsAllowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});

describe('dispatch under a renamed items path (ITEMS_PATH=tickets)', () => {
  const config = loadConfig({ TABLE_NAME: 't', SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s', ITEMS_PATH: 'tickets' });
  // OPTIONS and unknown routes are answered before any AWS call, so the routes need nothing but the configuration.
  const services = { config } as ItemsServices;
  const event = (httpMethod: string, resource: string, path: string) =>
    ({ httpMethod, resource, path, headers: {}, pathParameters: resource.endsWith('{id}') ? { id: 'a' } : null }) as unknown as APIGatewayProxyEvent;

  test.each([
    ['/tickets', '/tickets', 'GET, POST, OPTIONS'],
    ['/tickets/{id}', '/tickets/a', 'GET, PUT, DELETE, OPTIONS'],
    ['', '/tickets/a', 'GET, PUT, DELETE, OPTIONS'],
  ])('resource %j, path %j: the preflight of its route', async (resource, path, methods) => {
    const response = await dispatch(event('OPTIONS', resource, path), services, { remainingMs: 1000 });
    expect(response.statusCode).toBe(204);
    expect(response.headers?.['access-control-allow-methods']).toBe(methods);
  });

  test.each([['/items', '/items'], ['/items/{id}', '/items/a'], ['', '/items'], ['', '/ticketsx']])('resource %j, path %j: RouteNotFound naming /tickets', async (resource, path) => {
    await expect(dispatch(event('GET', resource, path), services, { remainingMs: 1000 }))
      .rejects.toMatchObject({ statusCode: 404, code: 'RouteNotFound', message: 'No such route: the API serves /tickets and /tickets/{id}.' });
  });
});

describe('signing key from the secret', () => {
  test('JSON with tokenSigningKey, or the whole string', () => {
    expect(signingKeyFromSecretString('{"tokenSigningKey":"0123456789abcdef"}').toString()).toBe('0123456789abcdef');
    expect(signingKeyFromSecretString('plain-0123456789abcdef').toString()).toBe('plain-0123456789abcdef');
  });

  test('JSON without the field, or a short key, is a configuration error', () => {
    expect(() => signingKeyFromSecretString('{"password":"0123456789abcdef"}')).toThrow('"tokenSigningKey"');
    expect(() => signingKeyFromSecretString('short')).toThrow('shorter than 16');
  });
});

describe('signing key cache while Secrets Manager fails', () => {
  // README (items API, pagination): keys are cached for SECRET_CACHE_TTL_SECONDS; while Secrets Manager fails, a cached
  // key keeps serving for at most SECRET_MAX_STALE_SECONDS past its TTL. Here 300 s and 900 s, on a hand-driven clock.
  const ttlMs = 300_000;
  const maxStaleMs = 900_000;

  test('a key fetched at 0 serves until TTL + stale bound (1,200 s), and no longer', async () => {
    let now = 0;
    let available = true;
    const client = {
      call: async () => {
        if (!available) throw new Error('Secrets Manager is unavailable');
        return { SecretString: JSON.stringify({ tokenSigningKey: 'k'.repeat(32) }), VersionId: 'v1' };
      },
    } as any;
    const cache = new SigningKeyCache(client, 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s', ttlMs, maxStaleMs, () => now);
    expect((await cache.current()).versionId).toBe('v1');
    available = false;
    now = ttlMs + maxStaleMs - 1;
    expect((await cache.current()).versionId).toBe('v1');
    now = ttlMs + maxStaleMs + 1;
    await expect(cache.current()).rejects.toThrow('Secrets Manager is unavailable');
  });
});

describe('retries and tracing helpers', () => {
  test('backoff is jittered below an exponential cap', () => {
    // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a delay below min(cap, base * 2^attempt),
    // with base 50 ms and cap 2 s, worked out by hand per attempt.
    const caps = [50, 100, 200, 400, 800, 1600, 2000, 2000];
    caps.forEach((cap, attempt) => {
      const delays = Array.from({ length: 200 }, () => fullJitterBackoff(attempt));
      for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(cap);
      // Spread over the whole window, not clustered near zero or at the cap.
      expect(Math.max(...delays)).toBeGreaterThan(cap / 2);
    });
    expect(new Set(Array.from({ length: 20 }, () => fullJitterBackoff(5))).size).toBeGreaterThan(1);
  });

  test('only throttling, 5xx, timeouts and network errors count as transient', () => {
    const named = (name: string, extra: object = {}) => Object.assign(new Error('x'), { name }, extra);
    expect(isTransientDependencyError(named('ThrottlingException'))).toBe(true);
    expect(isTransientDependencyError(named('TimeoutError'))).toBe(true);
    expect(isTransientDependencyError(named('Whatever', { $metadata: { httpStatusCode: 502 } }))).toBe(true);
    expect(isTransientDependencyError(named('Error', { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientDependencyError(named('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isTransientDependencyError(named('AccessDeniedException'))).toBe(false);
    expect(isTransientDependencyError('string')).toBe(false);
  });

  test('trace context comes from a sampled _X_AMZN_TRACE_ID only', () => {
    expect(currentTraceContext({ _X_AMZN_TRACE_ID: 'Root=1-a-b;Parent=c;Sampled=1' })).toEqual({ traceId: '1-a-b', parentId: 'c' });
    expect(currentTraceContext({ _X_AMZN_TRACE_ID: 'Root=1-a-b;Parent=c;Sampled=0' })).toBeUndefined();
    // X-Ray tracing header: Sampled=? or no Sampled field leaves the decision open, and Lambda records segments only when
    // the decision is 1 (https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader).
    expect(currentTraceContext({ _X_AMZN_TRACE_ID: 'Root=1-a-b;Parent=c;Sampled=?' })).toBeUndefined();
    expect(currentTraceContext({ _X_AMZN_TRACE_ID: 'Root=1-a-b;Parent=c' })).toBeUndefined();
    expect(currentTraceContext({ _X_AMZN_TRACE_ID: 'Root=1-a-b;Sampled=1' })).toBeUndefined();
    expect(currentTraceContext({})).toBeUndefined();
  });
});

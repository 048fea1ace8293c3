import type { APIGatewayProxyEvent } from 'aws-lambda';
import {
  ITEM_ID_MAX_LENGTH, ITEM_ID_PATTERN, ITEM_VERSION_MAX, JsonSchemaSubset, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, LIST_LIMIT_MIN,
  createItemRequestSchema, updateItemRequestSchema, validateSchema,
} from '../../src/contract/items';
import { HttpError, requestHeader } from '../shared/http';

/** DynamoDB nests documents at most 32 levels deep; `data` sits one level below the item. */
export const MAX_DATA_DEPTH = 31;
/** DynamoDB's number range: magnitudes from 1E-130 to below 1E+126 (9.9999999999999999999999999999999999999E+125). */
const DYNAMODB_MAGNITUDE_LIMIT = 1e126;
const DYNAMODB_MIN_MAGNITUDE = 1e-130;
const MAX_NEXT_TOKEN_LENGTH = 2048;

const itemIdRegex = new RegExp(ITEM_ID_PATTERN);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Strings that cannot be encoded as UTF-8 (DynamoDB stores UTF-8). */
function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

export interface CreateItemRequest {
  readonly id?: string;
  readonly data: Record<string, unknown>;
}

export interface UpdateItemRequest {
  readonly data: Record<string, unknown>;
  readonly version: number;
}

export interface DeleteItemRequest {
  /** The version the client last read; the delete happens only at this version. */
  readonly expectedVersion?: number;
}

export interface ListItemsRequest {
  readonly limit: number;
  readonly nextToken?: string;
}

/** Validators built once per execution environment from the shared API schema. */
export class RequestValidator {
  private readonly createSchema: JsonSchemaSubset;
  private readonly updateSchema: JsonSchemaSubset;

  constructor(private readonly maxBodyBytes: number, dataSchema?: JsonSchemaSubset) {
    this.createSchema = createItemRequestSchema(dataSchema);
    this.updateSchema = updateItemRequestSchema(dataSchema);
  }

  createRequest(event: APIGatewayProxyEvent): CreateItemRequest {
    return this.body(event, this.createSchema) as unknown as CreateItemRequest;
  }

  updateRequest(event: APIGatewayProxyEvent): UpdateItemRequest {
    return this.body(event, this.updateSchema) as unknown as UpdateItemRequest;
  }

  /** Size, media type, UTF-8, JSON syntax (RFC 8259: no byte order mark), storable data and the schema, in that order. */
  private body(event: APIGatewayProxyEvent, schema: JsonSchemaSubset): Record<string, unknown> {
    const contentType = requestHeader(event, 'content-type');
    // RFC 9110 section 5.6.6: the charset is a token or a quoted-string (utf-8 or "utf-8", quotes balanced).
    if (contentType !== undefined && !/^application\/json\s*(;\s*charset\s*=\s*(utf-8|"utf-8")\s*)?$/i.test(contentType.trim())) {
      throw new HttpError(415, 'UnsupportedMediaType', 'Content-Type must be application/json.');
    }
    const bytes = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (bytes.length > this.maxBodyBytes) {
      throw new HttpError(413, 'PayloadTooLarge', `The request body must not exceed ${this.maxBodyBytes} bytes.`);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new HttpError(400, 'ValidationError', 'The request body must be UTF-8.', [{ path: '', message: 'must be UTF-8' }]);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'ValidationError', 'The request body is not valid JSON.', [{ path: '', message: 'must be valid JSON' }]);
    }
    const storable = storabilityViolations(value);
    const violations = storable.length > 0 ? storable : validateSchema(schema, value);
    if (violations.length > 0) {
      throw new HttpError(400, 'ValidationError', 'The request body does not match the schema.', violations);
    }
    return value as Record<string, unknown>;
  }
}

/**
 * What JSON allows but DynamoDB (or a safe round trip) does not: nesting deeper than DynamoDB's limit, numbers outside
 * its range, lone UTF-16 surrogates, empty keys (DynamoDB attribute names are at least one character) and `__proto__`
 * keys (a prototype, not a property, to most JSON consumers). Every other key, `constructor` included, is plain data.
 * Checked before the schema so the schema walk itself is bounded in depth.
 */
export function storabilityViolations(value: unknown): { path: string; message: string }[] {
  const violations: { path: string; message: string }[] = [];
  const visit = (node: unknown, path: string, depth: number): void => {
    if (violations.length > 0) return;
    if (typeof node === 'string') {
      if (!isWellFormed(node)) violations.push({ path, message: 'must be well-formed Unicode' });
    } else if (typeof node === 'number') {
      const magnitude = Math.abs(node);
      if (!Number.isFinite(node) || magnitude >= DYNAMODB_MAGNITUDE_LIMIT || (magnitude !== 0 && magnitude < DYNAMODB_MIN_MAGNITUDE)) {
        violations.push({ path, message: 'must be a number between 1e-130 and 9.99e125 in magnitude' });
      }
    } else if (typeof node === 'object' && node !== null) {
      if (depth > MAX_DATA_DEPTH) {
        violations.push({ path, message: `must not nest deeper than ${MAX_DATA_DEPTH} levels` });
        return;
      }
      // Stryker disable next-line BlockStatement: equivalent, the entries of an array are its indices, names the loop below allows and escapes to themselves
      if (Array.isArray(node)) {
        node.forEach((element, index) => visit(element, `${path}/${index}`, depth + 1));
        return;
      }
      for (const [key, element] of Object.entries(node)) {
        if (key === '' || key === '__proto__' || !isWellFormed(key)) {
          violations.push({ path: `${path}/${isWellFormed(key) ? key : '?'}`, message: 'is not an allowed property name' });
          return;
        }
        visit(element, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
      }
    }
  };
  visit(value, '', 0);
  return violations;
}

/** True for a string that is a valid item id (and so not one of the table's other records). */
export function isItemId(raw: unknown): raw is string {
  return typeof raw === 'string'
    // Stryker disable next-line ConditionalExpression: equivalent, ITEM_ID_PATTERN bounds the length to 128 as well
    && raw.length <= ITEM_ID_MAX_LENGTH
    && itemIdRegex.test(raw);
}

/** The `{id}` path parameter, checked against the same pattern as the create body. */
export function validItemId(raw: string | undefined): string {
  if (!isItemId(raw)) {
    throw new HttpError(400, 'InvalidItemId', `The item id must match ${ITEM_ID_PATTERN}.`);
  }
  return raw;
}

/** `limit` (1..100, default 20) and an opaque `nextToken` from the query string. */
export function listRequest(event: APIGatewayProxyEvent): ListItemsRequest {
  const query = event.queryStringParameters ?? {};
  const rawLimit = query.limit;
  let limit = LIST_LIMIT_DEFAULT;
  if (rawLimit !== undefined) {
    limit = /^[0-9]{1,3}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= LIST_LIMIT_MIN && limit <= LIST_LIMIT_MAX)) {
      throw new HttpError(400, 'InvalidLimit', `limit must be an integer from ${LIST_LIMIT_MIN} to ${LIST_LIMIT_MAX}.`);
    }
  }
  const nextToken = query.nextToken;
  if (nextToken !== undefined && (nextToken.length === 0 || nextToken.length > MAX_NEXT_TOKEN_LENGTH)) {
    throw new HttpError(400, 'InvalidNextToken', 'nextToken is not a token this API issued.');
  }
  return { limit, nextToken };
}

const VERSION_TEXT = /^[1-9][0-9]{0,15}$/;

function parsedVersion(text: string): number | undefined {
  const version = VERSION_TEXT.test(text) ? Number(text) : NaN;
  return version >= 1 && version <= ITEM_VERSION_MAX ? version : undefined;
}

function invalidExpectedVersion(): HttpError {
  return new HttpError(400, 'InvalidVersion', 'If-Match must be a quoted version ("3") or *, and ?version= a version from 1; they must agree.');
}

/**
 * The expected version of `DELETE /items/{id}`: `If-Match: "<version>"` (an entity tag, as `ETag` carries it) or
 * `?version=<version>`; `If-Match: *` means any version. Both may be given only when they agree.
 */
export function deleteRequest(event: APIGatewayProxyEvent): DeleteItemRequest {
  const ifMatch = requestHeader(event, 'if-match')?.trim();
  const queryVersion = event.queryStringParameters?.version;
  let fromHeader: number | undefined;
  if (ifMatch !== undefined && ifMatch !== '*') {
    const tag = /^"([^"]*)"$/.exec(ifMatch);
    fromHeader = tag ? parsedVersion(tag[1]) : undefined;
    if (fromHeader === undefined) throw invalidExpectedVersion();
  }
  let fromQuery: number | undefined;
  if (queryVersion !== undefined && queryVersion !== null) {
    fromQuery = parsedVersion(queryVersion);
    if (fromQuery === undefined) throw invalidExpectedVersion();
  }
  if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) throw invalidExpectedVersion();
  return { expectedVersion: fromHeader ?? fromQuery };
}

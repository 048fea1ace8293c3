import { createHmac, timingSafeEqual } from 'node:crypto';
import { ITEM_ID_PATTERN } from '../../src/items-contract';
import { HttpError } from '../shared/http';

/** The Scan position a page ends at: the table's key, `{ id }`. */
export interface PageKey {
  readonly id: string;
}

const TOKEN_FORMAT = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/;
const itemIdRegex = new RegExp(ITEM_ID_PATTERN);

function invalidToken(): HttpError {
  return new HttpError(400, 'InvalidNextToken', 'nextToken is not a token this API issued.');
}

function signature(key: Buffer, scope: string, payload: string): Buffer {
  return createHmac('sha256', key).update(scope).update('\n').update(payload).digest();
}

/**
 * Opaque pagination tokens: `base64url(payload).base64url(HMAC-SHA256)`. The signature covers a scope (the table), so
 * clients cannot forge a start key or replay a token against another table, and the Scan only ever starts at a key
 * this API handed out.
 */
export function encodePageToken(key: Buffer, scope: string, pageKey: PageKey): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, k: { id: pageKey.id } })).toString('base64url');
  return `${payload}.${signature(key, scope, payload).toString('base64url')}`;
}

/** The page key inside a token; a forged, altered or foreign token is a 400. */
export function decodePageToken(key: Buffer, scope: string, token: string): PageKey {
  const match = TOKEN_FORMAT.exec(token);
  if (!match) throw invalidToken();
  const [, payload, givenSignature] = match;
  const given = Buffer.from(givenSignature, 'base64url');
  const expected = signature(key, scope, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidToken();
  let decoded: { v?: unknown; k?: { id?: unknown } };
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken();
  }
  const id = decoded?.k?.id;
  if (decoded?.v !== 1 || typeof id !== 'string' || !itemIdRegex.test(id)) throw invalidToken();
  return { id };
}

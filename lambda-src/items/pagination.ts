import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIdempotencyRecordId } from './idempotency';
import { isItemId } from './validation';
import { HttpError } from '../shared/http';

/** The Scan position a page ends at: the table's key, `{ id }`. */
export interface PageKey {
  readonly id: string;
}

/** A token signing key and the id of the secret version it came from. */
export interface SigningKey {
  readonly versionId: string;
  readonly key: Buffer;
}

/** A token's parts, checked for shape but not yet for its signature. */
export interface ParsedPageToken {
  /** The secret version the token says signed it; only its signature proves it. */
  readonly versionId: string;
  readonly pageKey: PageKey;
  readonly payload: string;
  readonly signature: Buffer;
}

const TOKEN_FORMAT = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/;
const VERSION_ID_FORMAT = /^[A-Za-z0-9_-]{1,64}$/;

function invalidToken(): HttpError {
  return new HttpError(400, 'InvalidNextToken', 'nextToken is not a token this API issued.');
}

function signature(key: Buffer, scope: string, payload: string): Buffer {
  return createHmac('sha256', key).update(scope).update('\n').update(payload).digest();
}

/** Decodes base64url only in its canonical form: text whose unused low bits are not zero is a different token. */
function canonicalBase64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/**
 * Opaque pagination tokens: `base64url(payload).base64url(HMAC-SHA256)`. The payload names the secret version whose
 * key signed it, so a token outlives one rotation; the signature covers a scope (the table), so clients cannot forge a
 * start key or replay a token against another table, and the Scan only ever starts at a key this API handed out.
 */
export function encodePageToken(signingKey: SigningKey, scope: string, pageKey: PageKey): string {
  const payload = Buffer.from(JSON.stringify({ v: 2, kid: signingKey.versionId, k: { id: pageKey.id } })).toString('base64url');
  return `${payload}.${signature(signingKey.key, scope, payload).toString('base64url')}`;
}

/** The parts of a well-formed token; anything else is a 400. */
export function parsePageToken(token: string): ParsedPageToken {
  const match = TOKEN_FORMAT.exec(token);
  if (!match) throw invalidToken();
  const [, payload, givenSignature] = match;
  const payloadBytes = canonicalBase64url(payload);
  const signatureBytes = canonicalBase64url(givenSignature);
  if (!payloadBytes || !signatureBytes) throw invalidToken();
  let decoded: { v?: unknown; kid?: unknown; k?: { id?: unknown } };
  try {
    decoded = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    throw invalidToken();
  }
  const id = decoded?.k?.id;
  const versionId = decoded?.kid;
  if (decoded?.v !== 2 || typeof versionId !== 'string' || !VERSION_ID_FORMAT.test(versionId)) throw invalidToken();
  if (!isItemId(id) && !isIdempotencyRecordId(id)) throw invalidToken();
  return { versionId, pageKey: { id: id as string }, payload, signature: signatureBytes };
}

/** The page key of a parsed token signed with `key`; a forged, altered or foreign token is a 400. */
export function verifyPageToken(token: ParsedPageToken, key: Buffer | undefined, scope: string): PageKey {
  if (!key) throw invalidToken();
  const expected = signature(key, scope, token.payload);
  if (token.signature.length !== expected.length || !timingSafeEqual(token.signature, expected)) throw invalidToken();
  return token.pageKey;
}

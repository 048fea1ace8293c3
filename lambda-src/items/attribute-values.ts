import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * JSON values to DynamoDB attribute values and back, for the client's `data`. The SDK's document marshaller reads an
 * object's `constructor.name` as a type tag (a client key `constructor: {name: "Map"}` makes it call `entries()`, and
 * `"String"` stores `[object Object]`); this mapping knows only JSON's six types, so any key a client sends is data.
 */
export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  // Client numbers are JSON doubles: stored as their shortest decimal form, read back as the same double.
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  if (typeof value === 'object') {
    return { M: Object.fromEntries(Object.entries(value).map(([key, element]) => [key, toAttributeValue(element)])) };
  }
  throw new TypeError(`not a JSON value: ${typeof value}`);
}

/** The JSON value an attribute value holds; `Object.fromEntries` defines every key as an own property, whatever its name. */
export function fromAttributeValue(attribute: AttributeValue): unknown {
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.NULL !== undefined) return null;
  if (attribute.L !== undefined) return attribute.L.map(fromAttributeValue);
  if (attribute.M !== undefined) {
    return Object.fromEntries(Object.entries(attribute.M).map(([key, element]) => [key, fromAttributeValue(element)]));
  }
  throw new TypeError('not an attribute value this API writes');
}

/**
 * DynamoDB's billing model, applied to the attribute values a request carried or a response returned
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
 */

/** A DynamoDB JSON attribute value as it travels on the wire. */
export type WireValue = { readonly [type: string]: unknown };
export type WireItem = { readonly [name: string]: WireValue };

const READ_UNIT_BYTES = 4 * 1024;
const WRITE_UNIT_BYTES = 1024;

/** Bytes of a number as DynamoDB stores it: about one byte per two significant digits, plus one. */
function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Size of one attribute value in bytes. */
export function valueSize(value: WireValue): number {
  const [type, raw] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S': return Buffer.byteLength(raw as string, 'utf8');
    case 'N': return numberSize(raw as string);
    case 'B': return Buffer.from(raw as string, 'base64').length;
    case 'BOOL':
    case 'NULL': return 1;
    case 'SS': return (raw as string[]).reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
    case 'NS': return (raw as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS': return (raw as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    // Lists and maps: 3 bytes of overhead plus 1 byte per element, plus the elements (and map keys).
    case 'L': return 3 + (raw as WireValue[]).reduce((sum, v) => sum + 1 + valueSize(v), 0);
    case 'M': return 3 + Object.entries(raw as WireItem).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k, 'utf8') + valueSize(v), 0);
    default: throw new Error(`valueSize: unknown attribute type ${type}`);
  }
}

/** Size of an item: the UTF-8 length of each attribute name plus the size of its value. */
export function itemSize(item: WireItem): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueSize(value), 0);
}

/** Read capacity units for reading `bytes` (one item, or the sum of the items a Scan or Query page read). */
export function readUnits(bytes: number, stronglyConsistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
  return stronglyConsistent ? units : units / 2;
}

/** Write capacity units for writing an item of `bytes` (an update or delete bills the larger of old and new). */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
}

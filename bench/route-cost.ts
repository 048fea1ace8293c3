import type { ObservedCall } from './capacity-proxy';
import { itemSize, readUnits, writeUnits } from './dynamodb-cost';
import { formatNumber, markdownTable } from './stats';

/**
 * What each items route costs in DynamoDB, from the calls the counting proxy saw (bench/capacity-proxy.ts), against the
 * minimum for its items; and the report section.
 */

/** The routes the cost scenario exercises (bench/children/cost-scenario.ts). */
export const ROUTES = ['create', 'get', 'update', 'list', 'delete'] as const;

/** Per route: the calls the handler made, what DynamoDB bills for them and the minimum for the same items. */
export function costPerRoute(calls: readonly ObservedCall[], itemCount: number, itemData: Record<string, unknown>) {
  // The item as clients see it (the handler also stores the id of its last write beside it).
  const now = new Date().toISOString();
  const clientItemBytes = itemSize(marshallForSize({ id: 'cost-0000', data: itemData, version: 1, createdAt: now, updatedAt: now }));
  return Object.fromEntries(ROUTES.map((route) => {
    const routeCalls = calls.filter((c) => c.route === route);
    const perRequest = route === 'list' ? 1 : itemCount;
    const dynamoCalls = routeCalls.filter((c) => c.unitKind !== 'none');
    const unitKind = route === 'get' || route === 'list' ? 'RCU' : 'WCU';
    // Reads and writes are billed in different units: the route's own kind is compared with the minimum, the other
    // kind (e.g. the read before a retry-safe delete) is reported beside it.
    const unitsOf = (kind: string) => dynamoCalls.filter((c) => c.unitKind === kind).reduce((sum, c) => sum + c.billedUnits, 0) / perRequest;
    const units = unitsOf(unitKind);
    const otherKind = unitKind === 'RCU' ? 'WCU' : 'RCU';
    const otherUnits = unitsOf(otherKind);
    const bytes = dynamoCalls.reduce((sum, c) => sum + c.bytes, 0) / perRequest;
    const describe = (c: ObservedCall) => c.unitKind === 'none'
      ? `${c.operation} (not DynamoDB: ${routeCalls.filter((o) => o.operation === c.operation).length} in ${perRequest} request(s), cached)`
      : `${c.operation}${c.consistentRead ? ' (strongly consistent)' : ''}${c.conditional ? ' (conditional)' : ''}`;
    const operations = [...new Set(routeCalls.map(describe))];
    const emulator = dynamoCalls.filter((c) => c.emulatorUnits !== undefined);
    const pageItems = Math.min(itemCount, 20);
    // The least any implementation pays for the route's effect on items of this size.
    const minimum = route === 'get'
      ? { any: readUnits(clientItemBytes, false), sameConsistency: readUnits(clientItemBytes, true) }
      : route === 'list'
        ? { any: readUnits(clientItemBytes * pageItems, false), sameConsistency: readUnits(clientItemBytes * pageItems, false) }
        : { any: writeUnits(clientItemBytes), sameConsistency: writeUnits(clientItemBytes) };
    return [route, {
      callsPerRequest: dynamoCalls.length / perRequest,
      operations,
      unitKind,
      billedUnits: units,
      otherUnits: otherUnits > 0 ? `${otherUnits} ${otherKind}` : undefined,
      bytesPerRequest: Math.round(bytes),
      minimumSameConsistency: minimum.sameConsistency,
      minimumAnyConsistency: minimum.any,
      emulatorReportedUnits: emulator.length ? emulator.reduce((sum, c) => sum + (c.emulatorUnits ?? 0), 0) / perRequest : undefined,
      pageItems: route === 'list' ? pageItems : undefined,
      clientItemBytes,
    }];
  })) as RouteCosts;
}

/** Per route: DynamoDB calls per request, billed units and the minimum. */
export type RouteCosts = Record<(typeof ROUTES)[number], {
  callsPerRequest: number;
  operations: string[];
  unitKind: string;
  billedUnits: number;
  otherUnits?: string;
  bytesPerRequest: number;
  minimumSameConsistency: number;
  minimumAnyConsistency: number;
  emulatorReportedUnits?: number;
  pageItems?: number;
  clientItemBytes: number;
}>;

/** DynamoDB JSON of a plain object, only as far as item sizes need it. */
function marshallForSize(value: Record<string, unknown>): Record<string, { [type: string]: unknown }> {
  const marshall = (v: unknown): { [type: string]: unknown } => {
    if (typeof v === 'string') return { S: v };
    if (typeof v === 'number') return { N: String(v) };
    if (typeof v === 'boolean') return { BOOL: v };
    if (Array.isArray(v)) return { L: v.map(marshall) };
    if (v && typeof v === 'object') return { M: marshallForSize(v as Record<string, unknown>) };
    return { NULL: true };
  };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marshall(v)]));
}

/** The report's DynamoDB cost section. */
export function routeCostSection(perRoute: RouteCosts, costItems: number): string {
  const f = formatNumber;
  return [
    '## DynamoDB cost per request (billing model applied to the calls the handler made, seen through a counting proxy)',
    '',
    `Each route exercised ${costItems} times with a representative item; the proxy in front of moto records every call, ` +
    'its consistency and condition, and the bytes read or written, and applies DynamoDB\'s billing model (reads: 4 KB units, ' +
    'halved when eventually consistent; writes: 1 KB units of the larger of old and new item). moto answers ' +
    '`ReturnConsumedCapacity: TOTAL` with fixed values, not sized ones, shown for reference. Minimum = the least any ' +
    `implementation pays for the item as clients see it (${perRoute.get.clientItemBytes} B; the handler stores ` +
    'the id of its last write beside it, which makes retried writes idempotent).',
    '',
    markdownTable(['route', 'DynamoDB calls', 'operations', 'handler pays', 'minimum, same consistency', 'minimum, any consistency', 'moto reports'], ROUTES.map((route) => {
      const c = perRoute[route];
      return [
        route === 'list' ? `list (page of ${c.pageItems})` : route, f(c.callsPerRequest), c.operations.join(', '),
        `${f(c.billedUnits)} ${c.unitKind}${c.otherUnits ? ` + ${c.otherUnits}` : ''} (${c.bytesPerRequest} B)`, `${f(c.minimumSameConsistency)} ${c.unitKind}`, `${f(c.minimumAnyConsistency)} ${c.unitKind}`,
        c.emulatorReportedUnits === undefined ? 'n/a' : f(c.emulatorReportedUnits),
      ];
    })),
  ].join('\n');
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ts from 'typescript';

/**
 * The documented defaults of the props, read from their `@default` doc comments (what users read in API.md), so a
 * feature's defaults module can be compared with them: the documentation is the oracle, the code must follow it.
 */

const root = join(__dirname, '..', '..');

/** The `@default` text of each property of interface `interfaceName` declared in `file` (a path from the repository root). */
export function documentedDefaults(file: string, interfaceName: string): Record<string, string> {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const declaration = source.statements
    .find((statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === interfaceName);
  if (!declaration) throw new Error(`${file} declares no interface ${interfaceName}`);
  const defaults: Record<string, string> = {};
  for (const member of declaration.members) {
    const tag = ts.getJSDocTags(member).find((candidate) => candidate.tagName.text === 'default');
    if (member.name && tag) defaults[member.name.getText(source)] = (ts.getTextOfJSDocComment(tag.comment) ?? '').trim();
  }
  return defaults;
}

/** What a `@default` may name besides literals; a test adds the library's own types (e.g. `TableCapacity`). */
const CDK_NAMES: Record<string, unknown> = { Duration, Size, RemovalPolicy, apigw, lambda, logs };

/**
 * A `@default` that states a value: a literal (`512`, `0.8`, `true`, `'index.handler'`) or an expression
 * (`Duration.seconds(10)`, `lambda.Architecture.ARM_64`), optionally followed by an explanation in parentheses.
 * Anything else (`- none`, `- 100 requests per second, bursts of 200`) is prose.
 */
const VALUE = /^(?<expression>-?\d+(?:\.\d+)?|true|false|'[^']*'|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\((?<args>[^)]*)\))?)(?:\s+\(.*\))?$/;

/** Whether a `@default` text states a value (rather than prose). */
export function statesValue(text: string): boolean {
  return VALUE.test(text);
}

function literal(text: string): unknown {
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^'[^']*'$/.test(text)) return text.slice(1, -1);
  return undefined;
}

/** The value a `@default` text states, evaluated against aws-cdk-lib and `names`. */
export function documentedValue(text: string, names: Record<string, unknown> = {}): unknown {
  const match = VALUE.exec(text);
  if (!match) throw new Error(`@default ${text} states no value`);
  const expression = match.groups!.expression.replace(/\(.*\)$/, '');
  const plain = literal(expression);
  if (plain !== undefined) return plain;
  const [first, ...path] = expression.split('.');
  const scope = { ...CDK_NAMES, ...names };
  if (!(first in scope)) throw new Error(`@default ${text}: ${first} is unknown to the test; pass it in names`);
  let owner: any = undefined;
  let value: any = scope[first];
  for (const part of path) {
    owner = value;
    value = value?.[part];
    if (value === undefined) throw new Error(`@default ${text}: ${part} does not exist`);
  }
  if (match.groups!.args === undefined) return value;
  const args = match.groups!.args.split(',').map((arg) => arg.trim()).filter((arg) => arg !== '').map(literal);
  return value.apply(owner, args);
}

/** A value as compared: durations in milliseconds, sizes in bytes, anything else as it is. */
export function comparable(value: unknown): unknown {
  if (value instanceof Duration) return `${value.toMilliseconds()} ms`;
  if (value instanceof Size) return `${value.toBytes()} bytes`;
  return value;
}

/** What a default's row is compared with besides the defaults module. */
export interface DefaultRowOptions {
  /** Names a `@default` may use besides aws-cdk-lib's (e.g. `{ TableCapacity }`). */
  readonly names?: Record<string, unknown>;
  /** Documented values the defaults module does not hold, each with the reason; each must be a documented value. */
  readonly appliedElsewhere?: Record<string, string>;
}

/**
 * Each `@default` of `interfaceName` that states a value, paired with `defaults`' entry of the same name, as
 * `[property, documented, coded]` rows for `test.each`; a documented value without an entry (or an entry without a
 * documented value) gets `undefined` on its side, so the row fails.
 */
export function defaultRows(file: string, interfaceName: string, defaults: object, options: DefaultRowOptions = {}): [string, unknown, unknown][] {
  const documented = Object.entries(documentedDefaults(file, interfaceName)).filter(([, text]) => statesValue(text));
  const texts = Object.fromEntries(documented);
  const elsewhere = Object.keys(options.appliedElsewhere ?? {});
  const undocumented = elsewhere.filter((property) => !(property in texts));
  if (undocumented.length > 0) throw new Error(`${interfaceName}: ${undocumented.join(', ')} states no documented value`);
  const properties = [...new Set([...documented.map(([property]) => property), ...Object.keys(defaults)])]
    .filter((property) => !elsewhere.includes(property)).sort();
  return properties.map((property) => [
    property,
    property in texts ? comparable(documentedValue(texts[property], options.names)) : undefined,
    comparable((defaults as Record<string, unknown>)[property]),
  ]);
}

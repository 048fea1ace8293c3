import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The public API as the other languages see it: the `.jsii` assembly written by `npx projen compile`.
 * `any` becomes `Object` in Java and `object` in C#/Python, losing all type checking for users of those languages,
 * and a name that is a keyword of a target language gets mangled (or breaks) in its bindings.
 */

/** Python 3 keywords (`keyword.kwlist`) plus the soft keywords a parameter name must not shadow. */
const PYTHON_KEYWORDS = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'self', 'cls',
];

/** Java keywords and reserved literals (JLS §3.9, §3.10.3). */
const JAVA_KEYWORDS = [
  'abstract', 'assert', 'boolean', 'break', 'byte', 'case', 'catch', 'char', 'class', 'const', 'continue', 'default',
  'do', 'double', 'else', 'enum', 'extends', 'final', 'finally', 'float', 'for', 'goto', 'if', 'implements', 'import',
  'instanceof', 'int', 'interface', 'long', 'native', 'new', 'package', 'private', 'protected', 'public', 'return',
  'short', 'static', 'strictfp', 'super', 'switch', 'synchronized', 'this', 'throw', 'throws', 'transient', 'try',
  'void', 'volatile', 'while', 'true', 'false', 'null', '_',
];

/** C# keywords (not the contextual ones). */
const CSHARP_KEYWORDS = [
  'abstract', 'as', 'base', 'bool', 'break', 'byte', 'case', 'catch', 'char', 'checked', 'class', 'const', 'continue',
  'decimal', 'default', 'delegate', 'do', 'double', 'else', 'enum', 'event', 'explicit', 'extern', 'false', 'finally',
  'fixed', 'float', 'for', 'foreach', 'goto', 'if', 'implicit', 'in', 'int', 'interface', 'internal', 'is', 'lock',
  'long', 'namespace', 'new', 'null', 'object', 'operator', 'out', 'override', 'params', 'private', 'protected',
  'public', 'readonly', 'ref', 'return', 'sbyte', 'sealed', 'short', 'sizeof', 'stackalloc', 'static', 'string',
  'struct', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'uint', 'ulong', 'unchecked', 'unsafe', 'ushort',
  'using', 'virtual', 'void', 'volatile', 'while',
];

/** Go keywords (The Go Programming Language Specification, "Keywords"). */
const GO_KEYWORDS = [
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
];

const KEYWORDS: Record<string, ReadonlySet<string>> = {
  'Python': new Set(PYTHON_KEYWORDS),
  'Java': new Set(JAVA_KEYWORDS),
  'C#': new Set(CSHARP_KEYWORDS),
  'Go': new Set(GO_KEYWORDS),
};

/** The subset of the jsii spec (`@jsii/spec`) this test walks. */
interface TypeReference {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly elementtype: TypeReference };
  readonly union?: { readonly types: TypeReference[] };
  readonly intersection?: { readonly types: TypeReference[] };
}
interface Docs { readonly summary?: string; readonly default?: string }
interface Parameter { readonly name: string; readonly type: TypeReference }
interface Callable {
  readonly name?: string;
  readonly parameters?: Parameter[];
  readonly returns?: { readonly type: TypeReference };
  readonly docs?: Docs;
}
interface Property { readonly name: string; readonly type: TypeReference; readonly optional?: boolean; readonly docs?: Docs }
interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'enum';
  /** A struct (a data-only interface). */
  readonly datatype?: boolean;
  readonly docs?: Docs;
  readonly initializer?: Callable;
  readonly methods?: Callable[];
  readonly properties?: Property[];
  readonly members?: { readonly name: string; readonly docs?: Docs }[];
}
interface Assembly { readonly name: string; readonly types?: Record<string, JsiiType> }

/** A public type position or name, e.g. `SecureTableProps.partitionKey` or `SecureTableGrants.readData(grantee)`. */
interface Usage { readonly where: string; readonly name: string; readonly type?: TypeReference }

function usagesOf(assembly: Assembly): Usage[] {
  const usages: Usage[] = [];
  for (const type of Object.values(assembly.types ?? {})) {
    usages.push({ where: type.fqn, name: type.name });
    for (const member of type.members ?? []) {
      usages.push({ where: `${type.name}.${member.name}`, name: member.name });
    }
    for (const property of type.properties ?? []) {
      usages.push({ where: `${type.name}.${property.name}`, name: property.name, type: property.type });
    }
    const callables = [...(type.initializer ? [{ ...type.initializer, name: 'constructor' }] : []), ...(type.methods ?? [])];
    for (const callable of callables) {
      const where = `${type.name}.${callable.name}`;
      if (callable.name !== 'constructor') usages.push({ where, name: callable.name! });
      if (callable.returns) usages.push({ where: `${where}() returns`, name: callable.name!, type: callable.returns.type });
      for (const parameter of callable.parameters ?? []) {
        usages.push({ where: `${where}(${parameter.name})`, name: parameter.name, type: parameter.type });
      }
    }
  }
  return usages;
}

function containsAny(type: TypeReference): boolean {
  if (type.primitive === 'any') return true;
  if (type.collection) return containsAny(type.collection.elementtype);
  const members = type.union?.types ?? type.intersection?.types ?? [];
  return members.some(containsAny);
}

/** Every public type position typed `any` (alone, in a collection or in a union). */
function anyTypedUsages(assembly: Assembly): string[] {
  return usagesOf(assembly).filter((u) => u.type && containsAny(u.type)).map((u) => u.where);
}

/** Every public name that is a keyword of a target language, with the languages. */
function reservedWordUsages(assembly: Assembly): string[] {
  return usagesOf(assembly).flatMap((u) => {
    const languages = Object.entries(KEYWORDS).filter(([, words]) => words.has(u.name)).map(([language]) => language);
    return languages.length > 0 ? [`${u.where}: "${u.name}" is a keyword in ${languages.join(', ')}`] : [];
  });
}

/** Every public type, property, method and enum member without a summary, and every optional struct field without a `@default`. */
function undocumented(assembly: Assembly): string[] {
  const missing: string[] = [];
  for (const type of Object.values(assembly.types ?? {})) {
    if (!type.docs?.summary) missing.push(`${type.name}: no summary`);
    for (const member of [...(type.properties ?? []), ...(type.methods ?? []), ...(type.members ?? [])]) {
      if (!member.docs?.summary) missing.push(`${type.name}.${member.name}: no summary`);
    }
    for (const property of type.datatype ? type.properties ?? [] : []) {
      if (property.optional && !property.docs?.default) missing.push(`${type.name}.${property.name}: optional without @default`);
    }
  }
  return missing;
}

function loadAssembly(): Assembly {
  const file = join(__dirname, '..', '.jsii');
  if (!existsSync(file)) {
    throw new Error('.jsii is missing: run "npx projen compile" before this test (npx projen build does).');
  }
  const assembly = JSON.parse(readFileSync(file, 'utf8'));
  if (assembly.schema === 'jsii/file-redirect') {
    throw new Error('.jsii is a compressed redirect; compile without jsii.compressAssembly.');
  }
  return assembly;
}

describe('the public API in the jsii assembly', () => {
  const assembly = loadAssembly();

  test('is this library\'s assembly and has its constructs', () => {
    expect(assembly.name).toBe('cdk-secure-serverless');
    expect(Object.keys(assembly.types ?? {})).toEqual(expect.arrayContaining([
      'cdk-secure-serverless.SecureTable', 'cdk-secure-serverless.SecureTableProps', 'cdk-secure-serverless.DeploymentStage',
    ]));
    // Some property, parameter and return positions are walked (an empty walk would pass vacuously).
    expect(usagesOf(assembly).filter((u) => u.type).length).toBeGreaterThan(100);
  });

  test('types no property, parameter or return value as any (Object in Java)', () => {
    expect(anyTypedUsages(assembly)).toEqual([]);
  });

  test('uses no keyword of Python, Java, C# or Go as a name', () => {
    expect(reservedWordUsages(assembly)).toEqual([]);
  });

  test('documents every type, property, method and enum member, and every optional struct field\'s default', () => {
    expect(undocumented(assembly)).toEqual([]);
  });
});

describe('the assembly checks', () => {
  const sample: Assembly = {
    name: 'sample',
    types: {
      'sample.Props': {
        fqn: 'sample.Props',
        name: 'Props',
        kind: 'interface',
        datatype: true,
        properties: [
          { name: 'loose', type: { primitive: 'any' } },
          { name: 'looseList', type: { collection: { elementtype: { primitive: 'any' } } } },
          { name: 'typed', optional: true, type: { union: { types: [{ primitive: 'string' }, { fqn: 'sample.Thing' }] } } },
          { name: 'default', type: { primitive: 'string' } },
        ],
      },
      'sample.Thing': {
        fqn: 'sample.Thing',
        name: 'Thing',
        kind: 'class',
        initializer: { parameters: [{ name: 'base', type: { primitive: 'string' } }] },
        methods: [
          { name: 'range', parameters: [{ name: 'lambda', type: { union: { types: [{ primitive: 'number' }, { primitive: 'any' }] } } }] },
          { name: 'toJson', returns: { type: { primitive: 'any' } } },
        ],
      },
      'sample.Kind': { fqn: 'sample.Kind', name: 'Kind', kind: 'enum', members: [{ name: 'STRUCT' }, { name: 'var' }] },
    },
  };

  test('find undocumented members and optional struct fields without a default', () => {
    expect(undocumented(sample)).toEqual([
      'Props: no summary', 'Props.loose: no summary', 'Props.looseList: no summary', 'Props.typed: no summary', 'Props.default: no summary',
      'Props.typed: optional without @default',
      'Thing: no summary', 'Thing.range: no summary', 'Thing.toJson: no summary',
      'Kind: no summary', 'Kind.STRUCT: no summary', 'Kind.var: no summary',
    ]);
  });

  test('find any in properties, collections, unions, parameters and return values', () => {
    expect(anyTypedUsages(sample)).toEqual([
      'Props.loose', 'Props.looseList', 'Thing.range(lambda)', 'Thing.toJson() returns',
    ]);
  });

  test('find keywords of each target language in property, parameter, method and enum member names', () => {
    expect(reservedWordUsages(sample)).toEqual([
      'Props.default: "default" is a keyword in Java, C#, Go',
      'Thing.constructor(base): "base" is a keyword in C#',
      'Thing.range: "range" is a keyword in Go',
      'Thing.range(lambda): "lambda" is a keyword in Python',
      'Kind.var: "var" is a keyword in Go',
    ]);
  });
});

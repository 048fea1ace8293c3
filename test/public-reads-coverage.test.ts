import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { buildExampleApp } from '../examples/service-app';
import { ApiAuthorization, DeploymentStage, ServerlessService } from '../src';
import {
  bucketGrantsReads, readApi, readAuthorization, readBucket, readCapacity, readFunction, readProtection, readService, readStage, readTable,
  tableGrantsReads,
} from './languages/public-reads';

/**
 * The consumer apps in Python, Java and Go read what test/languages/public-reads.ts reads, and `test:languages`
 * compares their reads with TypeScript's. This test holds that list against the jsii assembly (the API the other
 * languages get), so a public getter or method added later is read in every language or named below with a reason.
 */

/** Members the apps do not read, and why. */
const NOT_READ: Record<string, string> = {
  'ArtifactBucketGrants.read': 'adds a policy to the grantee: changes the construct tree',
  'ArtifactBucketGrants.readWrite': 'adds a policy to the grantee: changes the construct tree',
  'EncryptedFunction.addToRolePolicy': 'adds a policy to the role: changes the construct tree',
  'EncryptedFunction.grantInvoke': 'adds a permission: changes the construct tree',
  'SecureTableGrants.actions': 'adds a policy to the grantee: changes the construct tree',
  'SecureTableGrants.readData': 'adds a policy to the grantee: changes the construct tree',
  'SecureTableGrants.readWriteData': 'adds a policy to the grantee: changes the construct tree',
  'SecureTableGrants.streamRead': 'adds a policy to the grantee: changes the construct tree',
  'ValidatedRestApi.addRoute': 'adds resources and a method: changes the construct tree',
  'ValidatedRestApi.grantInvoke': 'adds a policy to the grantee: changes the construct tree',
  'StackProtection.protect': 'creates a construct: changes the construct tree',
  'ApiAuthorization.cognito': 'needs a user pool, which the reference stacks do not have',
  'TableCapacity.onDemand': 'a factory: the capacities it makes are read through the stage presets\' table.capacity',
  'TableCapacity.provisioned': 'a factory: the capacities it makes are read through the stage presets\' table.capacity',
};

interface AssemblyMember { readonly name: string; readonly static?: boolean }
interface AssemblyClass { readonly kind: string; readonly name: string; readonly properties?: AssemblyMember[]; readonly methods?: AssemblyMember[] }

function assemblyClasses(): AssemblyClass[] {
  const file = join(__dirname, '..', '.jsii');
  if (!existsSync(file)) throw new Error('.jsii is missing: run "npx projen compile" before this test (npx projen build does).');
  const types: Record<string, AssemblyClass> = JSON.parse(readFileSync(file, 'utf8')).types;
  return Object.values(types).filter((type) => type.kind === 'class');
}

/** `object` behind a proxy that records each member name read from it; methods run on the object itself, unrecorded. */
function recording<T extends object>(object: T, names: Set<string>): T {
  return new Proxy(object, {
    get(target, key) {
      if (typeof key === 'string') names.add(key);
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The instance members each reader of public-reads.ts reads, by class name. */
function instanceReads(): Record<string, Set<string>> {
  const app = new App();
  const { prod } = buildExampleApp(app, { env: { account: '123456789012', region: 'us-east-1' } });
  const service = prod.node.findChild('Orders') as ServerlessService;
  const stack = Stack.of(service);
  const readers: Record<string, (names: Set<string>) => unknown> = {
    ServerlessService: (names) => readService(recording(service, names)),
    SecureTable: (names) => readTable(recording(service.table, names)),
    ArtifactBucket: (names) => readBucket(recording(service.artifacts, names)),
    ArtifactBucketGrants: (names) => bucketGrantsReads(recording(service.artifacts.grants, names)),
    SecureTableGrants: (names) => tableGrantsReads(recording(service.table.grants, names)),
    EncryptedFunction: (names) => readFunction(recording(service.handlerFunction, names)),
    ValidatedRestApi: (names) => readApi(recording(service.api, names)),
    StackProtection: (names) => readProtection(recording(service.protection!, names)),
    DeploymentStage: (names) => readStage(stack, recording(DeploymentStage.PROD, names)),
    TableCapacity: (names) => readCapacity(recording(DeploymentStage.PROD.table.capacity!, names)),
    ApiAuthorization: (names) => readAuthorization(stack, recording(ApiAuthorization.iam(), names)),
  };
  return Object.fromEntries(Object.entries(readers).map(([name, read]) => {
    const names = new Set<string>();
    read(names);
    return [name, names];
  }));
}

describe('the consumer apps\' reads cover the public API of the jsii assembly', () => {
  const classes = assemblyClasses();
  const reads = instanceReads();
  const readsSource = readFileSync(join(__dirname, 'languages', 'public-reads.ts'), 'utf8');

  test('every class of the assembly has a reader', () => {
    expect(classes.map((type) => type.name).sort()).toEqual(Object.keys(reads).sort());
  });

  test('every instance member is read, and every static one is used, unless named with a reason', () => {
    const unread = classes.flatMap((type) => [...type.properties ?? [], ...type.methods ?? []]
      .filter((member) => !NOT_READ[`${type.name}.${member.name}`])
      .filter((member) => member.static
        ? !readsSource.includes(`${type.name}.${member.name}`)
        : !reads[type.name]?.has(member.name))
      .map((member) => `${type.name}.${member.name}`));
    expect(unread).toEqual([]);
  });

  test('every member named as not read exists', () => {
    const members = new Set(classes.flatMap((type) => [...type.properties ?? [], ...type.methods ?? []]
      .map((member) => `${type.name}.${member.name}`)));
    expect(Object.keys(NOT_READ).filter((name) => !members.has(name))).toEqual([]);
  });
});

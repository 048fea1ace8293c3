import { Template } from 'aws-cdk-lib/assertions';

/**
 * Every resource of `types` in `template` carries the tag `key` = `value`. The types listed by the tests are ones whose
 * CloudFormation resource schema has a `Tags` property (a list of `{ Key, Value }`).
 */
export function expectTagged(template: Template, types: string[], key: string, value: string): void {
  for (const type of types) {
    const resources = Object.entries(template.findResources(type));
    expect(resources.length).toBeGreaterThan(0);
    for (const [id, resource] of resources) {
      expect({ id, tags: resource.Properties?.Tags ?? [] }).toEqual({ id, tags: expect.arrayContaining([{ Key: key, Value: value }]) });
    }
  }
}

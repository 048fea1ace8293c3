import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The `tags` prop every construct of the library takes: each tag on every taggable resource below `scope`. */
export function applyTags(scope: IConstruct, tags: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(tags ?? {})) {
    Tags.of(scope).add(key, value);
  }
}

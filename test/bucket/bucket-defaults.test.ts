import { ARTIFACT_BUCKET_DEFAULTS } from '../../src/bucket/bucket-defaults';
import { defaultRows } from '../harness/documented-defaults';

// The oracle is the documentation: each `@default` that states a value, as users read it in API.md.
describe('the defaults of src/bucket/bucket-defaults.ts are the documented ones', () => {
  test.each(defaultRows('src/bucket/artifact-bucket.ts', 'ArtifactBucketProps', ARTIFACT_BUCKET_DEFAULTS))('ArtifactBucketProps.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });
});

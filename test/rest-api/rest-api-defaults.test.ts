import {
  API_CACHE_DEFAULTS, API_CORS_DEFAULTS, API_THROTTLING_DEFAULTS, VALIDATED_REST_API_DEFAULTS,
} from '../../src/rest-api/rest-api-defaults';
import { defaultRows, documentedDefaults } from '../harness/documented-defaults';

// The oracle is the documentation: each `@default` of the props, as users read it in API.md.
const PROPS = 'src/rest-api/validated-rest-api-props.ts';
const OPTIONS = 'src/rest-api/api-options.ts';

/** Documented values the defaults module does not hold, and why (not compared here; each must be documented as a value). */
const APPLIED_ELSEWHERE: Record<string, string> = {
  authorization: 'ValidatedRestApi applies ApiAuthorization.iam(): a helper module may not import the construct module api-authorization.ts',
  healthCheckAuthorization: 'ValidatedRestApi applies ApiAuthorization.none(), for the same reason',
  disableExecuteApiEndpoint: 'passed to RestApi as given; false is API Gateway\'s own default, and setting it would change the template',
};

describe('the defaults of src/rest-api/rest-api-defaults.ts are the documented ones', () => {
  test.each(defaultRows(PROPS, 'ValidatedRestApiProps', VALIDATED_REST_API_DEFAULTS, { appliedElsewhere: APPLIED_ELSEWHERE }))('ValidatedRestApiProps.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test.each(defaultRows(OPTIONS, 'ApiThrottling', API_THROTTLING_DEFAULTS))('ApiThrottling.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test('ValidatedRestApiProps.throttling: "100 requests per second, bursts of 200"', () => {
    const [, rateLimit, burstLimit] = /^- (\d+) requests per second, bursts of (\d+)$/.exec(documentedDefaults(PROPS, 'ValidatedRestApiProps').throttling)!;
    expect(API_THROTTLING_DEFAULTS).toEqual({ rateLimit: Number(rateLimit), burstLimit: Number(burstLimit) });
  });

  test.each(defaultRows(OPTIONS, 'ApiCacheOptions', API_CACHE_DEFAULTS))('ApiCacheOptions.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  const { allowMethods, allowHeaders, ...corsValues } = API_CORS_DEFAULTS;
  test.each(defaultRows(OPTIONS, 'ApiCorsOptions', corsValues))('ApiCorsOptions.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test.each([['allowMethods', allowMethods], ['allowHeaders', allowHeaders]])('ApiCorsOptions.%s: the documented list', (property, coded) => {
    const listed = documentedDefaults(OPTIONS, 'ApiCorsOptions')[property].replace(/^- /, '').split(', ');
    expect([...coded].sort()).toEqual(listed.sort());
  });
});

import { ENCRYPTED_FUNCTION_DEFAULTS } from '../../src/function/function-defaults';
import { DEFAULT_HANDLER_LOG_LEVEL, SERVERLESS_SERVICE_DEFAULTS, SERVICE_ALARM_DEFAULTS } from '../../src/items-service/items-service-defaults';
import { API_THROTTLING_DEFAULTS, createsWebAcl } from '../../src/rest-api/rest-api-defaults';
import { defaultRows, documentedDefaults } from '../harness/documented-defaults';

// The oracle is the documentation: each `@default` of the props, as users read it in API.md.
const PROPS = 'src/items-service/serverless-service-props.ts';
const STAGE = 'src/items-service/deployment-stage.ts';

describe('the defaults of src/items-service/items-service-defaults.ts are the documented ones', () => {
  test.each(defaultRows(PROPS, 'ServerlessServiceProps', SERVERLESS_SERVICE_DEFAULTS, {
    appliedElsewhere: { authorization: 'passed to ValidatedRestApi as given, which applies ApiAuthorization.iam()' },
  }))('ServerlessServiceProps.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test('StageAlarmSettings.api5xxRate: "0.01 elsewhere"', () => {
    const [, rate] = /; ([\d.]+) elsewhere$/.exec(documentedDefaults(STAGE, 'StageAlarmSettings').api5xxRate)!;
    expect(SERVICE_ALARM_DEFAULTS.api5xxRate).toBe(Number(rate));
  });
});

describe('what a stage leaves out is the building blocks\' documented default', () => {
  // EncryptedFunction applies them to the handler; the handler's LOG_LEVEL must say the same log level.
  const { memorySize, timeout } = ENCRYPTED_FUNCTION_DEFAULTS;
  test.each(defaultRows(STAGE, 'StageHandlerFunctionSettings', { memorySize, timeout, applicationLogLevel: DEFAULT_HANDLER_LOG_LEVEL }))(
    'StageHandlerFunctionSettings.%s', (_, documented, coded) => {
      expect(coded).toEqual(documented);
    });

  test.each(defaultRows(STAGE, 'StageApiSettings', { createWebAcl: createsWebAcl({}) }))('StageApiSettings.%s', (_, documented, coded) => {
    expect(coded).toEqual(documented);
  });

  test('StageApiSettings.throttling: "100 requests per second, bursts of 200"', () => {
    const [, rateLimit, burstLimit] = /^- (\d+) requests per second, bursts of (\d+)$/.exec(documentedDefaults(STAGE, 'StageApiSettings').throttling)!;
    expect(API_THROTTLING_DEFAULTS).toEqual({ rateLimit: Number(rateLimit), burstLimit: Number(burstLimit) });
  });
});

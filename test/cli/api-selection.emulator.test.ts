import { apiLabel, restApisOf, selectRestApi, selectRestApis } from '../../cli/api-selection';
import { CfnTemplate } from '../../cli/template';

/**
 * `--api` (docs/local-mode.md): local mode serves every REST API of the stack unless `--api` names one, by its construct
 * path (below the stack or the app) or the logical id of its AWS::ApiGateway::RestApi; `openapi` needs `--api` when
 * the stack has several. CDK records each resource's construct path in its `aws:cdk:path` metadata
 * (`<stack>/<construct path>/Resource` for an L2's resource).
 */
const STACK = 'orders-prod';

const restApi = (path?: string) => ({ Type: 'AWS::ApiGateway::RestApi', ...(path ? { Metadata: { 'aws:cdk:path': path } } : {}) });

const TEMPLATE: CfnTemplate = {
  Resources: {
    OrdersApi1A2B3C4D: restApi(`${STACK}/Orders/Api/Resource`),
    OrdersTable5E6F7A8B: { Type: 'AWS::DynamoDB::GlobalTable', Metadata: { 'aws:cdk:path': `${STACK}/Orders/Table/Resource` } },
    OrdersAdminApi9C0D1E2F: restApi(`${STACK}/Orders/AdminApi/Resource`),
    LegacyApi: restApi(),
  },
} as unknown as CfnTemplate;

function thrownMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

/** The stack's APIs as messages name them, listed one after the other. */
const LABELS = restApisOf(TEMPLATE).map(apiLabel);

const ids = (choices: { logicalId: string }[]) => choices.map((choice) => choice.logicalId);

test('the REST APIs of a template, in template order, with their construct paths', () => {
  expect(restApisOf(TEMPLATE)).toEqual([
    { logicalId: 'OrdersApi1A2B3C4D', path: `${STACK}/Orders/Api/Resource` },
    { logicalId: 'OrdersAdminApi9C0D1E2F', path: `${STACK}/Orders/AdminApi/Resource` },
    { logicalId: 'LegacyApi' },
  ]);
});

describe('--api', () => {
  test('without it, every REST API of the stack', () => {
    expect(ids(selectRestApis(TEMPLATE, STACK, undefined))).toEqual(['OrdersApi1A2B3C4D', 'OrdersAdminApi9C0D1E2F', 'LegacyApi']);
  });

  test.each([
    ['the construct path below the stack', 'Orders/Api', 'OrdersApi1A2B3C4D'],
    ['the construct path below the app', `${STACK}/Orders/Api`, 'OrdersApi1A2B3C4D'],
    ['the path of the RestApi resource itself', 'Orders/AdminApi/Resource', 'OrdersAdminApi9C0D1E2F'],
    // The cloud assembly's manifest.json writes construct paths with a leading slash (its metadata keys).
    ['the construct path as manifest.json writes it', `/${STACK}/Orders/Api`, 'OrdersApi1A2B3C4D'],
    ['a construct path with slashes around it', '//Orders/Api//', 'OrdersApi1A2B3C4D'],
    ['the logical id', 'OrdersAdminApi9C0D1E2F', 'OrdersAdminApi9C0D1E2F'],
    ['the logical id of an API without path metadata', 'LegacyApi', 'LegacyApi'],
  ])('names one API by %s', (_, wanted, logicalId) => {
    expect(ids(selectRestApis(TEMPLATE, STACK, wanted))).toEqual([logicalId]);
    expect(selectRestApi(TEMPLATE, STACK, wanted).logicalId).toBe(logicalId);
  });

  test.each([
    ['a path that is only the start of a construct id', 'Orders/Ap'],
    ['a path below another stack', 'orders-dev/Orders/Api'],
    ['an unknown logical id', 'OrdersApi'],
    ['a construct that is not a REST API', 'Orders/Table'],
  ])('naming no API (%s) is refused, listing the stack\'s APIs', (_, wanted) => {
    expect(thrownMessage(() => selectRestApis(TEMPLATE, STACK, wanted))).toMatch(new RegExp(`^--api ${wanted} names no REST API of stack ${STACK}; `));
    const message = thrownMessage(() => selectRestApis(TEMPLATE, STACK, wanted));
    expect(message).toContain(`; its REST APIs: ${LABELS.join(', ')}.`);
  });

  test('a construct path above several APIs names more than one, and is refused', () => {
    expect(() => selectRestApis(TEMPLATE, STACK, 'Orders')).toThrow(/^--api Orders names more than one REST API of stack orders-prod; /);
  });
});

describe('one API for openapi', () => {
  test('a stack with several needs --api, and the error lists them', () => {
    expect(thrownMessage(() => selectRestApi(TEMPLATE, STACK, undefined))).toBe(`Stack ${STACK} has 3 REST APIs; name one with --api: ${LABELS.join(', ')}.`);
  });

  test('a stack with one needs no --api', () => {
    const single = { Resources: { OnlyApi: restApi(`${STACK}/Only/Resource`) } } as unknown as CfnTemplate;
    expect(selectRestApi(single, STACK, undefined)).toEqual({ logicalId: 'OnlyApi', path: `${STACK}/Only/Resource` });
  });

  test('a stack without a REST API is refused, naming the stack', () => {
    const none = { Resources: { Table: { Type: 'AWS::DynamoDB::Table' } } } as unknown as CfnTemplate;
    expect(() => selectRestApi(none, STACK, undefined)).toThrow(`Stack ${STACK} has no AWS::ApiGateway::RestApi`);
    expect(() => selectRestApis(none, STACK, 'Api')).toThrow(`Stack ${STACK} has no AWS::ApiGateway::RestApi`);
  });
});

test('an API is labelled by its construct path and logical id, or its logical id alone without a path', () => {
  const label = apiLabel({ logicalId: 'OrdersApi1A2B3C4D', path: `${STACK}/Orders/Api/Resource` });
  expect(label).toContain(`${STACK}/Orders/Api/Resource`);
  expect(label).toContain('OrdersApi1A2B3C4D');
  expect(apiLabel({ logicalId: 'LegacyApi' })).toBe('LegacyApi');
});

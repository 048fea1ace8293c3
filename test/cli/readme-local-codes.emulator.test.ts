import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_ERRORS } from '../../src/contract/items';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'local-mode.md'), 'utf8');
const localModeSection = doc.slice(doc.indexOf('## Local mode'), doc.indexOf('## OpenAPI'));

test('the local-mode section names each error as the API answers it: status and contract code', () => {
  // The statuses are API Gateway's defaults for each gateway response type:
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
  const named = [...localModeSection.matchAll(/`(\d{3}) ([A-Za-z_]+)`/g)].map(([, status, code]) => `${status} ${code}`);
  expect(named.length).toBeGreaterThan(3);
  const answered = new Set(Object.values(GATEWAY_ERRORS).map((error) => `${error.status ?? (error.code === 'InternalError' ? 502 : 400)} ${error.code}`));
  expect(named.filter((pair) => !answered.has(pair))).toEqual([]);
});

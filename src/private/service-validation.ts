import { Token } from 'aws-cdk-lib';
import { checkJsonSchema } from './json-schema-checks';
import { Fail, failWith } from './validation';
import { ItemsJsonSchema, SERVICE_SET_HANDLER_VARIABLES } from '../items-contract';
import type { ServerlessServiceProps } from '../serverless-service';

/** Lambda caps the environment at 4 KB; the data schema travels in it. */
const MAX_ITEM_SCHEMA_CHARS = 2048;
const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Every check of `ServerlessServiceProps`, run at construction. */
export function validateServiceProps(props: ServerlessServiceProps): void {
  const fail = failWith('ServerlessService');
  if (!Token.isUnresolved(props.serviceName) && !SERVICE_NAME_PATTERN.test(props.serviceName)) {
    fail(`serviceName "${props.serviceName}" must be 1-30 lower-case letters, digits or hyphens starting with a letter, e.g. "orders".`);
  }
  if (props.alarmEmail !== undefined && props.alarmTopic !== undefined) {
    fail('give alarmEmail or alarmTopic, not both; subscribe the address to your own topic instead.');
  }
  if (props.alarmEmail !== undefined && !Token.isUnresolved(props.alarmEmail) && !EMAIL_PATTERN.test(props.alarmEmail)) {
    fail(`alarmEmail "${props.alarmEmail}" is not an email address.`);
  }
  if (props.handler !== undefined && props.code === undefined) {
    fail('handler is only used with code; pass code too, or drop handler to use the bundled items handler.');
  }
  if (props.itemSchema !== undefined) validateItemSchema(props.itemSchema as ItemsJsonSchema, fail);
  for (const [name, setBy] of Object.entries(SERVICE_SET_HANDLER_VARIABLES)) {
    if (props.environment && name in props.environment) {
      fail(`environment.${name} ("${props.environment[name]}") is set by the service from ${setBy}, which would overwrite it; `
        + `remove it from environment and set ${setBy} instead.`);
    }
  }
}

/** The item schema fits in the handler's environment, uses only keywords the handler enforces too, and compiles. */
function validateItemSchema(itemSchema: ItemsJsonSchema, fail: Fail): void {
  const json = JSON.stringify(itemSchema);
  if (json.length > MAX_ITEM_SCHEMA_CHARS) {
    fail(`itemSchema is ${json.length} characters as JSON; at most ${MAX_ITEM_SCHEMA_CHARS} fit in the handler's environment. Simplify the schema.`);
  }
  checkJsonSchema(itemSchema, 'itemSchema', fail);
}

import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { JsonSchemaSubset, ITEMS_PATH_PATTERN, SERVICE_SET_HANDLER_VARIABLES } from '../contract/items';
import { checkJsonSchema, Fail, failIn, requireLiteral } from '../core';
import type { ServerlessServiceProps } from './serverless-service-props';

/** Lambda caps the environment at 4 KB; the data schema travels in it. */
const MAX_ITEM_SCHEMA_CHARS = 2048;
const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,29}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Every check of `ServerlessServiceProps`, run at construction of `scope`. */
export function validateServiceProps(props: ServerlessServiceProps, scope: IConstruct): void {
  const fail = failIn(scope, 'ServerlessService');
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
  validateItemsPath(props.itemsPath, fail);
  if (props.itemSchema !== undefined) validateItemSchema(props.itemSchema as JsonSchemaSubset, fail);
  validateIndexes(props, fail);
  for (const [name, setBy] of Object.entries(SERVICE_SET_HANDLER_VARIABLES)) {
    if (props.environment && name in props.environment) {
      fail(`environment.${name} ("${props.environment[name]}") is set by the service from ${setBy}, which would overwrite it; `
        + `remove it from environment and set ${setBy} instead.`);
    }
  }
}

/** The items path is one path part: the routes are built from it and the handler dispatches on it. */
function validateItemsPath(itemsPath: string | undefined, fail: Fail): void {
  if (itemsPath === undefined) return;
  requireLiteral(itemsPath, 'itemsPath', 'the items routes are created from it and the handler dispatches on it at synthesis',
    'write the path part, e.g. "tickets"', fail);
  if (!ITEMS_PATH_PATTERN.test(itemsPath)) {
    const part = itemsPath.split('/').find((segment) => ITEMS_PATH_PATTERN.test(segment));
    fail(`itemsPath "${itemsPath}" is not one path part; use 1 to 128 letters, digits or . _ ~ - with no slash or {variable}`
      + `${part ? `, e.g. "${part}"` : ', e.g. "tickets"'} (the routes become /<itemsPath> and /<itemsPath>/{id}).`);
  }
}

/** The item schema fits in the handler's environment, uses only keywords the handler enforces too, and compiles. */
function validateItemSchema(itemSchema: JsonSchemaSubset, fail: Fail): void {
  const json = JSON.stringify(itemSchema);
  if (json.length > MAX_ITEM_SCHEMA_CHARS) {
    fail(`itemSchema is ${json.length} characters as JSON; at most ${MAX_ITEM_SCHEMA_CHARS} fit in the handler's environment. Simplify the schema.`);
  }
  checkJsonSchema(itemSchema, 'itemSchema', fail);
}

/**
 * An index key must be a top-level attribute of the item ("Every index key attribute must be a top-level attribute
 * of type String, Number, or Binary", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html).
 * The bundled handler stores an item's fields inside its `data` map, so no item it writes reaches an index: indexes
 * need `code`, a handler of the user's that writes top-level attributes. A dot names an attribute, never a path.
 */
function validateIndexes(props: ServerlessServiceProps, fail: Fail): void {
  const indexes = props.globalSecondaryIndexes ?? [];
  if (indexes.length > 0 && props.code === undefined) {
    fail(`globalSecondaryIndexes (${indexes.map((index) => index.indexName).join(', ')}) would stay empty: the bundled handler `
      + 'stores an item\'s fields inside its "data" map, and DynamoDB indexes only top-level attributes. Drop '
      + 'globalSecondaryIndexes, or pass code (your own handler writing the key attributes at the top level of the item).');
  }
  for (const index of indexes) {
    for (const [role, key] of [['partitionKey', index.partitionKey], ['sortKey', index.sortKey]] as const) {
      if (key && !Token.isUnresolved(key.name) && key.name.includes('.')) {
        fail(`globalSecondaryIndexes "${index.indexName}" ${role} "${key.name}" looks like a path into the item, but DynamoDB `
          + 'index keys are top-level attributes and a dot is part of the attribute name; write the value to a top-level '
          + `attribute (e.g. "${key.name.split('.').pop()}") and index that.`);
      }
    }
  }
}

/**
 * The DynamoDB actions the bundled items handler (`lambda-src/items`) calls, and so all that its role is granted on
 * the table. test/lambda/items-permissions.emulator.test.ts records the calls the handler makes while serving every route and
 * fails when this list and the handler disagree.
 */
export const ITEMS_HANDLER_TABLE_ACTIONS = [
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
];

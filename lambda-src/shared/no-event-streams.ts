/**
 * Stands in for `@smithy/core/event-streams` in the bundled handlers (see build-tools/lambda-handler-alias.json): the
 * SDK loads it only for operations that stream events, and none of the handlers' clients (DynamoDB, Secrets Manager,
 * CloudFormation) has one, so its 15 KB stay out of the bundle. A handler that ever needed it fails loudly.
 */
function notBundled(): never {
  throw new Error('SDK event streams are not bundled into this handler: none of its clients has an event-stream operation');
}

export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}

export function eventStreamSerdeProvider(): never {
  return notBundled();
}

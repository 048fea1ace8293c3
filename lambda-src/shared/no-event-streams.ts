/**
 * Stands in for `@smithy/core/event-streams` in the bundled handlers (see build-tools/lambda-handler-alias.json): the
 * SDK uses it only for operations that stream events, and the handlers call none (S3's SelectObjectContent is one, but
 * the S3 client only sets its marshaller up), so its 15 KB stay out of the bundle. A handler that ever needed it fails loudly.
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

/** What the S3 client calls at construction: a marshaller that fails only when an event-stream operation uses it. */
export function resolveEventStreamSerdeConfig<T extends object>(input: T): T & { eventStreamMarshaller: object } {
  return Object.assign(input, { eventStreamMarshaller: { serialize: notBundled, deserialize: notBundled } });
}

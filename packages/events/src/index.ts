export {
  type ExistingObject,
  encodeEventKey,
  type ObjectCreatedOptions,
  objectCreatedEvent,
} from "./object-created-event.js";
export type { NotificationObject, ParsedNotification } from "./parse-notification.js";
export { MAX_BODY_BYTES, parseNotification } from "./parse-notification.js";
export {
  type GaveUpEvent,
  type KeptByTwinEvent,
  RESULT_ATTRIBUTES,
  RESULT_EVENT_SCHEMA_VERSION,
  RESULT_OUTCOMES,
  type RefusedEvent,
  type RemovedEvent,
  type RenderedEvent,
  type ResultAttributes,
  type ResultEvent,
  type ResultEventBase,
  type ResultOutcome,
  type ResultReason,
  resultAttributes,
  resultDedupKey,
} from "./results/result-event.js";

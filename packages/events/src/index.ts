export {
  type ExistingObject,
  encodeEventKey,
  type ObjectCreatedOptions,
  objectCreatedEvent,
} from "./object-created-event.js";
export type { NotificationObject, ParsedNotification } from "./parse-notification.js";
export { MAX_BODY_BYTES, parseNotification } from "./parse-notification.js";

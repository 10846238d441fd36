/**
 * Message attributes the resizer attaches to a message it dead-letters; iconctl and people reading
 * the DLQ rely on them.
 */
export const DEAD_LETTER_ATTRIBUTES = {
  /** Why the message cannot be processed, e.g. `InvalidImageError: empty file`. */
  reason: "icon-fanout-reason",
  receiveCount: "icon-fanout-receive-count",
  /** The id in the source queue: a copy sent twice (its delete failed) carries the same id. */
  sourceMessageId: "icon-fanout-source-message-id",
} as const;

/**
 * Message attributes the resizer attaches to a message it dead-letters; iconctl and people reading
 * the DLQ rely on them.
 */
export const DEAD_LETTER_ATTRIBUTES = {
  /** Why the message cannot be processed: its code and message, e.g. `truncated: the PNG data ends early`. */
  reason: "icon-fanout-reason",
  /** The refusal's code alone (`RefusalCode` of `@icon-fanout/imaging`), e.g. `truncated`. */
  code: "icon-fanout-reason-code",
  /** The decoder's own text, when it had one; it varies between runs, so never match on it. */
  detail: "icon-fanout-reason-detail",
  /** ApproximateReceiveCount when the worker dead-lettered it (a listing of the DLQ raises SQS's own count). */
  receiveCount: "icon-fanout-receive-count",
  /** The id in the source queue: a copy sent twice (its delete failed) carries the same id. */
  sourceMessageId: "icon-fanout-source-message-id",
} as const;

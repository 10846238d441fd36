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

/** What a dead letter records about why and when the resizer moved it. */
export interface DeadLetterFacts {
  /** `code: message`, e.g. `truncated: the PNG data ends early`. */
  reason: string;
  code: string;
  detail?: string;
  receiveCount: number;
  sourceMessageId: string;
}

/** SQS allows far longer attribute values; a reason or a decoder's line needs far less. */
const MAX_ATTRIBUTE_LENGTH = 1000;

/** The SQS message attributes of a dead letter, as the resizer sends them and iconctl reads them. */
export function deadLetterAttributes(
  facts: DeadLetterFacts,
): Record<string, { DataType: "String" | "Number"; StringValue: string }> {
  const text = (value: string) => ({
    DataType: "String" as const,
    StringValue: value.slice(0, MAX_ATTRIBUTE_LENGTH),
  });
  return {
    [DEAD_LETTER_ATTRIBUTES.reason]: text(facts.reason),
    [DEAD_LETTER_ATTRIBUTES.code]: text(facts.code),
    ...(facts.detail ? { [DEAD_LETTER_ATTRIBUTES.detail]: text(facts.detail) } : {}),
    [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: "Number", StringValue: String(facts.receiveCount) },
    [DEAD_LETTER_ATTRIBUTES.sourceMessageId]: text(facts.sourceMessageId),
  };
}

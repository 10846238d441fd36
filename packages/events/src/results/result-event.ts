/**
 * The results event: one per handled source event per size, published to the stack's results topic
 * after its effect is durable (docs/architecture.md, "Results events"). This file is the shape and
 * the SNS attributes; `result-event-schema.ts` validates it and exports it as JSON Schema.
 */

export const RESULT_EVENT_SCHEMA_VERSION = 1;

export const RESULT_OUTCOMES = ["rendered", "removed", "kept-by-twin", "refused", "gave-up"] as const;
export type ResultOutcome = (typeof RESULT_OUTCOMES)[number];

/** SNS message attribute names, for subscribers' filter policies. */
export const RESULT_ATTRIBUTES = {
  /** Number: the output size in pixels. */
  size: "size",
  /** String: one of `RESULT_OUTCOMES`. */
  outcome: "outcome",
  /** String: the source key, e.g. `icons/brand/logo.svg` (filter with `prefix`). */
  sourceKey: "source-key",
  /** String: the upload id iconctl stored in the source's metadata; absent for other uploads. */
  uploadId: "upload-id",
} as const;

/** What every event carries. */
export interface ResultEventBase {
  schemaVersion: typeof RESULT_EVENT_SCHEMA_VERSION;
  stack: string;
  size: number;
  /** The bucket the source event named (this stack's, or a shadowed stack's). */
  bucket: string;
  sourceKey: string;
  /** The output key this source maps to (`outputKey` of @icon-fanout/config). */
  outputKey: string;
  /** `RENDER_VERSION` of @icon-fanout/imaging in the worker that handled the event. */
  renderVersion: number;
  /** The upload id from the source's metadata (iconctl sets it), when the source had one. */
  uploadId?: string;
  /** The SQS message id of the source event in the size's queue. */
  messageId: string;
  /** ApproximateReceiveCount of that message when it was handled. */
  receiveCount: number;
  /** ISO 8601, when the effect was durable. */
  time: string;
}

/** A stable reason: `code` is the contract (e.g. `truncated`), `message` is for people, `detail` is the library's text. */
export interface ResultReason {
  code: string;
  message: string;
  detail?: string;
}

export interface RenderedEvent extends ResultEventBase {
  outcome: "rendered";
  sourceEtag: string;
  sourceVersionId?: string;
  outputEtag: string;
  bytes: number;
  width: number;
  height: number;
}

export interface RemovedEvent extends ResultEventBase {
  outcome: "removed";
  /** The S3 event's sequencer: it orders removals of one key, and stands in for the ETag a removal lacks. */
  sequencer: string;
}

export interface KeptByTwinEvent extends ResultEventBase {
  outcome: "kept-by-twin";
  /** The twin that owns the output (`x.png` for `x`), whose render stays or was made again. */
  ownerSourceKey: string;
  sourceEtag?: string;
  /** Present when the output was rendered again from the owner (a removal of the other twin). */
  outputEtag?: string;
}

export interface RefusedEvent extends ResultEventBase {
  outcome: "refused";
  sourceEtag?: string;
  reason: ResultReason;
}

export interface GaveUpEvent extends ResultEventBase {
  outcome: "gave-up";
  sourceEtag?: string;
  reason: ResultReason;
}

export type ResultEvent = RenderedEvent | RemovedEvent | KeptByTwinEvent | RefusedEvent | GaveUpEvent;

/**
 * The key a consumer deduplicates on: delivery is at least once, and a redelivered source event
 * yields the same key. A removal has no ETag, so its sequencer takes that place.
 */
export function resultDedupKey(event: ResultEvent): string {
  const version = event.outcome === "removed" ? event.sequencer : (event.sourceEtag ?? "");
  return JSON.stringify([event.sourceKey, version, event.size, event.renderVersion, event.outcome]);
}

export type ResultAttributes = Record<string, { DataType: "String" | "Number"; StringValue: string }>;

/** The SNS message attributes of an event (SNS refuses empty values, so an absent upload id is left out). */
export function resultAttributes(event: ResultEvent): ResultAttributes {
  return {
    [RESULT_ATTRIBUTES.size]: { DataType: "Number", StringValue: String(event.size) },
    [RESULT_ATTRIBUTES.outcome]: { DataType: "String", StringValue: event.outcome },
    [RESULT_ATTRIBUTES.sourceKey]: { DataType: "String", StringValue: event.sourceKey },
    ...(event.uploadId
      ? { [RESULT_ATTRIBUTES.uploadId]: { DataType: "String", StringValue: event.uploadId } }
      : {}),
  };
}

import { outputKey } from "@icon-fanout/config/keys";
import { RESULT_EVENT_SCHEMA_VERSION, type ResultEvent, type ResultEventBase } from "@icon-fanout/events";
import { RENDER_VERSION } from "@icon-fanout/imaging";
import type { Handled, MessageResult, StoppedAt } from "../handle-message.js";
import type { ReceivedMessage } from "../ports.js";
import type { SizeJob } from "../process-object.js";

/** Where the events come from: the stack, and the size's job (its key layout). */
export interface ResultSource {
  stack: string;
  job: SizeJob;
  /** The queue's redrive maxReceiveCount: a transient failure on that receive is the last. */
  maxReceiveCount: number;
}

/** The `gave-up` reason code: SQS moves the message to the dead-letter queue after this receive. */
export const GAVE_UP_CODE = "max-receives";

/**
 * The results events of a settled message (docs/architecture.md, "Results events"): one per record
 * whose effect is durable, plus `refused` for a dead-lettered record and `gave-up` for a transient
 * failure on the last allowed receive. A retry before that publishes nothing: the next receive does
 * the records again and publishes then. Records outside the stack's sources publish nothing.
 */
export function resultEvents(
  message: ReceivedMessage,
  result: MessageResult,
  from: ResultSource,
  now: Date,
): ResultEvent[] {
  const lastTry = result.action === "retry" && message.receiveCount >= from.maxReceiveCount;
  if (result.action === "retry" && !lastTry) return [];
  const common = (object: Handled["object"]): ResultEventBase => ({
    schemaVersion: RESULT_EVENT_SCHEMA_VERSION,
    stack: from.stack,
    size: from.job.size,
    bucket: object.bucket,
    sourceKey: object.key,
    outputKey: outputKey(object.key, from.job.size, from.job.layout),
    renderVersion: RENDER_VERSION,
    messageId: message.messageId,
    receiveCount: message.receiveCount,
    time: now.toISOString(),
  });
  const events = (result.handled ?? []).flatMap((record) => handledEvent(record, common(record.object)));
  if (result.action === "delete" || !result.stoppedAt) return events;
  const stopped = stoppedEvent(result.stoppedAt, common(result.stoppedAt.object));
  if (result.action === "dead-letter")
    events.push({
      ...stopped,
      outcome: "refused",
      reason: {
        code: result.code,
        message: result.message ?? result.reason,
        ...(result.detail ? { detail: result.detail } : {}),
      },
    });
  else
    events.push({
      ...stopped,
      outcome: "gave-up",
      reason: {
        code: GAVE_UP_CODE,
        message: `a transient failure on receive ${message.receiveCount} of ${from.maxReceiveCount}; SQS moves the message to the dead-letter queue`,
        detail: result.reason,
      },
    });
  return events;
}

function handledEvent({ object, outcome }: Handled, base: ResultEventBase): ResultEvent[] {
  const uploadId = "uploadId" in outcome && outcome.uploadId ? { uploadId: outcome.uploadId } : {};
  switch (outcome.outcome) {
    case "resized":
      return [
        {
          ...base,
          ...uploadId,
          outcome: "rendered",
          sourceEtag: outcome.sourceEtag,
          ...(outcome.sourceVersionId ? { sourceVersionId: outcome.sourceVersionId } : {}),
          outputEtag: outcome.outputEtag,
          bytes: outcome.bytes,
          width: outcome.width,
          height: outcome.height,
        },
      ];
    case "removed":
      // A removal without a sequencer (none is made up for it) keeps a stable key through its message id.
      return [{ ...base, outcome: "removed", sequencer: object.sequencer ?? base.messageId }];
    case "kept-by-twin":
      return [
        {
          ...base,
          ...uploadId,
          outcome: "kept-by-twin",
          ownerSourceKey: outcome.owner,
          ...optionalEtag("sourceEtag", outcome.sourceEtag),
          ...optionalEtag("outputEtag", outcome.outputEtag),
        },
      ];
    case "skipped":
      // Not this stack's source, or overtaken (gone before it was read, back before its removal): the other event reports.
      return [];
  }
}

function stoppedEvent({ seen }: StoppedAt, base: ResultEventBase) {
  return {
    ...base,
    ...(seen.uploadId ? { uploadId: seen.uploadId } : {}),
    ...optionalEtag("sourceEtag", seen.etag),
  };
}

function optionalEtag<K extends string>(name: K, etag: string | undefined): Partial<Record<K, string>> {
  return etag ? ({ [name]: etag } as Record<K, string>) : {};
}

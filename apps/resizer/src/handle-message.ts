import { type NotificationObject, parseNotification } from "@icon-fanout/events";
import { InvalidImageError } from "@icon-fanout/imaging";
import { type DeadLetterReason, type ObjectStore, SourceTooLargeError } from "./ports.js";
import {
  type ObjectOutcome,
  processObject,
  recordSeen,
  type SizeJob,
  type SourceSeen,
} from "./process-object.js";

/** A record of the message and what became of it, for its results event. */
export interface Handled {
  object: NotificationObject;
  outcome: ObjectOutcome;
}

/** The record a message stopped at, with what was learned of its source (for the results event). */
export interface StoppedAt {
  object: NotificationObject;
  seen: SourceSeen;
}

/** What the worker does with a message once its work is over. */
export type MessageResult =
  /** Done (or nothing to do): delete it. */
  | { action: "delete"; outcome: string; objects: ObjectOutcome[]; reason?: string; handled?: Handled[] }
  /** Its source can never become an icon: move it to the dead-letter queue with the refusal, then delete it. */
  | ({
      action: "dead-letter";
      outcome: "invalid";
      key?: string;
      /** The refusal in words, without its code. */
      message?: string;
      /** Records finished before the refused one. */
      handled?: Handled[];
      stoppedAt?: StoppedAt;
    } & DeadLetterReason)
  /** It failed for now: make it visible again later; the redrive policy bounds the retries. */
  | {
      action: "retry";
      outcome: "failed";
      reason: string;
      key?: string;
      handled?: Handled[];
      stoppedAt?: StoppedAt;
    };

/**
 * Handles one SQS message for one size. Records are processed in order; the first refused source
 * dead-letters the message and the first transient failure retries it whole (records already
 * done are done again, with the same result).
 */
export async function handleMessage(body: string, store: ObjectStore, job: SizeJob): Promise<MessageResult> {
  const parsed = parseNotification(body);
  if (parsed.kind === "ignored")
    return { action: "delete", outcome: "ignored", objects: [], reason: parsed.reason };
  if (parsed.kind === "invalid")
    return { action: "delete", outcome: "unreadable", objects: [], reason: parsed.reason };

  const handled: Handled[] = [];
  for (const object of parsed.objects) {
    const seen: SourceSeen = {};
    try {
      handled.push({ object, outcome: await processObject(store, object, job, seen) });
    } catch (error) {
      if (error instanceof SourceTooLargeError && error.head) recordSeen(seen, error.head);
      const stopped = { handled, stoppedAt: { object, seen } };
      if (error instanceof InvalidImageError) {
        return {
          action: "dead-letter",
          outcome: "invalid",
          code: error.code,
          reason: error.reason,
          message: error.message,
          ...(error.detail ? { detail: error.detail } : {}),
          key: object.key,
          ...stopped,
        };
      }
      return { action: "retry", outcome: "failed", reason: describe(error), key: object.key, ...stopped };
    }
  }
  const outcomes = handled.map((record) => record.outcome);
  const outcome = outcomes.length === 1 ? (outcomes[0]?.outcome ?? "skipped") : "batch";
  return { action: "delete", outcome, objects: outcomes, handled };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error.message;
}

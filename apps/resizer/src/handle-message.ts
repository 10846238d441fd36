import { parseNotification } from "@icon-fanout/events";
import { InvalidImageError } from "@icon-fanout/imaging";
import type { DeadLetterReason, ObjectStore } from "./ports.js";
import { type ObjectOutcome, processObject, type SizeJob } from "./process-object.js";

/** What the worker does with a message once its work is over. */
export type MessageResult =
  /** Done (or nothing to do): delete it. */
  | { action: "delete"; outcome: string; objects: ObjectOutcome[]; reason?: string }
  /** Its source can never become an icon: move it to the dead-letter queue with the refusal, then delete it. */
  | ({ action: "dead-letter"; outcome: "invalid"; key?: string } & DeadLetterReason)
  /** It failed for now: make it visible again later; the redrive policy bounds the retries. */
  | { action: "retry"; outcome: "failed"; reason: string; key?: string };

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

  const outcomes: ObjectOutcome[] = [];
  for (const object of parsed.objects) {
    try {
      outcomes.push(await processObject(store, object, job));
    } catch (error) {
      if (error instanceof InvalidImageError) {
        return {
          action: "dead-letter",
          outcome: "invalid",
          code: error.code,
          reason: error.reason,
          ...(error.detail ? { detail: error.detail } : {}),
          key: object.key,
        };
      }
      return { action: "retry", outcome: "failed", reason: describe(error), key: object.key };
    }
  }
  const outcome = outcomes.length === 1 ? (outcomes[0]?.outcome ?? "skipped") : "batch";
  return { action: "delete", outcome, objects: outcomes };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error.message;
}

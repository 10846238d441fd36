import { parseNotification } from "@icon-fanout/events";
import { isPermanent } from "@icon-fanout/imaging";
import type { ObjectStore } from "./ports.js";
import { type ObjectOutcome, processObject, type SizeJob } from "./process-object.js";

/** What the worker does with a message once its work is over. */
export type MessageResult =
  /** Done (or nothing to do): delete it. */
  | { action: "delete"; outcome: string; objects: ObjectOutcome[]; reason?: string }
  /** It can never succeed: move it to the dead-letter queue with the reason, then delete it. */
  | { action: "dead-letter"; outcome: "invalid"; reason: string; key?: string }
  /** It failed for now: make it visible again later; the redrive policy bounds the retries. */
  | { action: "retry"; outcome: "failed"; reason: string; key?: string };

/**
 * Handles one SQS message for one size. Records are processed in order; the first permanent
 * failure dead-letters the message and the first transient one retries it whole (records already
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
      const reason = describe(error);
      if (isPermanent(error)) return { action: "dead-letter", outcome: "invalid", reason, key: object.key };
      return { action: "retry", outcome: "failed", reason, key: object.key };
    }
  }
  const outcome = outcomes.length === 1 ? (outcomes[0]?.outcome ?? "skipped") : "batch";
  return { action: "delete", outcome, objects: outcomes };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error.message;
}

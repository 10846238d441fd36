import { withDeadline } from "@icon-fanout/aws-clients";
import type { Logger } from "@icon-fanout/log";
import { type Held, inBatches } from "./held.js";
import type { WorkQueue } from "./ports.js";

/**
 * The visibility of held messages: extended before half of it has passed while their work
 * progresses, or ended at once to return them to the queue. Every call ends after `callMs` (or
 * when the caller's signal aborts); what could not be changed is logged and left to the queue's
 * visibility timeout.
 */
export class Visibility {
  private extending = false;

  constructor(
    private readonly queue: WorkQueue,
    private readonly log: Logger,
    private readonly timeoutSeconds: number,
    private readonly secondMs: number,
    private readonly callMs: number,
  ) {}

  /** Extends every message with less than half its visibility left, ten per call, all at once. */
  async extendDue(held: readonly Held[], now: number): Promise<void> {
    if (this.extending) return;
    this.extending = true;
    const timeoutMs = this.timeoutSeconds * this.secondMs;
    const due = held.filter((one) => one.visibleUntil - now < timeoutMs / 2);
    await Promise.all(
      inBatches(due).map(async (batch) => {
        try {
          const failed = new Set(
            await this.change(
              batch.map((one) => ({ message: one.message, seconds: this.timeoutSeconds })),
              undefined,
            ),
          );
          for (const one of batch) if (!failed.has(one.message.messageId)) one.visibleUntil = now + timeoutMs;
        } catch (error) {
          this.log.warn("visibility not extended", { count: batch.length, error });
        }
      }),
    );
    this.extending = false;
  }

  /** Makes the messages visible to other consumers at once, logging `why` with their count. */
  async release(held: readonly Held[], why: string, signal?: AbortSignal): Promise<void> {
    await Promise.all(
      inBatches(held).map(async (batch) => {
        try {
          await this.change(
            batch.map(({ message }) => ({ message, seconds: 0 })),
            signal,
          );
        } catch (error) {
          this.log.warn("messages not released; they return after their visibility timeout", {
            messageIds: batch.map(({ message }) => message.messageId),
            error,
          });
        }
      }),
    );
    if (held.length > 0) this.log.info(why, { count: held.length });
  }

  private change(changes: Parameters<WorkQueue["changeVisibility"]>[0], signal: AbortSignal | undefined) {
    return withDeadline("SQS ChangeMessageVisibilityBatch", this.callMs, signal, (callSignal) =>
      this.queue.changeVisibility(changes, callSignal),
    );
  }
}

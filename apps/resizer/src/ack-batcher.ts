import { withDeadline } from "@icon-fanout/aws-clients";
import type { Logger } from "@icon-fanout/log";
import type { ReceivedMessage, WorkQueue } from "./ports.js";

/** SQS's batch limit for DeleteMessageBatch. */
const BATCH = 10;

/**
 * Deletes finished messages ten at a time: a batch goes out when it is full or when the oldest
 * entry has waited `lingerMs`, so a busy worker spends a tenth of a request per message and an
 * idle one still deletes promptly. Each delete ends after `callMs`. A message that is not deleted
 * comes back and is done again.
 */
export class AckBatcher {
  private pending: ReceivedMessage[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Batches in flight, by the ids of their messages. */
  private readonly flushing = new Map<Promise<void>, string[]>();

  constructor(
    private readonly queue: WorkQueue,
    private readonly log: Logger,
    private readonly lingerMs = 50,
    private readonly callMs = 10_000,
  ) {}

  add(message: ReceivedMessage): void {
    this.pending.push(message);
    if (this.pending.length >= BATCH) this.send();
    else this.timer ??= setTimeout(() => this.send(), this.lingerMs);
  }

  /**
   * Sends everything pending and waits for every batch in flight, until `signal` aborts at the
   * latest: deletes still unanswered then are logged and left to the queue's visibility timeout.
   */
  async flush(signal: AbortSignal): Promise<void> {
    while (this.pending.length > 0) this.send(signal);
    const ended = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await Promise.race([Promise.all(this.flushing.keys()), ended]);
    const unconfirmed = [...this.flushing.values()].flat();
    if (unconfirmed.length > 0)
      this.log.warn("deletes not confirmed by the drain deadline; those messages will be processed again", {
        messageIds: unconfirmed,
      });
  }

  private send(signal?: AbortSignal): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, BATCH);
    if (this.pending.length > 0) this.timer = setTimeout(() => this.send(), this.lingerMs);
    if (batch.length === 0) return;
    const request = withDeadline("SQS DeleteMessageBatch", this.callMs, signal, (callSignal) =>
      this.queue.delete(batch, callSignal),
    )
      .then((failed) => {
        if (failed.length > 0)
          this.log.warn("messages not deleted; they will be processed again", { messageIds: failed });
      })
      .catch((error: unknown) => {
        this.log.warn("delete batch failed; its messages will be processed again", {
          messageIds: batch.map((message) => message.messageId),
          error,
        });
      })
      .finally(() => this.flushing.delete(request));
    this.flushing.set(
      request,
      batch.map((message) => message.messageId),
    );
  }
}

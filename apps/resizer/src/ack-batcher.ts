import type { Logger } from "@icon-fanout/log";
import type { ReceivedMessage, WorkQueue } from "./ports.js";

/** SQS's batch limit for DeleteMessageBatch. */
const BATCH = 10;

/**
 * Deletes finished messages ten at a time: a batch goes out when it is full or when the oldest
 * entry has waited `lingerMs`, so a busy worker spends a tenth of a request per message and an
 * idle one still deletes promptly. A message that is not deleted comes back and is done again.
 */
export class AckBatcher {
  private pending: ReceivedMessage[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly flushing = new Set<Promise<void>>();

  constructor(
    private readonly queue: WorkQueue,
    private readonly log: Logger,
    private readonly lingerMs = 50,
  ) {}

  add(message: ReceivedMessage): void {
    this.pending.push(message);
    if (this.pending.length >= BATCH) this.send();
    else this.timer ??= setTimeout(() => this.send(), this.lingerMs);
  }

  /** Sends everything pending and waits for every batch in flight. */
  async flush(): Promise<void> {
    while (this.pending.length > 0) this.send();
    await Promise.all(this.flushing);
  }

  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, BATCH);
    if (this.pending.length > 0) this.timer = setTimeout(() => this.send(), this.lingerMs);
    if (batch.length === 0) return;
    const request = this.queue
      .delete(batch)
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
    this.flushing.add(request);
  }
}

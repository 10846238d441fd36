import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@icon-fanout/log";
import { AckBatcher } from "./ack-batcher.js";
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelaySeconds } from "./backoff.js";
import type { MessageResult } from "./handle-message.js";
import type { ReceivedMessage, WorkQueue } from "./ports.js";
import type { ScaleInProtection } from "./scale-in-protection.js";

export interface WorkerOptions {
  queue: WorkQueue;
  /** The work for one message; throwing counts as a transient failure. */
  handle(message: ReceivedMessage): Promise<MessageResult>;
  log: Logger;
  /** Messages worked on at once. The worker holds at most 2 × concurrency + 40. */
  concurrency: number;
  /** The queue's visibility timeout; held messages are extended before half of it has passed. */
  visibilityTimeoutSeconds: number;
  /** After stop(), seconds in-flight work may take before it is released to other tasks. */
  drainSeconds: number;
  /** Long-poll wait. @default 20 */
  waitSeconds?: number;
  backoff?: BackoffPolicy;
  protection?: ScaleInProtection;
  /** Milliseconds a finished message waits for nine others before its delete goes out. @default 50 */
  ackLingerMs?: number;
  /** Milliseconds in one queue second; tests run the fake queue on a faster clock. @default 1000 */
  secondMs?: number;
}

interface Held {
  message: ReceivedMessage;
  /** When the message becomes visible to other consumers unless extended (ms since epoch). */
  visibleUntil: number;
}

const RECEIVE_BATCH = 10;
const MAX_POLLERS = 4;

/**
 * A continuous SQS consumer: it long-polls batches of ten (several polls at once) while at most
 * `concurrency` messages are worked on, starting the next message as soon as any finishes (one
 * slow icon never holds up the rest), deletes finished messages in batches, extends the visibility
 * of everything it holds, and on stop() returns what it has not started and finishes (or
 * releases) what it has.
 */
export class Worker {
  private readonly buffer: Held[] = [];
  private readonly active = new Set<Held>();
  private readonly acks: AckBatcher;
  private readonly abort = new AbortController();
  private stopping = false;
  private receiving = 0;
  private readonly waiters = new Set<() => void>();
  private readonly secondMs: number;

  constructor(private readonly options: WorkerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.secondMs = options.secondMs ?? 1000;
    this.acks = new AckBatcher(options.queue, options.log, options.ackLingerMs);
  }

  /** Messages received and not yet finished. */
  get held(): number {
    return this.buffer.length + this.active.size;
  }

  /** Runs until stop() is called and the drain is over. */
  async run(): Promise<void> {
    const heartbeat = setInterval(
      () => void this.heartbeat(),
      (this.options.visibilityTimeoutSeconds * this.secondMs) / 4,
    );
    // Several long polls at once: one receive of ten per request latency would cap a fast worker.
    const pollers = Math.min(MAX_POLLERS, Math.ceil(this.options.concurrency / RECEIVE_BATCH));
    try {
      await Promise.all(Array.from({ length: pollers }, () => this.poll()));
      await this.drain();
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async poll(): Promise<void> {
    while (!this.stopping) {
      if (this.buffer.length + this.receiving * RECEIVE_BATCH > this.options.concurrency) {
        await this.nextEvent();
        continue;
      }
      this.receiving += 1;
      try {
        await this.receive();
      } finally {
        this.receiving -= 1;
      }
    }
  }

  /** Stops receiving at once; run() resolves after the drain. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.abort.abort();
    this.notify();
  }

  private async receive(): Promise<void> {
    let messages: ReceivedMessage[];
    try {
      messages = await this.options.queue.receive(
        RECEIVE_BATCH,
        this.options.waitSeconds ?? 20,
        this.abort.signal,
      );
    } catch (error) {
      if (this.stopping) return;
      this.options.log.warn("receive failed", { error });
      // A queue second before the next receive; stop() ends it early (the sleep then rejects).
      await sleep(this.secondMs, undefined, { signal: this.abort.signal }).catch(() => {});
      return;
    }
    const visibleUntil = Date.now() + this.options.visibilityTimeoutSeconds * this.secondMs;
    for (const message of messages) this.buffer.push({ message, visibleUntil });
    this.options.protection?.update(this.held);
    this.pump();
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.options.concurrency) {
      const next = this.buffer.shift();
      if (!next) return;
      this.active.add(next);
      void this.work(next);
    }
  }

  private async work(held: Held): Promise<void> {
    const started = performance.now();
    const { message } = held;
    let result: MessageResult;
    try {
      result = await this.options.handle(message);
    } catch (error) {
      result = {
        action: "retry",
        outcome: "failed",
        reason: error instanceof Error ? error.message : String(error),
      };
    }
    try {
      await this.settle(message, result);
    } catch (error) {
      this.options.log.warn("message not settled; it will come back", {
        messageId: message.messageId,
        error,
      });
    }
    this.options.log.info("message", {
      messageId: message.messageId,
      receiveCount: message.receiveCount,
      durationMs: Math.round(performance.now() - started),
      action: result.action,
      outcome: result.outcome,
      ...("objects" in result
        ? { objects: result.objects.map(({ outcome, key, ...rest }) => ({ key, outcome, ...rest })) }
        : { key: result.key }),
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.action === "dead-letter"
        ? { code: result.code, ...(result.detail ? { detail: result.detail } : {}) }
        : {}),
    });
    this.active.delete(held);
    this.options.protection?.update(this.held);
    this.pump();
    this.notify();
  }

  private async settle(message: ReceivedMessage, result: MessageResult): Promise<void> {
    if (result.action === "retry") {
      const seconds = retryDelaySeconds(message.receiveCount, this.options.backoff ?? DEFAULT_BACKOFF);
      await this.options.queue.changeVisibility([{ message, seconds }]);
      return;
    }
    if (result.action === "dead-letter") await this.options.queue.deadLetter(message, result);
    this.acks.add(message);
  }

  /** Extends every held message that has less than half its visibility left. */
  private async heartbeat(): Promise<void> {
    const now = Date.now();
    const timeoutMs = this.options.visibilityTimeoutSeconds * this.secondMs;
    const due = [...this.buffer, ...this.active].filter((held) => held.visibleUntil - now < timeoutMs / 2);
    for (let start = 0; start < due.length; start += RECEIVE_BATCH) {
      const batch = due.slice(start, start + RECEIVE_BATCH);
      try {
        const failed = new Set(
          await this.options.queue.changeVisibility(
            batch.map((held) => ({ message: held.message, seconds: this.options.visibilityTimeoutSeconds })),
          ),
        );
        for (const held of batch)
          if (!failed.has(held.message.messageId)) held.visibleUntil = now + timeoutMs;
      } catch (error) {
        this.options.log.warn("visibility not extended", { count: batch.length, error });
      }
    }
  }

  private async drain(): Promise<void> {
    const unstarted = this.buffer.splice(0);
    await this.release(unstarted, "returned unstarted");
    const deadline = Date.now() + this.options.drainSeconds * this.secondMs;
    while (this.active.size > 0 && Date.now() < deadline) await this.nextEvent(deadline - Date.now());
    if (this.active.size > 0)
      await this.release([...this.active], "released unfinished at the drain deadline");
    await this.acks.flush();
    await this.options.protection?.release();
    this.options.log.info("drained", { returned: unstarted.length, unfinished: this.active.size });
  }

  private async release(held: Held[], why: string): Promise<void> {
    for (let start = 0; start < held.length; start += RECEIVE_BATCH) {
      const batch = held.slice(start, start + RECEIVE_BATCH).map(({ message }) => ({ message, seconds: 0 }));
      try {
        await this.options.queue.changeVisibility(batch);
      } catch (error) {
        this.options.log.warn("messages not released; they return after their visibility timeout", { error });
      }
    }
    if (held.length > 0) this.options.log.info(why, { count: held.length });
  }

  /** Resolves when a message finishes, stop() is called, or `timeoutMs` passes. */
  private nextEvent(timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

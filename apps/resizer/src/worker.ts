import { setTimeout as sleep } from "node:timers/promises";
import { withDeadline } from "@icon-fanout/aws-clients";
import type { Logger } from "@icon-fanout/log";
import { AckBatcher } from "./ack-batcher.js";
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelaySeconds } from "./backoff.js";
import { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from "./circuit-breaker.js";
import type { MessageResult } from "./handle-message.js";
import type { ReceivedMessage, WorkQueue } from "./ports.js";
import type { ScaleInProtection } from "./scale-in-protection.js";

/** What one message's work gets besides the message. */
export interface WorkContext {
  /** Aborts when the worker gives the work up (no progress, or the drain deadline). */
  signal: AbortSignal;
  /** The work moved forward (e.g. an S3 call answered): its stall deadline starts again. */
  progress(): void;
}

export interface WorkerOptions {
  queue: WorkQueue;
  /** The work for one message; throwing counts as a transient failure. */
  handle(message: ReceivedMessage, work: WorkContext): Promise<MessageResult>;
  log: Logger;
  /** Messages worked on at once. The worker holds at most 2 × concurrency + 40. */
  concurrency: number;
  /** The queue's visibility timeout; held messages are extended before half of it has passed. */
  visibilityTimeoutSeconds: number;
  /** After stop(), seconds until run() has returned, whatever the network does. */
  drainSeconds: number;
  /** Seconds a message's work may go without progress before it is given up. @default 60 */
  stallSeconds?: number;
  /** Seconds one delete, visibility change or dead-letter call may take. @default 10 */
  queueCallSeconds?: number;
  /** Long-poll wait. @default 20 */
  waitSeconds?: number;
  backoff?: BackoffPolicy;
  breaker?: CircuitBreakerOptions;
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
  /** When its work started or last made progress (ms since epoch). */
  progressAt: number;
  /** Aborts the work once it is given up. */
  abort: AbortController;
  /** The half-open circuit breaker's probe: its result decides whether receiving resumes. */
  probe: boolean;
}

const RECEIVE_BATCH = 10;
const MAX_POLLERS = 4;
/** A long poll's whole call may take this much longer than its wait. */
const RECEIVE_GRACE_SECONDS = 10;

/**
 * A continuous SQS consumer (docs/architecture.md, "The worker"): it long-polls batches of ten
 * (several polls at once) while at most `concurrency` messages are worked on, starting the next as
 * soon as any finishes, deletes finished messages in batches and extends the visibility of what it
 * holds. Work that makes no progress for `stallSeconds` is given up: no longer extended, so the
 * message returns to the queue, and no longer holding a work slot. A circuit breaker pauses
 * receiving while the dependencies fail. stop() returns what has not started, finishes or
 * releases what has, and run() returns within `drainSeconds` whatever the network does.
 */
export class Worker {
  private readonly buffer: Held[] = [];
  private readonly active = new Set<Held>();
  /** Given-up work whose handler has not returned yet. */
  private readonly stalled = new Set<Held>();
  private readonly acks: AckBatcher;
  private readonly breaker: CircuitBreaker;
  private readonly stopSignal = new AbortController();
  /** Aborts the long polls in flight when the breaker opens; replaced each time. */
  private pause = new AbortController();
  private stopping = false;
  private extending = false;
  private receiving = 0;
  private readonly waiters = new Set<() => void>();
  private readonly secondMs: number;
  private readonly stallMs: number;
  private readonly queueCallMs: number;

  constructor(private readonly options: WorkerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.secondMs = options.secondMs ?? 1000;
    this.stallMs = (options.stallSeconds ?? 60) * this.secondMs;
    this.queueCallMs = (options.queueCallSeconds ?? 10) * this.secondMs;
    if (!(this.stallMs > 0 && this.queueCallMs > 0))
      throw new RangeError(
        `stallSeconds and queueCallSeconds must be positive, got ${options.stallSeconds} and ${options.queueCallSeconds}`,
      );
    this.acks = new AckBatcher(options.queue, options.log, options.ackLingerMs, this.queueCallMs);
    this.breaker = new CircuitBreaker(
      options.breaker ?? {},
      options.log,
      (state) => this.onBreakerChange(state),
      this.secondMs,
    );
  }

  /** Messages received and not yet finished or given up. */
  get held(): number {
    return this.buffer.length + this.active.size;
  }

  /** Runs until stop() is called and the drain is over. */
  async run(): Promise<void> {
    const visibilityMs = this.options.visibilityTimeoutSeconds * this.secondMs;
    const tick = setInterval(() => this.tick(), Math.min(visibilityMs, this.stallMs) / 4);
    // Several long polls at once: one receive of ten per request latency would cap a fast worker.
    const pollers = Math.min(MAX_POLLERS, Math.ceil(this.options.concurrency / RECEIVE_BATCH));
    try {
      await Promise.all(Array.from({ length: pollers }, () => this.poll()));
      await this.drain();
    } finally {
      clearInterval(tick);
      this.breaker.stop();
    }
  }

  /** Stops receiving at once; run() resolves after the drain. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopSignal.abort(new Error("the worker is stopping"));
    this.notify();
  }

  private async poll(): Promise<void> {
    while (!this.stopping) {
      const limit = this.breaker.receiveLimit(RECEIVE_BATCH);
      // Stalled work holds no slot: if it is stuck for good, its failures open the circuit breaker.
      const full = this.buffer.length + this.receiving * RECEIVE_BATCH > this.options.concurrency;
      if (limit === 0 || full) {
        await this.nextEvent();
        continue;
      }
      const probe = this.breaker.state === "half-open";
      if (probe) this.breaker.claimProbe();
      this.receiving += 1;
      try {
        await this.receive(limit, probe);
      } finally {
        this.receiving -= 1;
      }
    }
  }

  private async receive(limit: number, probe: boolean): Promise<void> {
    const wait = this.options.waitSeconds ?? 20;
    let messages: ReceivedMessage[];
    try {
      messages = await withDeadline(
        "SQS ReceiveMessage",
        (wait + RECEIVE_GRACE_SECONDS) * this.secondMs,
        AbortSignal.any([this.stopSignal.signal, this.pause.signal]),
        (signal) => this.options.queue.receive(limit, wait, signal),
      );
    } catch (error) {
      if (this.stopping || this.breaker.state === "open") return;
      if (this.breaker.state === "closed") this.options.log.warn("receive failed", { error });
      this.breaker.failed(`receive failed: ${describe(error)}`, probe);
      // A queue second before the next receive; stop() ends it early (the sleep then rejects).
      await sleep(this.secondMs, undefined, { signal: this.stopSignal.signal }).catch(() => {});
      return;
    }
    if (probe && messages.length === 0) this.breaker.probeFoundNothing();
    const now = Date.now();
    const visibleUntil = now + this.options.visibilityTimeoutSeconds * this.secondMs;
    const received = messages.map((message, index) => ({
      message,
      visibleUntil,
      progressAt: now,
      abort: new AbortController(),
      probe: probe && index === 0,
    }));
    if (this.breaker.state === "open") {
      await this.release(received, "returned while dependencies fail");
      return;
    }
    this.buffer.push(...received);
    this.protect();
    this.pump();
  }

  private pump(): void {
    while (!this.stopping && this.breaker.state !== "open" && this.active.size < this.options.concurrency) {
      const next = this.buffer.shift();
      if (!next) return;
      next.progressAt = Date.now();
      this.active.add(next);
      void this.work(next);
    }
  }

  private async work(held: Held): Promise<void> {
    const started = performance.now();
    const { message } = held;
    let result: MessageResult;
    try {
      result = await this.options.handle(message, {
        signal: held.abort.signal,
        progress: () => {
          held.progressAt = Date.now();
        },
      });
    } catch (error) {
      result = { action: "retry", outcome: "failed", reason: describe(error) };
    }
    const givenUp = this.stalled.has(held);
    let settled = true;
    // Given-up work that failed leaves its message to return by itself; finished work is settled.
    if (!(givenUp && result.action === "retry")) {
      try {
        await this.settle(message, result);
      } catch (error) {
        settled = false;
        this.options.log.warn("message not settled; it will come back", {
          messageId: message.messageId,
          error,
        });
      }
    }
    if (!givenUp) {
      if (result.action === "retry" || !settled)
        this.breaker.failed(result.reason ?? "not settled", held.probe);
      else this.breaker.succeeded(held.probe);
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
      ...(givenUp ? { stalled: true } : {}),
    });
    this.active.delete(held);
    this.stalled.delete(held);
    this.protect();
    this.pump();
    this.notify();
  }

  private async settle(message: ReceivedMessage, result: MessageResult): Promise<void> {
    if (result.action === "retry") {
      const seconds = retryDelaySeconds(message.receiveCount, this.options.backoff ?? DEFAULT_BACKOFF);
      await this.queueCall("SQS ChangeMessageVisibilityBatch", (signal) =>
        this.options.queue.changeVisibility([{ message, seconds }], signal),
      );
      return;
    }
    if (result.action === "dead-letter")
      await this.queueCall("SQS SendMessage (dead letter)", (signal) =>
        this.options.queue.deadLetter(message, result.reason, signal),
      );
    this.acks.add(message);
  }

  /** Gives up stalled work, then extends what is held and still progressing. */
  private tick(): void {
    const now = Date.now();
    for (const held of this.active) if (now - held.progressAt > this.stallMs) this.giveUp(held);
    void this.heartbeat(now);
  }

  private giveUp(held: Held): void {
    this.active.delete(held);
    this.stalled.add(held);
    const stalledSeconds = Math.round((Date.now() - held.progressAt) / this.secondMs);
    held.abort.abort(new Error(`no progress for ${stalledSeconds} s`));
    this.options.log.warn("work stalled; its message returns to the queue", {
      messageId: held.message.messageId,
      receiveCount: held.message.receiveCount,
      stalledSeconds,
    });
    this.breaker.failed("work stalled", held.probe);
    this.protect();
    this.pump();
    this.notify();
  }

  /** Extends every held message that has less than half its visibility left, ten per call. */
  private async heartbeat(now: number): Promise<void> {
    if (this.extending) return;
    this.extending = true;
    const timeoutMs = this.options.visibilityTimeoutSeconds * this.secondMs;
    const due = [...this.buffer, ...this.active].filter((held) => held.visibleUntil - now < timeoutMs / 2);
    const batches = [];
    for (let start = 0; start < due.length; start += RECEIVE_BATCH)
      batches.push(due.slice(start, start + RECEIVE_BATCH));
    await Promise.all(
      batches.map(async (batch) => {
        try {
          const failed = new Set(
            await this.queueCall("SQS ChangeMessageVisibilityBatch", (signal) =>
              this.options.queue.changeVisibility(
                batch.map((held) => ({
                  message: held.message,
                  seconds: this.options.visibilityTimeoutSeconds,
                })),
                signal,
              ),
            ),
          );
          for (const held of batch)
            if (!failed.has(held.message.messageId)) held.visibleUntil = now + timeoutMs;
        } catch (error) {
          this.options.log.warn("visibility not extended", { count: batch.length, error });
        }
      }),
    );
    this.extending = false;
  }

  /**
   * Returns unstarted messages, waits for the work in progress until the time kept for the last
   * steps, releases what is unfinished, and sends the last deletes; every step ends by the hard end.
   */
  private async drain(): Promise<void> {
    const drainMs = this.options.drainSeconds * this.secondMs;
    const hardEnd = new AbortController();
    const timer = setTimeout(() => hardEnd.abort(new Error("drain deadline")), drainMs);
    const finishBy = Date.now() + drainMs - Math.min(drainMs / 4, this.queueCallMs);
    try {
      const unstarted = this.buffer.splice(0);
      await this.release(unstarted, "returned unstarted", hardEnd.signal);
      while (this.active.size > 0 && Date.now() < finishBy) await this.nextEvent(finishBy - Date.now());
      const unfinished = [...this.active];
      for (const held of unfinished) this.giveUpAtDrain(held);
      await this.release(unfinished, "released unfinished at the drain deadline", hardEnd.signal);
      await this.acks.flush(hardEnd.signal);
      if (this.options.protection) {
        const protection = this.options.protection;
        await withDeadline("scale-in protection release", this.queueCallMs, hardEnd.signal, () =>
          protection.release(),
        ).catch((error: unknown) => this.options.log.warn("scale-in protection not released", { error }));
      }
      this.options.log.info("drained", {
        returned: unstarted.length,
        unfinished: unfinished.length,
        stalled: this.stalled.size,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private giveUpAtDrain(held: Held): void {
    this.active.delete(held);
    this.stalled.add(held);
    held.abort.abort(new Error("drain deadline"));
  }

  private async release(held: Held[], why: string, signal?: AbortSignal): Promise<void> {
    const batches = [];
    for (let start = 0; start < held.length; start += RECEIVE_BATCH)
      batches.push(held.slice(start, start + RECEIVE_BATCH));
    await Promise.all(
      batches.map(async (batch) => {
        try {
          await this.queueCall(
            "SQS ChangeMessageVisibilityBatch",
            (callSignal) =>
              this.options.queue.changeVisibility(
                batch.map(({ message }) => ({ message, seconds: 0 })),
                callSignal,
              ),
            signal,
          );
        } catch (error) {
          this.options.log.warn("messages not released; they return after their visibility timeout", {
            messageIds: batch.map(({ message }) => message.messageId),
            error,
          });
        }
      }),
    );
    if (held.length > 0) this.options.log.info(why, { count: held.length });
  }

  private queueCall<T>(
    what: string,
    call: (signal: AbortSignal) => Promise<T>,
    parent?: AbortSignal,
  ): Promise<T> {
    return withDeadline(what, this.queueCallMs, parent, call);
  }

  private onBreakerChange(state: BreakerState): void {
    if (state === "open") {
      // Long polls in flight would bring messages only to hand them back.
      this.pause.abort(new Error("receiving paused"));
      this.pause = new AbortController();
      void this.release(this.buffer.splice(0), "returned while dependencies fail");
      this.protect();
    }
    this.pump();
    this.notify();
  }

  /** Scale-in protection stays on while the worker holds work that is waiting or progressing. */
  private protect(): void {
    this.options.protection?.update(this.held);
  }

  /** Resolves when a message finishes, the state changes, stop() is called, or `timeoutMs` passes. */
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

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error.message;
}

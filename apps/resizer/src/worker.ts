import { setTimeout as sleep } from "node:timers/promises";
import { withDeadline } from "@icon-fanout/aws-clients";
import { AckBatcher } from "./ack-batcher.js";
import { DEFAULT_BACKOFF } from "./backoff.js";
import { type BreakerState, CircuitBreaker } from "./circuit-breaker.js";
import type { MessageResult } from "./handle-message.js";
import { type Held, SQS_BATCH } from "./held.js";
import type { ReceivedMessage } from "./ports.js";
import { messageLogFields, Settler } from "./settler.js";
import { Visibility } from "./visibility.js";
import type { WorkerOptions } from "./worker-options.js";

export type { WorkContext, WorkerOptions } from "./worker-options.js";

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
  private readonly visibility: Visibility;
  private readonly settler: Settler;
  private readonly breaker: CircuitBreaker;
  private readonly stopSignal = new AbortController();
  /** Aborts the long polls in flight when the breaker opens; replaced each time. */
  private pause = new AbortController();
  private stopping = false;
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
    this.settler = new Settler(
      options.queue,
      this.acks,
      options.backoff ?? DEFAULT_BACKOFF,
      this.queueCallMs,
    );
    this.visibility = new Visibility(
      options.queue,
      options.log,
      options.visibilityTimeoutSeconds,
      this.secondMs,
      this.queueCallMs,
    );
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
    const pollers = Math.min(MAX_POLLERS, Math.ceil(this.options.concurrency / SQS_BATCH));
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
      const limit = this.breaker.receiveLimit(SQS_BATCH);
      // Stalled work holds no slot: if it is stuck for good, its failures open the circuit breaker.
      const full = this.buffer.length + this.receiving * SQS_BATCH > this.options.concurrency;
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
      this.breaker.failed(`receive failed: ${reasonOf(error)}`, probe);
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
      await this.visibility.release(received, "returned while dependencies fail");
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
      result = { action: "retry", outcome: "failed", reason: reasonOf(error) };
    }
    const givenUp = this.stalled.has(held);
    let settled = true;
    // Given-up work that failed leaves its message to return by itself; finished work is settled.
    if (!(givenUp && result.action === "retry")) {
      try {
        await this.settler.settle(message, result);
      } catch (error) {
        settled = false;
        // Once the breaker has reported the outage, each message's share of it is a debug line.
        const log = this.breaker.state === "closed" ? this.options.log.warn : this.options.log.debug;
        log("message not settled; it will come back", { messageId: message.messageId, error });
      }
    }
    if (!givenUp) {
      if (!settled) this.breaker.failed("message not settled", held.probe);
      else if (result.action === "retry") this.breaker.failed(result.reason, held.probe);
      else this.breaker.succeeded(held.probe);
    }
    this.options.log.info("message", {
      ...messageLogFields(message, result, performance.now() - started, givenUp),
      ...(settled ? {} : { settled: false }),
    });
    this.active.delete(held);
    this.stalled.delete(held);
    this.protect();
    this.pump();
    this.notify();
  }

  /** Gives up stalled work, then extends what is held and still progressing. */
  private tick(): void {
    const now = Date.now();
    for (const held of this.active) if (now - held.progressAt > this.stallMs) this.giveUp(held);
    void this.visibility.extendDue([...this.buffer, ...this.active], now);
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
      await this.visibility.release(unstarted, "returned unstarted", hardEnd.signal);
      while (this.active.size > 0 && Date.now() < finishBy) await this.nextEvent(finishBy - Date.now());
      const unfinished = [...this.active];
      for (const held of unfinished) this.giveUpAtDrain(held);
      await this.visibility.release(unfinished, "released unfinished at the drain deadline", hardEnd.signal);
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

  private onBreakerChange(state: BreakerState): void {
    if (state === "open") {
      // Long polls in flight would bring messages only to hand them back.
      this.pause.abort(new Error("receiving paused"));
      this.pause = new AbortController();
      void this.visibility.release(this.buffer.splice(0), "returned while dependencies fail");
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

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { DeadLetterReason, ReceivedMessage, VisibilityChange, WorkQueue } from "../ports.js";
import { meetOutage, type Outage, transientError } from "./faults.js";

export interface FakeSqsOptions {
  visibilityTimeoutSeconds: number;
  /** Receives after which a message moves to the dead-letter queue (the redrive policy). */
  maxReceiveCount: number;
  /** Milliseconds in one queue second, to run queue time faster than wall time. @default 1000 */
  secondMs?: number;
  /** Added to every request. @default 0 */
  latencyMs?: number;
  /** Probability that a request fails with a transient error (per entry for batch calls). @default 0 */
  faultRate?: number;
  random?: () => number;
}

interface Stored {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  receiptHandle: string | undefined;
}

export interface DeadLetter {
  /** The message's id in the source queue (SQS gives the dead-letter copy a new one). */
  id: string;
  body: string;
  /** Why it is here: the worker's reason, or `maxReceiveCount exceeded` for the redrive policy. */
  reason: string;
  /** The refusal's code when the worker moved it; none for the redrive policy. */
  code?: string;
}

/**
 * An SQS standard queue with its dead-letter queue, with the semantics the worker relies on:
 * visibility timeouts, receive counts, redrive after maxReceiveCount, receipt handles that change on
 * every receive (a stale one deletes nothing and cannot change visibility), the 10-entry batch
 * limit, long polling, and injected transient failures.
 */
export class FakeSqs implements WorkQueue {
  private readonly messages = new Map<string, Stored>();
  readonly deadLetters: DeadLetter[] = [];
  readonly requests = { receive: 0, delete: 0, changeVisibility: 0, deadLetter: 0 };
  /** Receives that returned nothing (long polls that timed out or were aborted). */
  emptyReceives = 0;
  /** Messages handed out by receives, redeliveries included. */
  delivered = 0;
  /** While set, every request meets it (tests switch it on and off to model an outage and its heal). */
  outage: Outage | undefined;
  private readonly drainWaiters: (() => void)[] = [];
  private readonly secondMs: number;
  private readonly random: () => number;

  constructor(private readonly options: FakeSqsOptions) {
    this.secondMs = options.secondMs ?? 1000;
    this.random = options.random ?? Math.random;
  }

  send(body: string): string {
    const id = randomUUID();
    this.messages.set(id, { id, body, receiveCount: 0, visibleAt: 0, receiptHandle: undefined });
    return id;
  }

  /** Resolves once every message sent has been deleted or moved to the dead-letter queue. */
  drained(): Promise<void> {
    if (this.messages.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Messages not deleted: visible (waiting) and in flight (received, hidden). */
  depth(): { visible: number; inFlight: number } {
    const now = Date.now();
    let visible = 0;
    for (const message of this.messages.values()) if (message.visibleAt <= now) visible += 1;
    return { visible, inFlight: this.messages.size - visible };
  }

  async receive(max: number, waitSeconds: number, signal: AbortSignal): Promise<ReceivedMessage[]> {
    this.requests.receive += 1;
    if (!Number.isInteger(max) || max < 1 || max > 10)
      throw new Error(`MaxNumberOfMessages must be 1-10, got ${max}`);
    if (waitSeconds < 0 || waitSeconds > 20)
      throw new Error(`WaitTimeSeconds must be 0-20, got ${waitSeconds}`);
    await this.latency();
    await meetOutage(this.outage, signal);
    if (this.fault()) throw transientError("ServiceUnavailable", "Service is unavailable");
    const deadline = Date.now() + waitSeconds * this.secondMs;
    for (;;) {
      const received = signal.aborted ? [] : this.take(max);
      if (received.length > 0) return received;
      if (signal.aborted || Date.now() >= deadline) {
        this.emptyReceives += 1;
        return received;
      }
      // An abort ends the long poll at once, as it does the SDK's request.
      await sleep(Math.min(5, Math.max(1, deadline - Date.now())), undefined, { signal }).catch(() => {});
    }
  }

  async delete(messages: ReceivedMessage[], signal?: AbortSignal): Promise<string[]> {
    this.requests.delete += 1;
    this.checkBatch(messages.length);
    await this.latency();
    await meetOutage(this.outage, signal);
    if (this.fault()) throw transientError();
    const failed: string[] = [];
    for (const message of messages) {
      if (this.fault()) {
        failed.push(message.messageId);
        continue;
      }
      const stored = this.messages.get(message.messageId);
      // A stale receipt handle "succeeds" but deletes nothing, as SQS documents.
      if (stored && stored.receiptHandle === message.receiptHandle) this.remove(message.messageId);
    }
    return failed;
  }

  async changeVisibility(changes: VisibilityChange[], signal?: AbortSignal): Promise<string[]> {
    this.requests.changeVisibility += 1;
    this.checkBatch(changes.length);
    await this.latency();
    await meetOutage(this.outage, signal);
    if (this.fault()) throw transientError();
    const now = Date.now();
    const failed: string[] = [];
    for (const { message, seconds } of changes) {
      if (seconds < 0 || seconds > 43200)
        throw new Error(`VisibilityTimeout must be 0-43200, got ${seconds}`);
      const stored = this.messages.get(message.messageId);
      const inFlight = stored && stored.receiptHandle === message.receiptHandle && stored.visibleAt > now;
      if (!stored || !inFlight || this.fault()) {
        failed.push(message.messageId);
        continue;
      }
      stored.visibleAt = now + seconds * this.secondMs;
    }
    return failed;
  }

  async deadLetter(message: ReceivedMessage, why: DeadLetterReason, signal?: AbortSignal): Promise<void> {
    this.requests.deadLetter += 1;
    await this.latency();
    await meetOutage(this.outage, signal);
    if (this.fault()) throw transientError();
    this.deadLetters.push({ id: message.messageId, body: message.body, reason: why.reason, code: why.code });
  }

  private take(max: number): ReceivedMessage[] {
    const now = Date.now();
    const received: ReceivedMessage[] = [];
    for (const stored of this.messages.values()) {
      if (received.length >= max) break;
      if (stored.visibleAt > now) continue;
      if (stored.receiveCount >= this.options.maxReceiveCount) {
        this.remove(stored.id);
        this.deadLetters.push({ id: stored.id, body: stored.body, reason: "maxReceiveCount exceeded" });
        continue;
      }
      stored.receiveCount += 1;
      this.delivered += 1;
      stored.receiptHandle = randomUUID();
      stored.visibleAt = now + this.options.visibilityTimeoutSeconds * this.secondMs;
      received.push({
        messageId: stored.id,
        receiptHandle: stored.receiptHandle,
        body: stored.body,
        receiveCount: stored.receiveCount,
      });
    }
    return received;
  }

  private remove(id: string): void {
    this.messages.delete(id);
    if (this.messages.size === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private checkBatch(size: number): void {
    if (size < 1 || size > 10) throw new Error(`a batch holds 1-10 entries, got ${size}`);
  }

  private fault(): boolean {
    return (this.options.faultRate ?? 0) > 0 && this.random() < (this.options.faultRate ?? 0);
  }

  private async latency(): Promise<void> {
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
  }
}

import type { Logger } from "@icon-fanout/log";
import type { BackoffPolicy } from "./backoff.js";
import type { CircuitBreakerOptions } from "./circuit-breaker.js";
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

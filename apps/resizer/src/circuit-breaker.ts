import type { Logger } from "@icon-fanout/log";

export interface CircuitBreakerOptions {
  /** Failures in a row (work failed for now or stalled, a receive failed) that pause receiving. @default 5 */
  failuresToOpen?: number;
  /** Queue seconds of the first pause; each failed probe doubles it. @default 5 */
  firstPauseSeconds?: number;
  /** The longest pause: a healed network waits at most this long for the next probe. @default 30 */
  maxPauseSeconds?: number;
}

export type BreakerState = "closed" | "open" | "half-open";

/**
 * Keeps the worker from taking messages it can only fail while S3 or SQS is failing: each one
 * taken and failed costs a receive (toward `maxReceiveCount`) and, with SQS down too, waits a whole
 * visibility timeout. After `failuresToOpen` failures in a row receiving pauses (open); when the
 * pause ends one message is taken as a probe (half-open), whose success resumes receiving (closed)
 * and whose failure pauses again for twice as long. Each change of state is logged once.
 */
export class CircuitBreaker {
  private current: BreakerState = "closed";
  private failures = 0;
  private pauseMs: number;
  private readonly firstPauseMs: number;
  private readonly maxPauseMs: number;
  private readonly failuresToOpen: number;
  private probeOut = false;
  private openedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    options: CircuitBreakerOptions,
    private readonly log: Logger,
    /** Called after every change of state. */
    private readonly onChange: (state: BreakerState) => void,
    private readonly secondMs = 1000,
  ) {
    this.failuresToOpen = options.failuresToOpen ?? 5;
    this.firstPauseMs = (options.firstPauseSeconds ?? 5) * secondMs;
    this.maxPauseMs = (options.maxPauseSeconds ?? 30) * secondMs;
    this.pauseMs = this.firstPauseMs;
    if (!Number.isInteger(this.failuresToOpen) || this.failuresToOpen < 1)
      throw new RangeError(`failuresToOpen must be a positive integer, got ${this.failuresToOpen}`);
    if (!(this.firstPauseMs > 0 && this.maxPauseMs >= this.firstPauseMs))
      throw new RangeError(
        `pauses must satisfy 0 < firstPauseSeconds <= maxPauseSeconds, got ${options.firstPauseSeconds} and ${options.maxPauseSeconds}`,
      );
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Messages a receive may take now: a batch when closed, the one probe when half-open, else none. */
  receiveLimit(batch: number): number {
    if (this.current === "closed") return batch;
    return this.current === "half-open" && !this.probeOut ? 1 : 0;
  }

  /** A half-open receive is going out: no other may until its message has decided. */
  claimProbe(): void {
    if (this.current === "half-open") this.probeOut = true;
  }

  /** The probe's receive found the queue empty: the next receive probes instead. */
  probeFoundNothing(): void {
    this.probeOut = false;
  }

  /** Work finished (deleted or dead-lettered): the dependencies answer. */
  succeeded(probe: boolean): void {
    if (this.current === "closed") {
      this.failures = 0;
      return;
    }
    if (this.current !== "half-open" || !probe) return;
    this.log.info("dependencies recovered: receiving resumed", {
      outageSeconds: Math.round((Date.now() - this.openedAt) / this.secondMs),
    });
    this.failures = 0;
    this.pauseMs = this.firstPauseMs;
    this.probeOut = false;
    this.change("closed");
  }

  /** Work failed for now, stalled or was not settled, or a receive failed. */
  failed(reason: string, probe: boolean): void {
    if (this.current === "closed") {
      this.failures += 1;
      if (this.failures < this.failuresToOpen) return;
      this.openedAt = Date.now();
      this.log.warn("dependencies failing: receiving paused", {
        failures: this.failures,
        reason,
        pauseSeconds: this.pauseMs / this.secondMs,
      });
      this.open();
      return;
    }
    if (this.current !== "half-open" || !probe) return;
    this.pauseMs = Math.min(this.maxPauseMs, this.pauseMs * 2);
    this.log.warn("probe failed: receiving paused", { reason, pauseSeconds: this.pauseMs / this.secondMs });
    this.open();
  }

  /** Cancels a pending probe (the worker is stopping). */
  stop(): void {
    clearTimeout(this.timer);
  }

  private open(): void {
    this.probeOut = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.log.info("probing dependencies", {});
      this.change("half-open");
    }, this.pauseMs);
    this.change("open");
  }

  private change(state: BreakerState): void {
    this.current = state;
    this.onChange(state);
  }
}

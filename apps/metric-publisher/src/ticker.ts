/** The clock a ticker runs on; tests pass fake timers. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface TickerEvents {
  /** A boundary passed while the previous tick was still running; that boundary is not ticked. */
  onSkip?(at: Date, runningSince: Date): void;
}

/**
 * Runs `tick` at every wall-clock multiple of `periodMs` (…:00, :10, :20 for 10 s), never two at
 * once: a boundary that arrives while a tick runs is skipped, not queued, so a slow tick cannot
 * cause a burst of late ones.
 */
export class Ticker {
  private timer: unknown;
  private running: { since: Date; done: Promise<void> } | undefined;
  private stopped = true;

  constructor(
    private readonly periodMs: number,
    private readonly tick: (at: Date) => Promise<void>,
    private readonly events: TickerEvents = {},
    private readonly clock: Clock = systemClock,
  ) {
    if (!Number.isInteger(periodMs) || periodMs <= 0)
      throw new RangeError(`periodMs must be a positive integer, got ${periodMs}`);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.scheduleNext();
  }

  /** Stops scheduling and resolves once the tick in progress, if any, has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    await this.running?.done;
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const boundary = (Math.floor(now / this.periodMs) + 1) * this.periodMs;
    this.timer = this.clock.setTimeout(() => this.fire(new Date(boundary)), boundary - now);
  }

  private fire(at: Date): void {
    if (this.stopped) return;
    if (this.running) {
      this.events.onSkip?.(at, this.running.since);
    } else {
      const done = this.tick(at)
        .catch(() => {})
        .finally(() => {
          this.running = undefined;
        });
      this.running = { since: at, done };
    }
    this.scheduleNext();
  }
}

import { setTimeout as sleep } from "node:timers/promises";

/**
 * Spaces sends so that, over any stretch of time t, at most `perSecond × t` messages plus one
 * batch go out: each batch books its share of time after the previous one's.
 */
export class Pacer {
  private nextAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError(`rate must be positive, got ${perSecond}`);
  }

  /** Resolves when `count` more messages may go; rejects with the signal's reason if it aborts first. */
  async admit(count: number, signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + (count * 1000) / this.perSecond;
    if (at > now) await sleep(at - now, undefined, signal ? { signal } : {});
  }
}

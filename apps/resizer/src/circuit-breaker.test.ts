import { createLogger } from "@icon-fanout/log";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type BreakerState, CircuitBreaker } from "./circuit-breaker.js";

function breaker(options: ConstructorParameters<typeof CircuitBreaker>[0] = {}) {
  const lines: Record<string, unknown>[] = [];
  const states: BreakerState[] = [];
  const log = createLogger({ write: (line) => lines.push(JSON.parse(line)) });
  return { lines, states, breaker: new CircuitBreaker(options, log, (state) => states.push(state)) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("CircuitBreaker", () => {
  it("opens only after the set number of failures in a row", () => {
    const { breaker: b, states } = breaker({ failuresToOpen: 3 });
    b.failed("InternalError", false);
    b.failed("InternalError", false);
    b.succeeded(false);
    b.failed("InternalError", false);
    b.failed("InternalError", false);
    expect(states).toEqual([]);
    b.failed("InternalError", false);
    expect(states).toEqual(["open"]);
    expect(b.receiveLimit(10)).toBe(0);
    b.stop();
  });

  it("doubles the pause after each failed probe up to the longest, and lets one probe out at a time", async () => {
    vi.useFakeTimers();
    const { breaker: b, lines } = breaker({ failuresToOpen: 1, firstPauseSeconds: 5, maxPauseSeconds: 30 });
    b.failed("SlowDown", false);
    for (const pause of [5, 10, 20, 30]) {
      await vi.advanceTimersByTimeAsync(pause * 1000 - 1);
      expect(b.state).toBe("open");
      await vi.advanceTimersByTimeAsync(1);
      expect(b.receiveLimit(10)).toBe(1);
      b.claimProbe();
      expect(b.receiveLimit(10)).toBe(0);
      b.failed("SlowDown", true);
    }
    const pauses = lines
      .filter((line) => String(line.msg).endsWith("receiving paused"))
      .map((line) => line.pauseSeconds);
    expect(pauses).toEqual([5, 10, 20, 30, 30]);
    b.stop();
  });

  it("closes on the probe's success only, and starts the next outage from the first pause", async () => {
    vi.useFakeTimers();
    const { breaker: b, lines } = breaker({ failuresToOpen: 1, firstPauseSeconds: 5 });
    b.failed("SlowDown", false);
    await vi.advanceTimersByTimeAsync(5_000);
    b.claimProbe();
    b.succeeded(false); // work from before the outage finishing late proves nothing
    expect(b.state).toBe("half-open");
    b.succeeded(true);
    expect(b.state).toBe("closed");
    expect(b.receiveLimit(10)).toBe(10);
    b.failed("SlowDown", false);
    expect(lines.map((line) => [line.msg, line.pauseSeconds ?? line.outageSeconds])).toEqual([
      ["dependencies failing: receiving paused", 5],
      ["probing dependencies", undefined],
      ["dependencies recovered: receiving resumed", 5],
      ["dependencies failing: receiving paused", 5],
    ]);
    b.stop();
  });

  it("names a setting out of range", () => {
    expect(() => breaker({ failuresToOpen: 0 })).toThrow("failuresToOpen must be a positive integer, got 0");
    expect(() => breaker({ firstPauseSeconds: 10, maxPauseSeconds: 5 })).toThrow(
      "pauses must satisfy 0 < firstPauseSeconds <= maxPauseSeconds, got 10 and 5",
    );
  });
});

import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Ticker } from "./ticker.js";

beforeEach(() => {
  vi.useFakeTimers({ fakeNodeBuiltins: true });
  vi.setSystemTime(new Date("2026-11-21T10:00:03.250Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

const clock = {
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
};

describe("Ticker", () => {
  it("ticks on wall-clock 10-second boundaries", async () => {
    const ticks: string[] = [];
    const ticker = new Ticker(10_000, async (at) => void ticks.push(at.toISOString()), {}, clock);
    ticker.start();
    await vi.advanceTimersByTimeAsync(36_750);
    expect(ticks).toEqual([
      "2026-11-21T10:00:10.000Z",
      "2026-11-21T10:00:20.000Z",
      "2026-11-21T10:00:30.000Z",
      "2026-11-21T10:00:40.000Z",
    ]);
    await ticker.stop();
  });

  it("never overlaps: a slow tick makes the next boundary skip, and says so", async () => {
    const started: string[] = [];
    const skipped: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const ticker = new Ticker(
      10_000,
      async (at) => {
        started.push(at.toISOString());
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await sleep(started.length === 1 ? 15_000 : 1_000);
        running -= 1;
      },
      { onSkip: (at) => skipped.push(at.toISOString()) },
      clock,
    );
    ticker.start();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(maxRunning).toBe(1);
    expect(started).toEqual([
      "2026-11-21T10:00:10.000Z",
      "2026-11-21T10:00:30.000Z",
      "2026-11-21T10:00:40.000Z",
    ]);
    expect(skipped).toEqual(["2026-11-21T10:00:20.000Z"]);
    await ticker.stop();
  });

  it("keeps ticking after a tick throws", async () => {
    let calls = 0;
    const ticker = new Ticker(
      10_000,
      async () => {
        calls += 1;
        throw new Error("boom");
      },
      {},
      clock,
    );
    ticker.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toBe(3);
    await ticker.stop();
  });

  it("stop waits for the tick in progress and schedules no more", async () => {
    let finished = false;
    let calls = 0;
    const ticker = new Ticker(
      10_000,
      async () => {
        calls += 1;
        await sleep(2_000);
        finished = true;
      },
      {},
      clock,
    );
    ticker.start();
    await vi.advanceTimersByTimeAsync(7_000);
    const stopped = ticker.stop();
    await vi.advanceTimersByTimeAsync(2_000);
    await stopped;
    expect(finished).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(1);
  });

  it("refuses a period that is not a positive whole number of milliseconds", () => {
    expect(() => new Ticker(0, async () => {})).toThrow(/periodMs must be a positive integer/);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SCALING_METRIC, MIN_SCALING_METRIC, scalingMetric } from "./index.js";

describe("scalingMetric", () => {
  it.each([
    // [tasks, visible, expected, why]
    [0, 0, 100, "nothing running, nothing waiting: at target, no action"],
    [1, 0, 100, "one idle task is not penalised (it is the floor)"],
    [2, 0, 50, "idle with spare tasks: over-provisioning penalty"],
    [10, 0, 50, "idle with many tasks: penalty"],
    [0, 1, 200, "work waits with no task: doubles the target"],
    [0, 4, 500, "capped at 5 × 100"],
    [1, 6, 200, "one task, six messages: 1 + 6/6"],
    [1, 3, 150, "one task, three messages"],
    [2, 11, 200, "two tasks, eleven messages: 1 + 11/11"],
    [3, 1, 100 + 100 / 16, "tasks > 1 with visible > 0: no penalty"],
    [1, 1_000_000, 500, "huge backlog stays capped"],
    [1_000, 5_000, 100 + (5_000 / 5_001) * 100, "large fleet"],
  ])("tasks=%i visible=%i → %d (%s)", (tasks, visible, expected) => {
    expect(scalingMetric(tasks, visible)).toBeCloseTo(expected, 10);
  });

  it("uses the acceptable messages per task when given", () => {
    expect(scalingMetric(1, 10, 10)).toBeCloseTo(100 + (10 / 11) * 100, 10);
  });

  it.each([
    [-1, 0, /runningTasks must be a non-negative integer, got -1/],
    [0, -1, /visibleMessages must be a non-negative integer, got -1/],
    [Number.NaN, 0, /runningTasks must be a non-negative integer, got NaN/],
    [0, Number.POSITIVE_INFINITY, /visibleMessages must be a non-negative integer, got Infinity/],
    [1.5, 0, /runningTasks must be a non-negative integer, got 1.5/],
  ])("refuses tasks=%s visible=%s", (tasks, visible, message) => {
    expect(() => scalingMetric(tasks, visible)).toThrow(message);
  });

  it("refuses a non-positive acceptable messages per task", () => {
    expect(() => scalingMetric(1, 1, 0)).toThrow(/acceptableMessagesPerTask must be a finite number above 0/);
  });

  it("is always finite and within [50, 500] for any counts", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (tasks, visible) => {
        const metric = scalingMetric(tasks, visible);
        return Number.isFinite(metric) && metric >= MIN_SCALING_METRIC && metric <= MAX_SCALING_METRIC;
      }),
      { numRuns: 5_000 },
    );
  });

  it("never falls when the backlog grows for a fixed fleet", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.nat(10_000), fc.nat(10_000), (tasks, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return scalingMetric(tasks, low) <= scalingMetric(tasks, high);
      }),
    );
  });
});

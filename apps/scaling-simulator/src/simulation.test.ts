import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PolicySetup, policySetups } from "./policies/index.js";
import { Random } from "./random.js";
import type { SimSettings } from "./settings.js";
import { simulate } from "./simulation.js";
import type { Workload } from "./workloads.js";

const settings = (overrides: Partial<SimSettings> = {}): SimSettings => ({
  stack: "test",
  scaling: {
    minTasks: 0,
    maxTasks: 4,
    targetValue: 100,
    scaleInCooldownSeconds: 30,
    scaleOutCooldownSeconds: 60,
    acceptableMessagesPerTask: 5,
    stopAfterIdleMinutes: 3,
  },
  cpu: 512,
  memory: 1024,
  concurrency: 4,
  drainSeconds: 90,
  iconsPerSecondPerTask: 20,
  startMedianSeconds: 30,
  ...overrides,
});

const workload = (arrivals: number[]): Workload => {
  const sorted = Float64Array.from(arrivals).sort();
  return { name: "test", arrivals: sorted, endSeconds: (sorted[sorted.length - 1] ?? 0) + 600 };
};

/** A policy that sets a random desired count every tick: tasks stop with work in hand. */
const chaos = (seed: number): PolicySetup => {
  const random = new Random(seed);
  return {
    name: "fixed",
    description: "random desired counts",
    minCapacity: 0,
    maxCapacity: 4,
    initialTasks: 1,
    create: () => ({
      onReading: (reading, target) => {
        if (reading.at < 900) target.set(reading.at, random.integer(0, 4), "chaos");
        else target.set(reading.at, 1, "chaos"); // then one task finishes everything
      },
    }),
  };
};

describe("a run", () => {
  it("processes every upload exactly once, whatever the policy does to the tasks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 600, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.nat(1_000),
        fc.constantFrom(1, 5, 200),
        (times, seed, drainSeconds) => {
          // Eight seconds an icon against drains of 1–200 s: stops often catch work in hand.
          const slow = settings({ drainSeconds, iconsPerSecondPerTask: 0.5 });
          const result = simulate(slow, workload(times), chaos(seed), seed);
          return result.processed === times.length && result.duplicates === 0;
        },
      ),
      { numRuns: 60 },
    );
  });

  it("processes every upload exactly once under each compared policy", () => {
    const uploads = workload(Array.from({ length: 500 }, (_, i) => (i * 7) % 1200));
    for (const setup of policySetups(settings())) {
      const result = simulate(settings(), uploads, setup, 3);
      expect([setup.name, result.processed, result.duplicates]).toEqual([setup.name, 500, 0]);
    }
  });

  it("starts the first task from zero and waits for it: latency is at least the start", () => {
    const stack = policySetups(settings()).find((setup) => setup.name === "stack") as PolicySetup;
    const result = simulate(settings({ startMedianSeconds: 60 }), workload([1, 1.5, 2]), stack, 1);
    expect(result.actions[0]).toMatchObject({ from: 0, to: 1, by: "start-first-task" });
    expect(Math.min(...result.latencies)).toBeGreaterThan(20);
  });

  it("stops the last task after the queue has been empty for three minutes", () => {
    const stack = policySetups(settings()).find((setup) => setup.name === "stack") as PolicySetup;
    const result = simulate(settings(), workload([1]), stack, 1);
    const stop = result.actions.find((action) => action.by === "stop-last-task");
    const done = 1 + (result.latencies[0] as number);
    expect(stop?.to).toBe(0);
    expect((stop?.at ?? 0) - done).toBeGreaterThanOrEqual(180);
    expect((stop?.at ?? 0) - done).toBeLessThan(260);
  });

  it("bills each task from launch to exit, at least a minute", () => {
    const fixed = policySetups(settings()).find((setup) => setup.name === "fixed") as PolicySetup;
    const result = simulate(settings(), workload([5]), fixed, 1);
    expect(result.billedTaskSeconds).toBe(result.endSeconds);
  });
});

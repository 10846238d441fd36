import { describe, expect, it } from "vitest";
import { EventQueue } from "./event-queue.js";
import { countFlaps, percentile } from "./summary.js";

describe("report figures", () => {
  it("counts a flap at each change of direction, none for steps the same way", () => {
    expect(countFlaps([])).toBe(0);
    expect(countFlaps([1, 1, 1])).toBe(0);
    expect(countFlaps([1, -1, 1, -1])).toBe(3);
    expect(countFlaps([1, 1, -1, -1, 1])).toBe(2);
  });

  it("takes nearest-rank percentiles", () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)]).toEqual([
      50, 95, 99,
    ]);
    expect(percentile(new Float64Array(), 0.99)).toBe(0);
  });
});

describe("the event queue", () => {
  it("runs events in time order, same-time events in the order they were scheduled", () => {
    const clock = new EventQueue();
    const seen: string[] = [];
    for (const [at, name] of [
      [5, "c"],
      [1, "a"],
      [5, "d"],
      [3, "b"],
    ] as const)
      clock.schedule(at, () => seen.push(name));
    clock.runUntil(4);
    expect(seen).toEqual(["a", "b"]);
    clock.runUntil(10);
    expect(seen).toEqual(["a", "b", "c", "d"]);
  });

  it("refuses an event in the past", () => {
    const clock = new EventQueue();
    clock.runUntil(10);
    expect(() => clock.schedule(9, () => {})).toThrow("cannot schedule at 9, before now (10)");
  });
});

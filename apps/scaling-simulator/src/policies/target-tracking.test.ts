import { describe, expect, it } from "vitest";
import type { Reading } from "../reading.js";
import { ScalableTarget } from "../scalable-target.js";
import { TargetTracking } from "./target-tracking.js";

/** Feeds one reading per 10 s whose metric (carried in `visible`) is `metricAt(minute)`. */
function drive(
  policy: TargetTracking,
  target: ScalableTarget,
  minutes: number,
  metricAt: (minute: number) => number,
) {
  for (let at = 0; at <= minutes * 60; at += 10) {
    const reading: Reading = {
      at,
      visible: metricAt(Math.floor(at / 60)),
      inFlight: 0,
      running: target.desired,
      desired: target.desired,
    };
    policy.onReading(reading, target);
  }
}

const tracking = (overrides: Partial<ConstructorParameters<typeof TargetTracking>[0]> = {}) =>
  new TargetTracking({
    name: "tt",
    metric: (reading) => reading.visible,
    targetValue: 100,
    scaleInCooldownSeconds: 30,
    scaleOutCooldownSeconds: 60,
    ...overrides,
  });

const target = (desired: number, min = 1, max = 20) => new ScalableTarget(min, max, desired, () => {});

describe("target tracking's high alarm", () => {
  it("does nothing after two breaching minutes followed by one at target", () => {
    const t = target(1);
    drive(tracking(), t, 6, (minute) => (minute < 2 ? 200 : 100));
    expect(t.actions).toEqual([]);
  });

  it("scales out once three consecutive minutes average above target, in proportion", () => {
    const t = target(1);
    drive(tracking(), t, 3, () => 200);
    // The third minute closes at 180 s; capacity 1 × 200 / 100.
    expect(t.actions).toEqual([{ at: 180, from: 1, to: 2, by: "tt" }]);
  });

  it("averages the six 10-second readings of a minute: one reading of 400 among five of 100 breaches", () => {
    const t = target(1);
    const policy = tracking();
    for (let at = 0; at <= 180; at += 10) {
      const visible = at % 60 === 0 ? 400 : 100; // minute average 150
      policy.onReading({ at, visible, inFlight: 0, running: 1, desired: t.desired }, t);
    }
    expect(t.actions).toEqual([{ at: 180, from: 1, to: 2, by: "tt" }]);
  });

  it("rounds the proportional capacity up and clamps it to max capacity", () => {
    const t = target(4, 1, 9);
    drive(tracking(), t, 3, () => 338);
    expect(t.actions).toEqual([{ at: 180, from: 4, to: 9, by: "tt" }]); // ceil(4 × 3.38) = 14 → 9
  });

  it("within the scale-out cooldown acts only on a larger scale-out, counting the capacity already added", () => {
    const t = target(2);
    drive(tracking({ scaleOutCooldownSeconds: 600 }), t, 5, (minute) => (minute < 3 ? 200 : 300));
    // 180 s: 2 × 2 = 4. 240 s (in cooldown, minute 3 averaged 300): 2 × 3 = 6, not 4 × 3 = 12.
    // 300 s: 2 × 3 = 6 again, no larger: nothing.
    expect(t.actions.map((a) => [a.at, a.to])).toEqual([
      [180, 4],
      [240, 6],
    ]);
  });
});

describe("target tracking's low alarm", () => {
  it("needs fifteen consecutive minutes below 90 % of the target", () => {
    const t = target(2);
    drive(tracking(), t, 14, () => 50);
    expect(t.actions).toEqual([]);
    drive(tracking(), t, 15, () => 50);
    expect(t.actions).toEqual([{ at: 900, from: 2, to: 1, by: "tt" }]);
  });

  it("does not act on a metric 5 % below target (above the low alarm's threshold)", () => {
    const t = target(3);
    drive(tracking(), t, 30, () => 95);
    expect(t.actions).toEqual([]);
  });

  it("waits out the scale-in cooldown before scaling in again", () => {
    const t = target(8);
    drive(tracking({ scaleInCooldownSeconds: 150 }), t, 19, () => 60);
    // 900 s: ceil(8 × 0.6) = 5; the alarm repeats every minute, the cooldown holds until 1050 s,
    // so the next scale-in is at 1080 s: ceil(5 × 0.6) = 3.
    expect(t.actions.map((a) => [a.at, a.to])).toEqual([
      [900, 5],
      [1080, 3],
    ]);
  });
});

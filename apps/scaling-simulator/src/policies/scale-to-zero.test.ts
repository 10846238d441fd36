import { describe, expect, it } from "vitest";
import type { Reading } from "../reading.js";
import { ScalableTarget } from "../scalable-target.js";
import { ScaleToZeroSteps } from "./scale-to-zero.js";

const reading = (at: number, fields: Partial<Reading>): Reading => ({
  at,
  visible: 0,
  inFlight: 0,
  running: 0,
  desired: 0,
  ...fields,
});

describe("start-first-task", () => {
  it("adds one task when the 10-second period that just closed saw messages and nothing desired", () => {
    const target = new ScalableTarget(0, 4, 0, () => {});
    const steps = new ScaleToZeroSteps(3);
    steps.onReading(reading(0, {}), target);
    steps.onReading(reading(10, { visible: 3 }), target);
    expect(target.actions).toEqual([]);
    steps.onReading(reading(20, { visible: 3 }), target);
    expect(target.actions).toEqual([{ at: 20, from: 0, to: 1, by: "start-first-task" }]);
  });

  it("does nothing while a task is desired, even if none runs yet", () => {
    const target = new ScalableTarget(0, 4, 1, () => {});
    const steps = new ScaleToZeroSteps(3);
    for (let at = 0; at <= 120; at += 10) steps.onReading(reading(at, { visible: 50, desired: 1 }), target);
    expect(target.actions).toEqual([]);
  });
});

describe("stop-last-task", () => {
  const idle = (steps: ScaleToZeroSteps, target: ScalableTarget, until: number, busyAt?: number) => {
    for (let at = 0; at <= until; at += 10)
      steps.onReading(reading(at, { running: 1, desired: 1, inFlight: at === busyAt ? 1 : 0 }), target);
  };

  it("sets zero tasks after three empty minutes, not two", () => {
    const twoMinutes = new ScalableTarget(0, 4, 1, () => {});
    idle(new ScaleToZeroSteps(3), twoMinutes, 170);
    expect(twoMinutes.actions).toEqual([]);
    const threeMinutes = new ScalableTarget(0, 4, 1, () => {});
    idle(new ScaleToZeroSteps(3), threeMinutes, 180);
    expect(threeMinutes.actions).toEqual([{ at: 180, from: 1, to: 0, by: "stop-last-task" }]);
  });

  it("starts counting again after one reading with a message in flight", () => {
    const target = new ScalableTarget(0, 4, 1, () => {});
    idle(new ScaleToZeroSteps(3), target, 230, 70);
    expect(target.actions).toEqual([]);
  });

  it("waits as many minutes as it is given", () => {
    const target = new ScalableTarget(0, 4, 1, () => {});
    idle(new ScaleToZeroSteps(15), target, 900);
    expect(target.actions).toEqual([{ at: 900, from: 1, to: 0, by: "stop-last-task" }]);
  });
});

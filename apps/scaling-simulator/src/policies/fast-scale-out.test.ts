import { describe, expect, it } from "vitest";
import { ScalableTarget } from "../scalable-target.js";
import { FastScaleOut } from "./fast-scale-out.js";

const drive = (policy: FastScaleOut, target: ScalableTarget, values: number[]) => {
  values.forEach((visible, index) => {
    const at = index * 10;
    policy.onReading({ at, visible, inFlight: 0, running: target.desired, desired: target.desired }, target);
  });
};

describe("the proposed 10-second scale-out", () => {
  const policy = () => new FastScaleOut((reading) => reading.visible, 100);

  it("doubles the tasks once three 10-second datapoints are above 1.5 × target", () => {
    const target = new ScalableTarget(1, 20, 2, () => {});
    drive(policy(), target, [200, 200, 200, 200]);
    // The third datapoint (20–30 s) is complete at the reading of 30 s.
    expect(target.actions).toEqual([{ at: 30, from: 2, to: 4, by: "fast-scale-out" }]);
  });

  it("does nothing for two breaching datapoints, or for values at 1.5 × target", () => {
    const twice = new ScalableTarget(1, 20, 2, () => {});
    drive(policy(), twice, [200, 200, 100, 200, 200, 100]);
    expect(twice.actions).toEqual([]);
    const atThreshold = new ScalableTarget(1, 20, 2, () => {});
    drive(policy(), atThreshold, [150, 150, 150, 150, 150]);
    expect(atThreshold.actions).toEqual([]);
  });

  it("waits 60 s before doubling again, and leaves starting from zero to the stack's step policy", () => {
    const target = new ScalableTarget(0, 20, 1, () => {});
    drive(
      policy(),
      target,
      Array.from({ length: 11 }, () => 300),
    );
    expect(target.actions.map((a) => [a.at, a.to])).toEqual([
      [30, 2],
      [90, 4],
    ]);
    const zero = new ScalableTarget(0, 20, 0, () => {});
    drive(policy(), zero, [300, 300, 300, 300]);
    expect(zero.actions).toEqual([]);
  });
});

import { expect, it } from "vitest";

it("is importable by its package name from dist, as other packages and tools import it", async () => {
  const module = await import("@icon-fanout/scaling");
  expect(Object.keys(module)).toEqual(
    expect.arrayContaining(["scalingMetric", "ACCEPTABLE_MESSAGES_PER_TASK"]),
  );
});

it("computes through the published entry point", async () => {
  const { scalingMetric } = await import("@icon-fanout/scaling");
  expect(scalingMetric(2, 11)).toBe(200);
});

import { expect, it } from "vitest";

// The first import of a package from dist, cold, can take seconds on a busy machine.
it("is importable by its package name from dist, as other packages and tools import it", {
  timeout: 30_000,
}, async () => {
  const module = await import("@icon-fanout/scaling");
  expect(Object.keys(module)).toEqual(
    expect.arrayContaining(["scalingMetric", "ACCEPTABLE_MESSAGES_PER_TASK"]),
  );
});

it("computes through the published entry point", async () => {
  const { scalingMetric } = await import("@icon-fanout/scaling");
  expect(scalingMetric(2, 11)).toBe(200);
});

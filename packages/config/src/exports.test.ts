import { expect, it } from "vitest";

// The first import loads zod from cold: seconds on a busy machine.
it("is importable by its package name from dist, as other packages and tools import it", {
  timeout: 30_000,
}, async () => {
  const module = await import("@icon-fanout/config");
  expect(Object.keys(module)).toEqual(
    expect.arrayContaining([
      "outputKey",
      "parseStackConfig",
      "resizerEnvironment",
      "metricPublisherEnvironment",
      "METRIC_NAMES",
      "stackOutputsSchema",
      "DEAD_LETTER_ATTRIBUTES",
      "OUTPUT_METADATA",
      "RESIZER_SETTINGS",
      "resizerServiceName",
    ]),
  );
});

import { expect, it } from "vitest";

it("is importable by its package name from dist, as other packages and tools import it", async () => {
  const module = await import("@icon-fanout/events");
  expect(Object.keys(module)).toEqual(
    expect.arrayContaining(["parseNotification", "MAX_BODY_BYTES", "objectCreatedEvent"]),
  );
});

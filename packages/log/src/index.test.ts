import { describe, expect, it } from "vitest";
import { createLogger } from "./index.js";

function capture(level?: "debug" | "info" | "warn" | "error") {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level,
    fields: { app: "test" },
    now: () => new Date("2026-11-21T10:00:00.000Z"),
    write: (line) => lines.push(JSON.parse(line)),
  });
  return { logger, lines };
}

describe("createLogger", () => {
  it("writes one JSON object per line with time, level, message and fields", () => {
    const { logger, lines } = capture();
    logger.info("tick", { durationMs: 12 });
    expect(lines).toEqual([
      { time: "2026-11-21T10:00:00.000Z", level: "info", msg: "tick", app: "test", durationMs: 12 },
    ]);
  });

  it("drops lines below the level", () => {
    const { logger, lines } = capture("warn");
    logger.debug("a");
    logger.info("b");
    logger.warn("c");
    logger.error("d");
    expect(lines.map((line) => line.msg)).toEqual(["c", "d"]);
  });

  it("adds a child's fields to every line", () => {
    const { logger, lines } = capture();
    logger.child({ size: 16 }).info("done");
    expect(lines[0]).toMatchObject({ app: "test", size: 16, msg: "done" });
  });

  it("reduces errors to name, message and AWS error code, with the stack only at debug", () => {
    const error = Object.assign(new Error("Rate exceeded"), {
      name: "ThrottlingException",
      Code: "Throttling",
    });
    const info = capture("info");
    info.logger.error("failed", { error });
    expect(info.lines[0]?.error).toEqual({
      name: "ThrottlingException",
      message: "Rate exceeded",
      code: "Throttling",
    });
    const debug = capture("debug");
    debug.logger.error("failed", { error });
    expect(debug.lines[0]?.error).toHaveProperty("stack");
  });
});

import { describe, expect, it } from "vitest";
import { runIconctl } from "./program.js";

describe("the command line", () => {
  it("exits 2 on a usage error and 3 when the outputs file is missing", async () => {
    expect(await runIconctl(["status"])).toBe(2);
    expect(await runIconctl(["dlq", "list", "--stack", "prod", "--size", "zero"])).toBe(2);
    expect(await runIconctl(["status", "--stack", "prod", "--outputs", "/nonexistent/outputs.json"])).toBe(3);
  });
});

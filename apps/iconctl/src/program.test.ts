import { describe, expect, it } from "vitest";
import { runIconctl } from "./program.js";

describe("the command line", () => {
  it("exits 2 on a usage error and 3 when the outputs file is missing", async () => {
    expect(await runIconctl(["status"])).toBe(2);
    expect(await runIconctl(["dlq", "list", "--stack", "prod", "--size", "zero"])).toBe(2);
    expect(await runIconctl(["status", "--stack", "prod", "--outputs", "/nonexistent/outputs.json"])).toBe(3);
  });

  it("takes one of --missing-only, --all and --stale for backfill", async () => {
    const backfill = [
      "backfill",
      "--stack",
      "prod",
      "--size",
      "16",
      "--outputs",
      "/nonexistent/outputs.json",
    ];
    for (const modes of [[], ["--missing-only"], ["--all"], ["--stale"]])
      expect(await runIconctl([...backfill, ...modes])).toBe(3);
    for (const modes of [
      ["--all", "--stale"],
      ["--missing-only", "--all"],
      ["--stale", "--missing-only"],
    ])
      expect(await runIconctl([...backfill, ...modes])).toBe(2);
    expect(await runIconctl([...backfill, "--rate", "0"])).toBe(2);
  });
});

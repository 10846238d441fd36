import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseArrivalsCsv, WorkloadError, workloadFrom } from "./workloads.js";

describe("built-in workloads", () => {
  it("a burst puts every upload in the first second", () => {
    const { arrivals } = workloadFrom("burst:1000", 1);
    expect(arrivals.length).toBe(1000);
    expect(Math.max(...arrivals)).toBeLessThan(1);
  });

  it("a backfill paces its sends evenly at the rate", () => {
    const { arrivals, endSeconds } = workloadFrom("backfill:100@50/s", 1);
    expect([arrivals[0], arrivals[1], arrivals[99]]).toEqual([0, 0.02, 1.98]);
    expect(endSeconds).toBeCloseTo(1.98 + 1800, 6);
  });

  it("a steady rate gives about rate × duration uploads", () => {
    const { arrivals } = workloadFrom("steady:5/s:1h", 7);
    expect(arrivals.length).toBeGreaterThan(17_500);
    expect(arrivals.length).toBeLessThan(18_500);
  });

  it("a design team's day runs midnight to midnight with uploads in working hours only", () => {
    const { arrivals, endSeconds } = workloadFrom("design-day", 3);
    expect(endSeconds).toBe(86_400);
    expect(Math.min(...arrivals)).toBeGreaterThanOrEqual(9 * 3600);
    expect(Math.max(...arrivals)).toBeLessThan(17.5 * 3600 + 120);
  });
});

describe("bad workload specs name what is wrong", () => {
  it.each([
    ["burst:lots", /burst:lots: the number of uploads must be an integer from 1 to 2000000, got "lots"/],
    ["burst:0", /burst:0: the number of uploads must be an integer/],
    ["steady:5", /steady:5: expected steady:RATE\/s/],
    ["steady:0/s", /steady:0\/s: the rate must be above 0/],
    ["backfill:100", /backfill:100: expected backfill:COUNT@RATE\/s/],
    ["design-day:2", /design-day:2: design-day takes no argument/],
    ["tsunami:9", /unknown workload "tsunami:9"/],
    ["csv:", /csv:: expected csv:PATH/],
  ])("%s", (spec, message) => {
    expect(() => workloadFrom(spec, 1)).toThrow(message);
  });
});

describe("CSV workloads", () => {
  const dir = mkdtempSync(join(tmpdir(), "simulate-csv-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads seconds or ISO-8601 times after an optional header, relative to the earliest", () => {
    expect(Array.from(parseArrivalsCsv("uploaded_at\n12.5\n10\n11,icons/a.png\n", "t.csv"))).toEqual([
      0, 1, 2.5,
    ]);
    expect(Array.from(parseArrivalsCsv("2026-12-05T10:00:01Z\n2026-12-05T10:00:00.500Z\n", "t.csv"))).toEqual(
      [0, 0.5],
    );
  });

  it("names the file, line and field that is not a time", () => {
    expect(() => parseArrivalsCsv("time\n1\nsoon\n", "uploads.csv")).toThrow(
      'uploads.csv:3: "soon" is neither seconds nor an ISO-8601 time',
    );
  });

  it("refuses a file without timestamps, and one that cannot be read", () => {
    expect(() => parseArrivalsCsv("time\n", "empty.csv")).toThrow("empty.csv: no timestamps");
    expect(() => workloadFrom(`csv:${join(dir, "missing.csv")}`, 1)).toThrow(WorkloadError);
    expect(() => workloadFrom(`csv:${join(dir, "missing.csv")}`, 1)).toThrow(/cannot read it \(ENOENT\)/);
  });

  it("runs a file's timestamps", () => {
    const path = join(dir, "uploads.csv");
    writeFileSync(path, "0\n30\n60\n");
    expect(Array.from(workloadFrom(`csv:${path}`, 1).arrivals)).toEqual([0, 30, 60]);
  });
});

/** The text table `pnpm simulate` prints: one block per workload, one row per policy. */
import type { RunSummary } from "./summary.js";

const COLUMNS: ReadonlyArray<readonly [string, (summary: RunSummary) => string]> = [
  ["policy", (s) => s.policy],
  ["p50 s", (s) => fixed(s.p50, 1)],
  ["p95 s", (s) => fixed(s.p95, 1)],
  ["p99 s", (s) => fixed(s.p99, 1)],
  ["drain s", (s) => fixed(s.drainSeconds, 0)],
  ["peak tasks", (s) => String(s.peakTasks)],
  ["task-min", (s) => fixed(s.taskMinutes, 0)],
  ["cost $", (s) => fixed(s.costUsd, 3)],
  ["actions", (s) => String(s.scaleActions)],
  ["flaps", (s) => String(s.flaps)],
  ["unprocessed", (s) => String(s.uploads - s.processed)],
];

export function workloadTable(workload: string, uploads: number, summaries: readonly RunSummary[]): string {
  const header = COLUMNS.map(([name]) => name);
  const rows = summaries.map((summary) => COLUMNS.map(([, cell]) => cell(summary)));
  const widths = header.map((name, column) =>
    Math.max(name.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? "-".repeat(width + 2) : `${"-".repeat(width + 1)}:`)).join("|")}|`;
  return [
    `${workload} (${uploads.toLocaleString("en-US")} uploads)`,
    "",
    line(header),
    rule,
    ...rows.map(line),
  ].join("\n");
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

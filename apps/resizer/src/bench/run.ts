/**
 * `pnpm bench`: the resizer's figures, each measured side by side with its baseline in the same
 * run, printed as tables and written to bench/results.json (path given as the first argument).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { RESIZER_SETTINGS } from "@icon-fanout/config";
import { measureCommand } from "./command.js";
import { measureCore, round2 } from "./core.js";
import { measureWorker } from "./worker-throughput.js";

const out = process.argv[2];
// A fresh clone has no bench/ folder: results are ignored by git.
if (out) mkdirSync(dirname(out), { recursive: true });
const quick = process.argv.includes("--quick");
/** The deployed default, so the figures describe what a task does out of the box. */
const CONCURRENCY = RESIZER_SETTINGS.concurrency.default;

const commandOnly = process.argv.includes("--command-only");

const command = await measureCommand(quick ? 300 : 870, 16, quick ? 1 : 5);
console.log(
  `\nResize speed as the user meets it: ${command.icons} icons to ${command.size} px, median (and range) of ${command.rounds} alternating rounds, seconds (Pillow: ${command.pillow})`,
);
console.table(command.rows);
console.log(
  "ratios (one core unless named)",
  command.ratios,
  "\nbest possible (pnpm's start-up plus the core, or plus sharp's decode; or sharp's decode alone)",
  command.bounds,
  "\ngoals",
  command.goals,
);
if (commandOnly) {
  if (out) writeFileSync(out, `${JSON.stringify({ command }, null, 2)}\n`);
  process.exit(0);
}

const core = await measureCore([16, 32, 64], quick ? 1 : 3);
console.log(
  "\nCore: icons per second on the corpus (4 in parallel); goal: resizeIcon within 1.3× of the decode floor",
);
console.table(core);

const icons = quick ? 300 : 1000;
const runs = [
  await measureWorker("worker", 0, icons, CONCURRENCY),
  await measureWorker("worker", 25, icons, CONCURRENCY),
  await measureWorker("sqs-consumer", 0, icons, CONCURRENCY),
  await measureWorker("sqs-consumer", 25, icons, CONCURRENCY),
  // Little's law: hiding 25 ms on each of two S3 calls at ~1,000 icons/s takes ~60 in flight.
  await measureWorker("worker", 25, icons, CONCURRENCY * 2),
  // Results events on: the same runs with one SNS Publish (same latency) before each delete.
  await measureWorker("worker", 0, icons, CONCURRENCY, true),
  await measureWorker("worker", 25, icons, CONCURRENCY, true),
];
const at = (consumer: string, latency: number, concurrency = CONCURRENCY, results = false) =>
  runs.find(
    (r) =>
      r.consumer === consumer &&
      r.latencyMs === latency &&
      r.results === results &&
      (consumer !== "worker" || r.concurrency === concurrency),
  );
/** What publishing results adds per message at 25 ms per request: the median message time, on minus off. */
const publishAddsMs = round2(
  (at("worker", 25, CONCURRENCY, true)?.medianMessageMs ?? 0) - (at("worker", 25)?.medianMessageMs ?? 0),
);
const workerRatio = round2((at("worker", 25)?.iconsPerSecond ?? 0) / (at("worker", 0)?.iconsPerSecond ?? 1));
const doubledRatio = round2(
  (at("worker", 25, CONCURRENCY * 2)?.iconsPerSecond ?? 0) / (at("worker", 0)?.iconsPerSecond ?? 1),
);
const consumerRatio = round2(
  (at("sqs-consumer", 25)?.iconsPerSecond ?? 0) / (at("sqs-consumer", 0)?.iconsPerSecond ?? 1),
);
console.log(
  `\nWorker through the fakes (${icons} icons, size 32, concurrency ${CONCURRENCY}); goal: at 25 ms ≥ 80% of 0 ms`,
);
console.table(runs.map(({ requests: _requests, ...row }) => row));
console.log(
  `worker 25 ms / 0 ms: ${workerRatio} (concurrency ${CONCURRENCY * 2}: ${doubledRatio})   sqs-consumer 25 ms / 0 ms: ${consumerRatio}`,
);
console.log(`results events at 25 ms: +${publishAddsMs} ms per message (median, on minus off)`);

const memoryEntry = fileURLToPath(new URL("./memory.js", import.meta.url));
const resizes = quick ? 2000 : 10_000;
const memory = [
  { workload: "resizes", allocator: "glibc default", env: {} },
  { workload: "resizes", allocator: "MALLOC_ARENA_MAX=2", env: { MALLOC_ARENA_MAX: "2" } },
  { workload: "refusals", allocator: "MALLOC_ARENA_MAX=2", env: { MALLOC_ARENA_MAX: "2" } },
].map(({ workload, allocator, env }) => {
  const output = execFileSync(process.execPath, [memoryEntry, String(resizes), workload], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  const {
    rssBeforeMb = 0,
    rssAfterMb = 0,
    rssAfterSecondRoundMb = 0,
  } = JSON.parse(output) as Record<string, number>;
  return {
    workload,
    allocator,
    jobs: resizes,
    rssBeforeMb: round2(rssBeforeMb),
    rssAfterMb: round2(rssAfterMb),
    growthMb: round2(rssAfterMb - rssBeforeMb),
    secondRoundGrowthMb: round2(rssAfterSecondRoundMb - rssAfterMb),
  };
});
console.log(
  `\nResident memory over ${resizes} jobs, then ${resizes} more; goal: resizes grow under 50 MB, refusals under 50 MB in the second round`,
);
console.table(memory);

const results = {
  machine: { cpus: availableParallelism(), node: process.version },
  command,
  core,
  worker: {
    runs,
    ratio25msTo0ms: workerRatio,
    ratio25msTo0msDoubleConcurrency: doubledRatio,
    sqsConsumerRatio25msTo0ms: consumerRatio,
    resultsPublishAddsMsAt25ms: publishAddsMs,
  },
  requestsPerIcon: at("worker", 25)?.requestsPerIcon,
  memory,
  goals: {
    coreWithin1_3xOfFloor: core.every((row) => row.ratioToFloor <= 1.3),
    workerAt25msAtLeast80Percent: workerRatio >= 0.8,
    requestsPerIconAtMost2_3: (at("worker", 25)?.requestsPerIcon ?? 99) <= 2.3,
    memoryGrowthUnder50Mb: memory.some(
      (row) => row.workload === "resizes" && row.allocator === "MALLOC_ARENA_MAX=2" && row.growthMb < 50,
    ),
    refusalsSecondRoundUnder50Mb: memory.some(
      (row) => row.workload === "refusals" && row.secondRoundGrowthMb < 50,
    ),
  },
};
console.log("\nGoals", results.goals);
if (out) writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

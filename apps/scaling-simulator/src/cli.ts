#!/usr/bin/env node
/**
 * `pnpm simulate`: simulates one size's queue and service under a stack's scaling settings and
 * the policies it is compared with, over built-in or given workloads, and prints a table per
 * workload (or JSON with --json); --svg writes a plot of backlog and tasks.
 */
import { writeFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { type Comparison, compare } from "./compare.js";
import { POLICY_NAMES, type PolicyName } from "./policies/index.js";
import type { Reading } from "./reading.js";
import { workloadTable } from "./report-table.js";
import { readStackValues, SettingsError, simSettings } from "./settings.js";
import { plotSvg } from "./svg-plot.js";
import { BUILT_IN_WORKLOADS, WorkloadError } from "./workloads.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];
const positive = (name: string) => (text: string) => {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0))
    throw new InvalidArgumentError(`${name} must be a number above 0`);
  return value;
};

export function program(): Command {
  return new Command("simulate")
    .description("Simulate one icon size's queue, tasks and scaling policies over workloads")
    .option("--stack <stack>", "the stack file's settings (infra/Pulumi.<stack>.yaml)", "prod")
    .option(
      "--set <section.key=value>",
      "change a setting, validated like the stack file (repeatable)",
      collect,
    )
    .option(
      "--workload <spec>",
      `burst:N, steady:RATE/s[:DURATION], design-day, backfill:N@RATE/s or csv:PATH (repeatable; default ${BUILT_IN_WORKLOADS.join(", ")})`,
      collect,
    )
    .option(
      "--policy <name>",
      `run these policies (repeatable): ${POLICY_NAMES.join(", ")}; default all but stack+fast-out, a proposal`,
      (name: string, previous: PolicyName[] = []) => {
        if (!(POLICY_NAMES as readonly string[]).includes(name))
          throw new InvalidArgumentError(`"${name}" is not a policy (${POLICY_NAMES.join(", ")})`);
        return [...previous, name as PolicyName];
      },
    )
    .option(
      "--seed <n>",
      "the random seed",
      (text) => {
        if (!/^\d+$/.test(text)) throw new InvalidArgumentError("seed must be a non-negative integer");
        return Number(text);
      },
      1,
    )
    .option(
      "--icons-per-second <n>",
      "one task's throughput (default: pnpm bench's worker figure scaled by the task's vCPU)",
      positive("--icons-per-second"),
    )
    .option("--start-median <seconds>", "median Fargate task start", positive("--start-median"))
    .option(
      "--stop-after-idle <minutes>",
      "minutes of an empty queue before stop-last-task (minTasks 0; default: the stack's scaling.stopAfterIdleMinutes)",
      positive("--stop-after-idle"),
    )
    .option("--json", "print the results as JSON")
    .option("--svg <file>", "write a plot of backlog and running tasks for one workload")
    .option("--plot <workload>", "the workload --svg plots (default: the first)");
}

interface CliOptions {
  stack: string;
  set?: string[];
  workload?: string[];
  policy?: PolicyName[];
  seed: number;
  iconsPerSecond?: number;
  startMedian?: number;
  stopAfterIdle?: number;
  json?: boolean;
  svg?: string;
  plot?: string;
}

export function run(argv: readonly string[], out: (text: string) => void): Comparison {
  const options = program().exitOverride().parse(argv, { from: "user" }).opts<CliOptions>();
  const settings = simSettings(options.stack, readStackValues(options.stack), {
    set: options.set ?? [],
    ...(options.iconsPerSecond !== undefined && { iconsPerSecondPerTask: options.iconsPerSecond }),
    ...(options.startMedian !== undefined && { startMedianSeconds: options.startMedian }),
    ...(options.stopAfterIdle !== undefined && { stopAfterIdleMinutes: options.stopAfterIdle }),
  });
  const workloads = options.workload ?? [...BUILT_IN_WORKLOADS];
  const plotted = options.plot ?? workloads[0];
  if (options.svg && plotted !== undefined && !workloads.includes(plotted))
    throw new WorkloadError(`--plot ${plotted}: not one of the workloads run (${workloads.join(", ")})`);
  const series: Array<{ policy: string; readings: readonly Reading[] }> = [];
  const comparison = compare(settings, {
    workloads,
    ...(options.policy && { policies: options.policy }),
    seed: options.seed,
    onRun: (workload, result) => {
      if (options.svg && workload === plotted)
        series.push({ policy: result.policy, readings: result.readings });
    },
  });
  if (options.svg) {
    const title = `${plotted}, stack ${options.stack}${(options.set ?? []).map((set) => `, ${set}`).join("")}, seed ${options.seed}`;
    writeFileSync(options.svg, plotSvg(title, series));
  }
  if (options.json) out(`${JSON.stringify(comparison, null, 2)}\n`);
  else out(`${textReport(comparison)}\n`);
  return comparison;
}

function textReport(comparison: Comparison): string {
  const { settings } = comparison;
  const s = settings.scaling;
  const header = [
    `stack ${settings.stack}: ${settings.cpu / 1024} vCPU, ${settings.memory} MiB, concurrency ${settings.concurrency}, ` +
      `${round(settings.iconsPerSecondPerTask)} icons/s per task; tasks ${s.minTasks}–${s.maxTasks}, target ${s.targetValue}, ` +
      `acceptableMessagesPerTask ${s.acceptableMessagesPerTask}, cooldowns in ${s.scaleInCooldownSeconds} s / out ${s.scaleOutCooldownSeconds} s; seed ${comparison.seed}`,
    `task start: log-normal, median ${settings.startMedianSeconds} s; stop-last-task after ${s.stopAfterIdleMinutes} idle min; prices: Fargate ARM ${comparison.assumptions.prices.region} as of ${comparison.assumptions.prices.asOf}`,
    "",
    ...comparison.policies.map((policy) => `  ${policy.name}: ${policy.description}`),
  ];
  return [
    header.join("\n"),
    ...comparison.workloads.map((report) => workloadTable(report.workload, report.uploads, report.runs)),
  ].join("\n\n");
}

function round(value: number): string {
  return value.toFixed(value < 10 ? 1 : 0);
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (isMain) {
  try {
    run(process.argv.slice(2), (text) => process.stdout.write(text));
  } catch (error) {
    if (error instanceof SettingsError || error instanceof WorkloadError) {
      process.stderr.write(`simulate: ${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof Error && "code" in error && String(error.code).startsWith("commander.")) {
      process.exit((error as { exitCode?: number }).exitCode ?? 2);
    }
    throw error;
  }
}

/**
 * The figures the simulation assumes that the stack file does not give, each with its source.
 * `pnpm simulate --icons-per-second` and `--start-median` override the two that matter most.
 */

/**
 * The resizer worker's throughput on this repository's 2-core bench machine at 25 ms of simulated
 * AWS latency with concurrency 32 (README "`pnpm bench`", worker row). Sharp is CPU-bound, so a
 * task gets its share by vCPU: 558 × vCPU / 2.
 */
export const BENCH_WORKER_ICONS_PER_SECOND = 558;
export const BENCH_MACHINE_VCPUS = 2;
/** The bench's simulated request latency, used as one SQS receive round trip. */
export const RECEIVE_ROUND_TRIP_SECONDS = 0.025;
/** Spread of one icon's service time around its mean (σ of the logarithm): icons differ in size. */
export const SERVICE_TIME_SIGMA = 0.3;

/**
 * Fargate task start (desired count raised → task polling), log-normal. Reported figures for
 * small images with VPC endpoints: "consistently … around 60 seconds" for a 250 MB image
 * (https://github.com/aws/containers-roadmap/issues/696) and "60-90s"
 * (https://github.com/aws/containers-roadmap/issues/649); the launch steps are those of
 * https://docs.aws.amazon.com/AmazonECS/latest/bestpracticesguide/task.html. Median 55 s,
 * σ 0.25: 5 % of starts under 37 s, 5 % over 83 s.
 */
export const TASK_START_MEDIAN_SECONDS = 55;
export const TASK_START_SIGMA = 0.25;

/** A stopped task's process exit after its in-flight work (the worker's SIGTERM handling). */
export const TASK_EXIT_SECONDS = 1;

/**
 * AWS Fargate on-demand, Linux/ARM, per hour: $0.03238 per vCPU and $0.00356 per GB of memory,
 * as listed for US East (N. Virginia) on https://aws.amazon.com/fargate/pricing/ and quoted by
 * https://www.vantage.sh/blog/fargate-pricing (read 2026-12-05). Billing is per second with a
 * one-minute minimum per task. Other regions may differ: check the page for the stack's region.
 */
export const FARGATE_ARM_PRICES = {
  asOf: "2026-12-05",
  region: "us-east-1",
  perVcpuHour: 0.03238,
  perGbHour: 0.00356,
  minimumBilledSeconds: 60,
} as const;

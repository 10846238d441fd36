import { z } from "zod";
import { stackOutputsSchema } from "./stack-outputs.js";
import { serviceUrl } from "./validators.js";

/**
 * The file a running local stack (`pnpm local`) keeps up to date: where its emulator listens,
 * the stack's outputs as the emulator names them, and how many processes run each ECS service.
 * `iconctl --local` and the metric publisher's local mode (`LOCAL_STACK_FILE`) read it.
 */
export const localStackSchema = z.object({
  stack: z.string(),
  /** The S3/SNS/SQS emulator, e.g. `http://127.0.0.1:41234`. */
  endpoint: serviceUrl(),
  region: z.string(),
  outputs: stackOutputsSchema,
  /** Per ECS service name: worker processes running now and wanted. */
  services: z.record(z.string(), z.object({ running: z.int().min(0), desired: z.int().min(0) })),
  /** What the stack declares that the local stack does not run, one line per group. */
  notEmulated: z.array(z.string()),
});

export type LocalStack = z.output<typeof localStackSchema>;

/**
 * Set by the local stack only (never in a task definition, like ECS's own variables): the metric
 * publisher then runs in local mode on that stack file.
 */
export const LOCAL_STACK_FILE_VARIABLE = "LOCAL_STACK_FILE";

/** Where `pnpm local --stack <stack>` keeps its file, relative to the repository root. */
export function localStackFile(stack: string): string {
  return `.local/${stack}/stack.json`;
}

/** Credentials for every client of a local stack: the emulator checks none, and real ones never reach it. */
export const LOCAL_STACK_CREDENTIALS = {
  accessKeyId: "local-stack",
  secretAccessKey: "local-stack",
} as const;

/**
 * What the metric publisher's local mode writes beside the local stack file each tick, in place
 * of PutMetricData: the metric and readings per size, as it would have published them.
 */
export const localMetricsSchema = z.object({
  at: z.string(),
  sizes: z.record(
    z.string(),
    z.object({
      visible: z.number(),
      inFlight: z.number(),
      running: z.number(),
      desired: z.number(),
      metric: z.number(),
    }),
  ),
});

export type LocalMetrics = z.output<typeof localMetricsSchema>;

/** `…/stack.json` → `…/metrics.json` */
export function localMetricsFile(stackFile: string): string {
  return stackFile.replace(/[^/\\]*$/, "metrics.json");
}

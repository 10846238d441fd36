import { readFile, rename, writeFile } from "node:fs/promises";
import { type LocalMetrics, localMetricsFile, localStackSchema } from "@icon-fanout/config";
import type { LocalMode } from "./publisher.js";

/**
 * The publisher on a local stack (`pnpm local`), which has no ECS and no CloudWatch: running and
 * desired tasks are the local stack's processes of each service (from its stack file, read every tick),
 * and the datums PutMetricData would receive are written to `metrics.json` beside that file for
 * `iconctl status --local`, besides the tick's log line. The queue depths are read from the
 * emulator's SQS, as in AWS.
 */
export function localMode(stackFile: string): LocalMode {
  return {
    async countTasks(serviceNames) {
      const state = localStackSchema.parse(JSON.parse(await readFile(stackFile, "utf8")));
      return new Map(
        serviceNames.map((name) => [name, state.services[name] ?? `no service ${name} in ${stackFile}`]),
      );
    },
    async record(at, sizes) {
      const metrics: LocalMetrics = { at: at.toISOString(), sizes };
      const target = localMetricsFile(stackFile);
      await writeFile(`${target}.tmp`, `${JSON.stringify(metrics, null, 2)}\n`);
      await rename(`${target}.tmp`, target);
    },
  };
}

/** What `--autoscale` scales: each size's resizer service as a pool of processes, under the stack's own policy. */
import { RESIZER_STOP_TIMEOUT_SECONDS, type StackOutputs } from "@icon-fanout/config";
import {
  type PolicySetup,
  policySetups,
  readStackValues,
  simSettings,
} from "@icon-fanout/scaling-simulator/live";
import type { AppProcess, AppProcesses } from "./app-processes.js";
import type { ScaledSize } from "./autoscaler.js";
import type { ServicePlan, StackPlan } from "./stack-plan.js";

/** The policy the stack deploys (`pnpm simulate`'s "stack"), from its Pulumi.<stack>.yaml. */
export function stackPolicy(stack: string, repoRoot: string): PolicySetup {
  const setup = policySetups(simSettings(stack, readStackValues(stack, repoRoot))).find(
    (candidate) => candidate.name === "stack",
  );
  if (!setup) throw new Error(`the simulator has no "stack" policy for ${stack}`);
  return setup;
}

/** One pool per size: starts processes, and stops the newest one not already stopping (ECS's SIGTERM, then SIGKILL after the stop timeout). */
export function autoscaledSizes(
  plan: StackPlan,
  outputs: StackOutputs,
  processes: AppProcesses,
  launch: (service: ServicePlan) => AppProcess,
): ScaledSize[] {
  return outputs.sizes.map(({ size, serviceName }) => {
    const service = plan.services.find((candidate) => candidate.name === serviceName);
    if (!service) throw new Error(`size ${size}: the stack has no service ${serviceName}`);
    const stopping = new Set<string>();
    const active = () => processes.running(serviceName).filter((process) => !stopping.has(process.id));
    return {
      size: String(size),
      service: serviceName,
      pool: {
        active: () => active().length,
        startOne: () => {
          launch(service);
        },
        stopOne: () => {
          const newest = active().at(-1);
          if (!newest) return;
          stopping.add(newest.id);
          void processes
            .stop(newest, "SIGTERM", RESIZER_STOP_TIMEOUT_SECONDS * 1000)
            .finally(() => stopping.delete(newest.id));
        },
      },
    };
  });
}

/** The policy pack that guards real deployments (`pulumi preview --policy-pack`), run over both stacks. */
import { evaluatePolicies, policies } from "@icon-fanout/policy-pack";
import { describe, expect, it } from "vitest";
import { stackRun } from "../tooling/testing/stack-runs.js";

describe("the policy pack over every rendered resource", () => {
  it.each(["prod", "dev"] as const)("%s: no policy of the pack is violated", async (stack) => {
    const { violations } = await evaluatePolicies(stackRun(stack).resources);
    expect(violations).toEqual([]);
  });

  it.each(["prod", "dev"] as const)("%s: every policy of the pack applies to something", async (stack) => {
    const { applied } = await evaluatePolicies(stackRun(stack).resources);
    expect(Object.keys(applied).sort()).toEqual(policies.map((policy) => policy.name).sort());
  });

  it.each(["prod", "dev"] as const)(
    "%s: every queue has a redrive policy or is a dead-letter queue",
    (stack) => {
      const queues = stackRun(stack).resources.filter((r) => r.type === "aws:sqs/queue:Queue");
      // Both stacks run the three default sizes: a work queue and a DLQ each, and the undelivered queue.
      expect(queues).toHaveLength(2 * 3 + 1);
      for (const queue of queues) {
        const name = String(queue.inputs.name);
        const terminal = name.endsWith("-dlq") || name.endsWith("-undelivered");
        expect(terminal || typeof queue.inputs.redrivePolicy === "string", name).toBe(true);
      }
    },
  );
});

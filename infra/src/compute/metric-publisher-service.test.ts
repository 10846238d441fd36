import { metricPublisherEnvironment } from "@icon-fanout/config";
import { describe, expect, it } from "vitest";
import { runProgram, stackConfig } from "../../tooling/testing/program-runs.js";
import { containerOf, only, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");

const environmentOf = (run: typeof prod) =>
  metricPublisherEnvironment.parse(
    Object.fromEntries(
      containerOf(
        only(run.resources, "aws:ecs/taskDefinition:TaskDefinition", "metric-publisher"),
      ).environment.map(({ name, value }) => [name, value]),
    ),
  );

describe("the metric publisher", () => {
  it("runs one task whose environment lists every size's queue and service through the contract", () => {
    const service = only(prod.resources, "aws:ecs/service:Service", "metric-publisher");
    expect(service.inputs.desiredCount).toBe(1);
    const container = containerOf(
      only(prod.resources, "aws:ecs/taskDefinition:TaskDefinition", "metric-publisher"),
    );
    expect(container.environment.map((entry) => entry.name).sort()).toEqual([
      ...metricPublisherEnvironment.names,
    ]);
    const env = environmentOf(prod);
    expect(env.clusterName).toBe("icon-fanout-prod");
    expect(env.scalingTargets).toEqual(
      [16, 32, 64].map((size) => ({
        size,
        queueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-size${size}`,
        serviceName: `icon-fanout-prod-resizer${size}`,
      })),
    );
  });

  it("divides the backlog by scaling.acceptableMessagesPerTask", async () => {
    expect(environmentOf(prod).acceptableMessagesPerTask).toBe(5);
    const run = await runProgram(
      stackConfig("prod", { "icon-fanout:scaling": { acceptableMessagesPerTask: 8 } }),
      "prod",
    );
    expect(environmentOf(run).acceptableMessagesPerTask).toBe(8);
  });
});

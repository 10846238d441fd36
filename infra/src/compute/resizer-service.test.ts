import { RESIZER_TASK_ROLE_PATH, resizerEnvironment } from "@icon-fanout/config";
import { describe, expect, it } from "vitest";
import { containerOf, ofType, only, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");

describe.each([16, 32, 64])("the resizer of size %i", (size) => {
  it("has a task definition with the configured cpu and memory, the contract's environment, and a drain window", () => {
    const task = only(prod.resources, "aws:ecs/taskDefinition:TaskDefinition", `resizer${size}`);
    expect(task.inputs).toMatchObject({
      cpu: "512",
      memory: "1024",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
    });
    const container = containerOf(task);
    expect(container.environment.map((entry) => entry.name).sort()).toEqual([...resizerEnvironment.names]);
    const env = resizerEnvironment.parse(
      Object.fromEntries(container.environment.map(({ name, value }) => [name, value])),
    );
    expect(env).toMatchObject({
      iconSize: size,
      queueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-size${size}`,
      outputBucket: "icon-fanout-prod-222222222222",
      sourceBuckets: ["icon-fanout-prod-222222222222"],
      concurrency: 32,
    });
    expect(env.drainSeconds).toBeLessThan(container.stopTimeout);
    expect(container).toMatchObject({
      stopTimeout: 120,
      linuxParameters: { initProcessEnabled: true },
      readonlyRootFilesystem: true,
    });
    expect(container.image).toMatch(
      /^222222222222\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/icon-fanout-prod-resizer-image-[0-9a-f]+@sha256:/,
    );
  });

  it("runs as a service with a circuit breaker and rollback, its task count owned by autoscaling", () => {
    const service = only(prod.resources, "aws:ecs/service:Service", `resizer${size}`);
    expect(service.inputs).toMatchObject({
      name: `icon-fanout-prod-resizer${size}`,
      launchType: "FARGATE",
      deploymentCircuitBreaker: { enable: true, rollback: true },
      networkConfiguration: { assignPublicIp: true },
    });
    expect(service.ignoreChanges).toEqual(["desiredCount"]);
  });
});

describe("task role paths", () => {
  // Another account's bucket policy admits resizers by this path before this stack exists.
  it.each(["prod", "dev"] as const)(
    "%s: every resizer's task role, and no other role, is under /icon-fanout/resizer/",
    (stack) => {
      expect(RESIZER_TASK_ROLE_PATH).toBe("/icon-fanout/resizer/");
      const underPath = ofType(stackRun(stack).resources, "aws:iam/role:Role")
        .filter((role) => role.inputs.path === RESIZER_TASK_ROLE_PATH)
        .map((role) => role.name);
      expect(underPath).toEqual([16, 32, 64].map((size) => `icon-fanout-${stack}-resizer${size}-task`));
    },
  );
});

describe("the shadowing resizer (dev)", () => {
  it("accepts events from its own bucket and the shadowed one, and writes to its own", () => {
    const container = containerOf(
      only(stackRun("dev").resources, "aws:ecs/taskDefinition:TaskDefinition", "resizer16"),
    );
    const env = resizerEnvironment.parse(
      Object.fromEntries(container.environment.map(({ name, value }) => [name, value])),
    );
    expect(env).toMatchObject({
      outputBucket: "icon-fanout-dev-111111111111",
      sourceBuckets: ["icon-fanout-dev-111111111111", "icon-fanout-prod-222222222222"],
    });
  });
});

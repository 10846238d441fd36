import { HEALTH_CHECK } from "@icon-fanout/config";
import { describe, expect, it } from "vitest";
import { containerOf, ofType, only, stackRun, trustOf } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");
const SERVICES = ["metric-publisher", "resizer16", "resizer32", "resizer64"].map(
  (service) => `icon-fanout-prod-${service}`,
);

describe("every Fargate service", () => {
  /**
   * ECS starts tasks as soon as the service exists; if the execution role could not yet pull the
   * image or write logs, they fail and the first deployment trips its circuit breaker.
   */
  it.each(SERVICES)(
    "%s: its task definition and service exist only once its roles may pull the image, write logs and work",
    (name) => {
      const rolePolicies = ofType(prod.resources, "aws:iam/rolePolicy:RolePolicy").filter((policy) =>
        [`${name}-execution`, `${name}-task`].includes(policy.name),
      );
      expect(rolePolicies.map((policy) => policy.name).sort()).toEqual([`${name}-execution`, `${name}-task`]);
      for (const type of ["aws:ecs/taskDefinition:TaskDefinition", "aws:ecs/service:Service"]) {
        const resource = only(prod.resources, type, name);
        expect(resource.dependencies, `${type} ${name}`).toEqual(
          expect.arrayContaining(rolePolicies.map((policy) => policy.urn)),
        );
      }
    },
  );

  it.each(SERVICES)(
    "%s: the task role trusts ECS tasks of this account and region only; the execution role as ECS documents it",
    (name) => {
      const principal = { Service: "ecs-tasks.amazonaws.com" };
      expect(trustOf(only(prod.resources, "aws:iam/role:Role", `${name}-task`)).Statement).toEqual([
        {
          Sid: "EcsTasksOfThisAccount",
          Effect: "Allow",
          Principal: principal,
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "222222222222" },
            ArnLike: { "aws:SourceArn": "arn:aws:ecs:eu-west-1:222222222222:*" },
          },
        },
      ]);
      // ECS documents source keys for task roles only; a condition on a key it does not send
      // would keep its agents from pulling the image. The role can do nothing else.
      expect(trustOf(only(prod.resources, "aws:iam/role:Role", `${name}-execution`)).Statement).toEqual([
        { Sid: "EcsAgentsStartTasks", Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" },
      ]);
    },
  );

  it.each([
    ["prod", 90],
    ["dev", 14],
  ] as const)("%s: each logs to its own group, kept resizer.logRetentionDays (%i)", (stack, days) => {
    const groups = ofType(stackRun(stack).resources, "aws:cloudwatch/logGroup:LogGroup");
    const services = ofType(stackRun(stack).resources, "aws:ecs/service:Service");
    expect(services).toHaveLength(3 + 1); // a resizer per default size and the publisher
    expect(groups.map((group) => group.inputs.name).sort()).toEqual(
      services.map((service) => `/ecs/${String(service.inputs.name)}`).sort(),
    );
    for (const group of groups) expect(group.inputs.retentionInDays, group.name).toBe(days);
  });

  it.each(SERVICES)(
    "%s: ECS runs the heartbeat check, within AWS's limits, and replaces a stuck task within about two minutes",
    (name) => {
      const container = containerOf(only(prod.resources, "aws:ecs/taskDefinition:TaskDefinition", name));
      expect(container.healthCheck).toEqual({
        command: ["CMD", "node", "dist/health.js"],
        interval: 15,
        timeout: 5,
        retries: 3,
        startPeriod: 30,
      });
      const check = container.healthCheck as NonNullable<typeof container.healthCheck>;
      // The ECS API's documented ranges for a container health check.
      expect(check.interval).toBeGreaterThanOrEqual(5);
      expect(check.interval).toBeLessThanOrEqual(300);
      expect(check.timeout).toBeGreaterThanOrEqual(2);
      expect(check.timeout).toBeLessThanOrEqual(60);
      expect(check.retries).toBeGreaterThanOrEqual(1);
      expect(check.retries).toBeLessThanOrEqual(10);
      expect(check.startPeriod).toBeLessThanOrEqual(300);
      // The check's own wait ends before ECS's timeout, so a hung app fails it rather than timing it out.
      expect(HEALTH_CHECK.requestTimeoutMs).toBeLessThan(check.timeout * 1000);
      // From the last progress to unhealthy: the staleness limit, then `retries` failed checks.
      expect(HEALTH_CHECK.staleAfterSeconds + check.interval * check.retries).toBeLessThanOrEqual(120);
      // Both apps and the check read the heartbeat port's default: the task does not move it.
      expect(container.environment.map((variable) => variable.name)).not.toContain(HEALTH_CHECK.portVariable);
    },
  );
});

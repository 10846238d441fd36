import { describe, expect, it } from "vitest";
import { ofType, only, stackRun, trustOf } from "../../tooling/testing/stack-runs.js";

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
});

import { metricPublisherEnvironment, resizerEnvironment } from "@icon-fanout/config";
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../../tooling/synth/mock-engine.js";
import {
  ofType,
  only,
  type ProgramRun,
  runProgram,
  stackConfig,
} from "../../tooling/testing/program-runs.js";

let prod: ProgramRun;
let dev: ProgramRun;
beforeAll(async () => {
  prod = await runProgram(stackConfig("prod"), "prod");
  dev = await runProgram(stackConfig("dev"), "dev");
});

const containerOf = (taskDefinition: RecordedResource) =>
  (JSON.parse(String(taskDefinition.inputs.containerDefinitions)) as Record<string, unknown>[])[0] as {
    image: string;
    environment: { name: string; value: string }[];
    stopTimeout: number;
    linuxParameters: { initProcessEnabled: boolean };
    readonlyRootFilesystem: boolean;
    logConfiguration: { options: Record<string, string> };
  };

describe.each([16, 32, 64])("size %i", (size) => {
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

  it("creates its task definition and service only once its roles may pull the image, write logs and work", () => {
    expectTasksWaitForTheirRolePolicies(prod, `icon-fanout-prod-resizer${size}`);
  });

  it("scales between minTasks and maxTasks by target tracking on its 10-second metric", () => {
    const target = only(prod.resources, "aws:appautoscaling/target:Target", `resizer${size}-scaling`);
    expect(target.inputs).toMatchObject({
      minCapacity: 1,
      maxCapacity: 20,
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/icon-fanout-prod/icon-fanout-prod-resizer${size}`,
    });
    const tracking = only(
      prod.resources,
      "aws:appautoscaling/policy:Policy",
      `resizer${size}-scaling-target-tracking`,
    );
    expect(tracking.inputs.targetTrackingScalingPolicyConfiguration).toEqual({
      targetValue: 100,
      scaleInCooldown: 30,
      scaleOutCooldown: 60,
      customizedMetricSpecification: {
        namespace: "Service/ImageResize",
        metricName: "EcsTargetMetric",
        dimensions: [{ name: "IconSize", value: `size${size}` }],
        statistic: "Average",
      },
    });
  });

  it("has the on-call alarms with this size's dimensions, sent to the alarm topic", () => {
    const alarms = ofType(prod.resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((alarm) =>
      alarm.name.startsWith(`icon-fanout-prod-size${size}-alarms`),
    );
    const byName = Object.fromEntries(alarms.map((alarm) => [alarm.name.split("-alarms-")[1], alarm.inputs]));
    expect(byName["dead-letters"]).toMatchObject({
      namespace: "AWS/SQS",
      dimensions: { QueueName: `icon-fanout-prod-size${size}-dlq` },
      threshold: 0,
    });
    expect(byName["oldest-message"]).toMatchObject({
      dimensions: { QueueName: `icon-fanout-prod-size${size}` },
      threshold: 600,
    });
    expect(byName["scaling-metric-missing"]).toMatchObject({
      namespace: "Service/ImageResize",
      metricName: "EcsTargetMetric",
      dimensions: { IconSize: `size${size}` },
      treatMissingData: "breaching",
    });
    const composite = only(
      prod.resources,
      "aws:cloudwatch/compositeAlarm:CompositeAlarm",
      `size${size}-alarms-waiting-without-tasks`,
    );
    expect(String(composite.inputs.alarmRule)).toMatch(
      /^ALARM\(".*messages-waiting.*"\) AND ALARM\(".*no-tasks.*"\)$/,
    );
    const topic = String(byName["dead-letters"]?.alarmActions);
    expect(topic).toMatch(/^arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-alarms/);
  });
});

describe("scaling from and to zero", () => {
  it("adds the step policies only where minTasks is 0", () => {
    const steps = (run: ProgramRun) =>
      ofType(run.resources, "aws:appautoscaling/policy:Policy").filter(
        (policy) => policy.inputs.policyType === "StepScaling",
      );
    expect(steps(prod)).toEqual([]);
    expect(
      steps(dev)
        .map((policy) => policy.name)
        .sort(),
    ).toEqual(
      [16, 32, 64]
        .flatMap((size) => [
          `icon-fanout-dev-resizer${size}-scaling-start-first-task`,
          `icon-fanout-dev-resizer${size}-scaling-stop-last-task`,
        ])
        .sort(),
    );
  });

  it("starts the first task only while none is desired, by adding one: it never lowers what target tracking asked for", () => {
    const alarm = only(
      dev.resources,
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "resizer16-scaling-start-first-task",
    );
    const queries = alarm.inputs.metricQueries as {
      id: string;
      expression?: string;
      metric?: { metricName: string; period: number; dimensions: unknown };
    }[];
    expect(
      queries.flatMap((query) =>
        query.metric ? [[query.id, query.metric.metricName, query.metric.period]] : [],
      ),
    ).toEqual([
      ["visible", "BacklogVisible", 10],
      ["desired", "DesiredTasks", 10],
    ]);
    expect(queries.find((query) => query.expression)?.expression).toBe(
      "IF(visible > 0 AND desired == 0, 1, 0)",
    );
    const policy = only(
      dev.resources,
      "aws:appautoscaling/policy:Policy",
      "resizer16-scaling-start-first-task",
    );
    expect(policy.inputs.stepScalingPolicyConfiguration).toMatchObject({
      adjustmentType: "ChangeInCapacity",
      stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }],
    });
  });
});

/**
 * ECS starts tasks as soon as the service exists; if the execution role could not yet pull the
 * image or write logs, they fail and the first deployment trips its circuit breaker.
 */
function expectTasksWaitForTheirRolePolicies(run: ProgramRun, name: string): void {
  const rolePolicies = ofType(run.resources, "aws:iam/rolePolicy:RolePolicy").filter((policy) =>
    [`${name}-execution`, `${name}-task`].includes(policy.name),
  );
  expect(rolePolicies.map((policy) => policy.name).sort()).toEqual([`${name}-execution`, `${name}-task`]);
  for (const type of ["aws:ecs/taskDefinition:TaskDefinition", "aws:ecs/service:Service"]) {
    const resource = only(run.resources, type, name);
    expect(resource.dependencies, `${type} ${name}`).toEqual(
      expect.arrayContaining(rolePolicies.map((policy) => policy.urn)),
    );
  }
}

describe("role trust", () => {
  const trustOf = (run: ProgramRun, name: string) =>
    JSON.parse(String(only(run.resources, "aws:iam/role:Role", name).inputs.assumeRolePolicy)).Statement;

  it.each(["resizer16", "metric-publisher"])(
    "%s: the task role trusts ECS tasks of this account and region only; the execution role as ECS documents it",
    (app) => {
      const principal = { Service: "ecs-tasks.amazonaws.com" };
      expect(trustOf(prod, `${app}-task`)).toEqual([
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
      expect(trustOf(prod, `${app}-execution`)).toEqual([
        { Sid: "EcsAgentsStartTasks", Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" },
      ]);
    },
  );
});

describe("the metric publisher", () => {
  it("creates its task definition and service only once its roles may pull the image, write logs and work", () => {
    expectTasksWaitForTheirRolePolicies(prod, "icon-fanout-prod-metric-publisher");
  });

  it("runs one task whose environment lists every size's queue and service through the contract", () => {
    const service = only(prod.resources, "aws:ecs/service:Service", "metric-publisher");
    expect(service.inputs.desiredCount).toBe(1);
    const container = containerOf(
      only(prod.resources, "aws:ecs/taskDefinition:TaskDefinition", "metric-publisher"),
    );
    expect(container.environment.map((entry) => entry.name).sort()).toEqual([
      ...metricPublisherEnvironment.names,
    ]);
    const env = metricPublisherEnvironment.parse(
      Object.fromEntries(container.environment.map(({ name, value }) => [name, value])),
    );
    expect(env.clusterName).toBe("icon-fanout-prod");
    expect(env.scalingTargets).toEqual(
      [16, 32, 64].map((size) => ({
        size,
        queueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-size${size}`,
        serviceName: `icon-fanout-prod-resizer${size}`,
      })),
    );
  });
});

describe("network and logs", () => {
  it("defaults to public subnets with public IPs, a security group with no ingress, and no NAT", () => {
    expect(ofType(prod.resources, "aws:ec2/natGateway:NatGateway")).toEqual([]);
    const group = only(prod.resources, "aws:ec2/securityGroup:SecurityGroup");
    expect(group.inputs.ingress ?? []).toEqual([]);
    expect(group.inputs.egress).toEqual([
      expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443 }),
    ]);
  });

  it("gives no task a public IP in private mode, and routes out through one NAT gateway", async () => {
    const run = await runProgram(stackConfig("prod", { "icon-fanout:network": { mode: "private" } }), "prod");
    const services = ofType(run.resources, "aws:ecs/service:Service");
    expect(services).toHaveLength(3 + 1); // a resizer per default size and the publisher
    for (const service of services) {
      expect(
        (service.inputs.networkConfiguration as { assignPublicIp: boolean }).assignPublicIp,
        service.name,
      ).toBe(false);
      const subnets = (service.inputs.networkConfiguration as { subnets: string[] }).subnets;
      const privateSubnets = ofType(run.resources, "aws:ec2/subnet:Subnet").filter((subnet) =>
        subnet.name.includes("-private-"),
      );
      expect(privateSubnets).toHaveLength(2); // one per default zone
      expect(subnets).toHaveLength(privateSubnets.length);
    }
    expect(ofType(run.resources, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
  });

  it("sets a retention on every log group", () => {
    for (const run of [prod, dev]) {
      const groups = ofType(run.resources, "aws:cloudwatch/logGroup:LogGroup");
      expect(groups).toHaveLength(3 + 1); // a resizer per default size and the publisher
      for (const group of groups) {
        expect(group.inputs.retentionInDays, group.name).toBeGreaterThan(0);
      }
    }
  });
});

describe("dashboard", () => {
  it("shows per size the backlog, in flight, running tasks, the metric against its target, oldest age and dead letters", () => {
    const body = JSON.parse(
      String(only(prod.resources, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody),
    ) as {
      widgets: { properties: { title: string; metrics: unknown[][]; annotations?: unknown } }[];
    };
    const titles = body.widgets.map((widget) => widget.properties.title);
    for (const size of [16, 32, 64]) {
      expect(titles).toEqual(
        expect.arrayContaining([
          `size ${size}: backlog and in flight`,
          `size ${size}: running tasks`,
          `size ${size}: scaling metric (target 100)`,
          `size ${size}: oldest message (s)`,
          `size ${size}: dead letters`,
        ]),
      );
    }
    expect(titles).toContain("Upload topic: notifications delivered and failed");
    const metric = body.widgets.find(
      (widget) => widget.properties.title === "size 16: scaling metric (target 100)",
    );
    expect(metric?.properties.annotations).toEqual({ horizontal: [{ label: "target", value: 100 }] });
  });
});

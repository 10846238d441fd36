import { beforeAll, describe, expect, it } from "vitest";
import { type ProgramRun, runProgram, stackConfig } from "../../tooling/testing/program-runs.js";
import { ofType, only, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");
const dev = stackRun("dev");
/** The step scaling configuration of size 16's policy named `*resizer16-scaling-<policy>`. */
const stepScalingOf = (run: ProgramRun, policy: string) =>
  only(run.resources, "aws:appautoscaling/policy:Policy", `resizer16-scaling-${policy}`).inputs
    .stepScalingPolicyConfiguration;

describe("target tracking", () => {
  it.each([16, 32, 64])(
    "size %i scales between minTasks and maxTasks by target tracking on its 10-second metric",
    (size) => {
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
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
        customizedMetricSpecification: {
          namespace: "Service/ImageResize",
          metricName: "EcsTargetMetric",
          dimensions: [{ name: "IconSize", value: `size${size}` }],
          statistic: "Average",
        },
      });
    },
  );
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
    expect(stepScalingOf(dev, "start-first-task")).toMatchObject({
      adjustmentType: "ChangeInCapacity",
      stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }],
    });
  });

  describe("stops the last task after the stack's scaling.stopAfterIdleMinutes of an empty queue", () => {
    const stopLast = (run: ProgramRun) => {
      const alarm = only(
        run.resources,
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "resizer16-scaling-stop-last-task",
      );
      const queries = alarm.inputs.metricQueries as { metric?: { period: number }; expression?: string }[];
      return {
        evaluationPeriods: alarm.inputs.evaluationPeriods,
        datapointsToAlarm: alarm.inputs.datapointsToAlarm,
        periods: queries.flatMap((query) => (query.metric ? [query.metric.period] : [])),
        expression: queries.find((query) => query.expression)?.expression,
      };
    };
    let sevenMinutes: ProgramRun;
    beforeAll(async () => {
      sevenMinutes = await runProgram(
        stackConfig("dev", { "icon-fanout:scaling": { minTasks: 0, maxTasks: 4, stopAfterIdleMinutes: 7 } }),
        "dev",
      );
    });

    it("dev's stack file sets the value the simulator chose: 15 one-minute periods", () => {
      expect(stackConfig("dev").scaling.stopAfterIdleMinutes).toBe(15);
      expect(stopLast(dev)).toEqual({
        evaluationPeriods: 15,
        datapointsToAlarm: 15,
        periods: [60, 60, 60],
        expression: "IF(visible + inflight == 0 AND running > 0, 1, 0)",
      });
      expect(stepScalingOf(dev, "stop-last-task")).toMatchObject({
        adjustmentType: "ExactCapacity",
        stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 0 }],
      });
    });

    it("a stack that sets another value gets that many periods, every one of them breaching", () => {
      expect(stopLast(sevenMinutes)).toMatchObject({ evaluationPeriods: 7, datapointsToAlarm: 7 });
    });
  });
});

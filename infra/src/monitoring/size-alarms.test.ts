import { describe, expect, it } from "vitest";
import { ofType, only, type ProgramRun, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");

/** The metric alarms of one size, by what they watch (`dead-letters`, `no-tasks`, …). */
const alarmsOf = (run: ProgramRun, stack: string, size: number) =>
  Object.fromEntries(
    ofType(run.resources, "aws:cloudwatch/metricAlarm:MetricAlarm")
      .filter((alarm) => alarm.name.startsWith(`icon-fanout-${stack}-size${size}-alarms-`))
      .map((alarm) => [alarm.name.split("-alarms-")[1], alarm.inputs]),
  );

describe("each size's alarms", () => {
  it.each([16, 32, 64])("size %i watches its own queues and metric dimension", (size) => {
    const alarms = alarmsOf(prod, "prod", size);
    expect(Object.keys(alarms).sort()).toEqual([
      "dead-letters",
      "messages-waiting",
      "no-tasks",
      "oldest-message",
      "scaling-metric-missing",
    ]);
    expect(alarms["dead-letters"]).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: `icon-fanout-prod-size${size}-dlq` },
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
    });
    expect(alarms["oldest-message"]).toMatchObject({
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: `icon-fanout-prod-size${size}` },
      threshold: 600,
    });
    expect(alarms["scaling-metric-missing"]).toMatchObject({
      namespace: "Service/ImageResize",
      metricName: "EcsTargetMetric",
      dimensions: { IconSize: `size${size}` },
      treatMissingData: "breaching",
    });
    for (const gauge of ["messages-waiting", "no-tasks"])
      expect(alarms[gauge], gauge).toMatchObject({ dimensions: { IconSize: `size${size}` } });
  });

  it("wakes someone through the alarm topic, and for messages waiting only while no task runs", () => {
    const topic = [prod.outputs.alarmTopicArn];
    const alarms = alarmsOf(prod, "prod", 16);
    for (const name of ["dead-letters", "oldest-message", "scaling-metric-missing"])
      expect(alarms[name], name).toMatchObject({ alarmActions: topic, okActions: topic });
    // These two only feed the composite alarm: alone, each is normal (scaling to zero, a busy queue).
    for (const name of ["messages-waiting", "no-tasks"])
      expect(alarms[name]?.alarmActions, name).toBeUndefined();
    const composite = only(
      prod.resources,
      "aws:cloudwatch/compositeAlarm:CompositeAlarm",
      "size16-alarms-waiting-without-tasks",
    );
    expect(composite.inputs).toMatchObject({ alarmActions: topic, okActions: topic });
    expect(String(composite.inputs.alarmRule)).toMatch(
      /^ALARM\("icon-fanout-prod-size16-alarms-messages-waiting-[0-9a-f]+"\) AND ALARM\("icon-fanout-prod-size16-alarms-no-tasks-[0-9a-f]+"\)$/,
    );
  });

  it("alarms on messages older than alarms.oldestMessageAgeSeconds", () => {
    expect(alarmsOf(stackRun("dev"), "dev", 16)["oldest-message"]?.threshold).toBe(900);
  });
});

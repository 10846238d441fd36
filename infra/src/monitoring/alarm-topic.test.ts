import { describe, expect, it } from "vitest";
import { runProgram, stackConfig } from "../../tooling/testing/program-runs.js";
import { ofType, only, policyOf, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");

describe("the alarm topic", () => {
  it("takes alarms from CloudWatch of this account and region only, over TLS", () => {
    const arn = prod.outputs.alarmTopicArn;
    expect(arn).toMatch(/^arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-alarms-[0-9a-f]{7}$/);
    expect(
      policyOf(only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "alarms-policy")).Statement,
    ).toEqual([
      {
        Sid: "AlarmsOfThisAccountPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: arn,
        Condition: {
          StringEquals: { "aws:SourceAccount": "222222222222" },
          ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:222222222222:alarm:*" },
        },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["sns:Publish", "sns:Subscribe"],
        Resource: arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("subscribes alarms.email where one is set", () => {
    const email = (stack: "prod" | "dev") =>
      ofType(stackRun(stack).resources, "aws:sns/topicSubscription:TopicSubscription")
        .filter((subscription) => subscription.inputs.protocol === "email")
        .map((subscription) => [subscription.inputs.endpoint, subscription.inputs.topic]);
    expect(email("prod")).toEqual([["icon-oncall@example.com", prod.outputs.alarmTopicArn]]);
    expect(email("dev")).toEqual([]);
  });

  it("is alarms.topicArn when one is given: no topic of its own, every alarm sent there", async () => {
    const existing = "arn:aws:sns:eu-west-1:222222222222:on-call";
    const run = await runProgram(
      stackConfig("prod", { "icon-fanout:alarms": { topicArn: existing } }),
      "prod",
    );
    expect(run.outputs.alarmTopicArn).toBe(existing);
    expect(
      ofType(run.resources, "aws:sns/topic:Topic")
        .map((topic) => topic.name)
        .sort(),
    ).toEqual(["icon-fanout-prod-results", "icon-fanout-prod-uploads"]);
    const alarms = [
      ...ofType(run.resources, "aws:cloudwatch/metricAlarm:MetricAlarm"),
      ...ofType(run.resources, "aws:cloudwatch/compositeAlarm:CompositeAlarm"),
    ].filter((alarm) => alarm.inputs.alarmActions !== undefined);
    // Four per default size, two for deliveries; prod's minTasks 1 has no step scaling alarms.
    expect(alarms).toHaveLength(3 * 4 + 2);
    for (const alarm of alarms) expect(alarm.inputs.alarmActions, alarm.name).toEqual([existing]);
  });
});

import { describe, expect, it } from "vitest";
import { ofType, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");

describe("the delivery alarms", () => {
  it("alarm when SNS fails to deliver an upload notification, and while any waits undelivered", () => {
    const topic = [prod.outputs.alarmTopicArn];
    const alarms = ofType(prod.resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((alarm) =>
      alarm.name.startsWith("icon-fanout-prod-delivery-alarms-"),
    );
    expect(alarms.map((alarm) => [alarm.name, alarm.inputs])).toEqual([
      [
        "icon-fanout-prod-delivery-alarms-notifications-failed",
        expect.objectContaining({
          namespace: "AWS/SNS",
          metricName: "NumberOfNotificationsFailed",
          dimensions: { TopicName: "icon-fanout-prod-uploads" },
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
          alarmActions: topic,
        }),
      ],
      [
        "icon-fanout-prod-delivery-alarms-undelivered",
        expect.objectContaining({
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: "icon-fanout-prod-undelivered" },
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
          alarmActions: topic,
        }),
      ],
    ]);
  });
});

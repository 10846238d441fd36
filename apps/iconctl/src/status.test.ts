import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { statusCommand } from "./commands.js";
import { contextWith, OUTPUTS, terminal } from "./test-fixtures.js";

const sqs = mockClient(SQSClient);
const ecs = mockClient(ECSClient);
const cloudWatch = mockClient(CloudWatchClient);
afterEach(() => {
  for (const mock of [sqs, ecs, cloudWatch]) mock.reset();
});

beforeEach(() => {
  const depth = (visible: number, inFlight: number) => ({
    Attributes: {
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
    },
  });
  const [size16, size32] = OUTPUTS.sizes;
  sqs.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string }) => {
    if (input.QueueUrl === size16?.queueUrl) return depth(42, 8);
    if (input.QueueUrl === size16?.deadLetterQueueUrl) return depth(2, 0);
    return depth(0, 0);
  });
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      { serviceName: size16?.serviceName, runningCount: 3, desiredCount: 4 },
      { serviceName: size32?.serviceName, runningCount: 1, desiredCount: 1 },
    ],
  });
  cloudWatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: "metric0", Values: [356.25] },
      { Id: "age0", Values: [95] },
      { Id: "metric1", Values: [100] },
      { Id: "age1", Values: [] },
    ],
  });
});

describe("iconctl status", () => {
  it("prints one table per snapshot for logs and pipes", async () => {
    const out = terminal(false);
    await statusCommand(contextWith(out), { watch: false, intervalSeconds: 1 });
    const text = out.text().replace(/at \S+/, "at <time>");
    expect(text).toBe(
      [
        "prod at <time>",
        "size  waiting  in flight  oldest  tasks  metric  dead letters",
        "----  -------  ---------  ------  -----  ------  ------------",
        "  16       42          8    95 s  3/4       356             2",
        "  32        0          0  -       1/1       100             0",
        "",
      ].join("\n"),
    );
  });

  it("redraws in place on a terminal with --watch", async () => {
    const out = terminal(true);
    await statusCommand(contextWith(out), { watch: true, intervalSeconds: 0, rounds: 2 });
    expect(out.text().split("\x1b[H\x1b[J")).toHaveLength(3);
  });
});

import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { S3Client } from "@aws-sdk/client-s3";
import { ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { statusCommand } from "./commands.js";
import { TestBucket } from "./test-bucket.js";
import { contextWith, OUTPUTS, terminal } from "./test-fixtures.js";

const sqs = mockClient(SQSClient);
const ecs = mockClient(ECSClient);
const cloudWatch = mockClient(CloudWatchClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
afterEach(() => {
  for (const mock of [sqs, ecs, cloudWatch, s3, sns]) mock.reset();
});

const confirmed = {
  SubscriptionArn: `${OUTPUTS.alarmTopicArn}:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
  Protocol: "email",
  Endpoint: "oncall@example.com",
};
const pending = {
  SubscriptionArn: "PendingConfirmation",
  Protocol: "email",
  Endpoint: "new-oncall@example.com",
};
const PENDING_LINE =
  "alarms: the email subscription of new-oncall@example.com to icon-fanout-prod-alarms-1234567 is PendingConfirmation: no alarm reaches it until the link AWS emailed there is opened\n";

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
  sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [confirmed] });
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
  it("prints one table per snapshot for logs and pipes, counting sources without an output by listing", async () => {
    // Three keys a page: the counts come from several listing requests, as in a large bucket.
    const bucket = new TestBucket(s3, 3);
    for (const key of [
      "icons/a.png",
      "icons/b.png",
      "icons/team/c.png",
      "icons/logo.svg",
      "icons/logo.svg.png",
    ])
      bucket.putSource(key);
    bucket.putOutput("icons-size-16/a.png", {});
    bucket.putOutput("icons-size-16/logo.svg.png", {});
    bucket.putOutput("icons-size-16/deleted-since.png", {});
    const out = terminal(false);
    await statusCommand(contextWith(out), { watch: false, intervalSeconds: 1, listing: true });
    const text = out.text().replace(/at \S+/, "at <time>");
    expect(text).toBe(
      [
        "prod at <time>",
        "size  waiting  in flight  oldest  tasks  metric  dead letters  no output",
        "----  -------  ---------  ------  -----  ------  ------------  ---------",
        "  16       42          8    95 s  3/4       356             2          2",
        "  32        0          0  -       1/1       100             0          4",
        "size 32 has no outputs yet for 4 source(s): iconctl backfill --stack prod --size 32",
        "",
      ].join("\n"),
    );
  });

  it("lists nothing with --no-listing", async () => {
    const out = terminal(false);
    await statusCommand(contextWith(out), { watch: false, intervalSeconds: 1, listing: false });
    expect(out.text()).toContain("  16       42          8    95 s  3/4       356             2  -\n");
    expect(s3.calls()).toHaveLength(0);
  });

  it("reads who the alarms reach from the stack's alarm topic, and says nothing when every subscription is confirmed", async () => {
    const out = terminal(false);
    await statusCommand(contextWith(out), { watch: false, intervalSeconds: 1, listing: false });
    expect(sns.commandCalls(ListSubscriptionsByTopicCommand).map((call) => call.args[0].input)).toEqual([
      { TopicArn: OUTPUTS.alarmTopicArn },
    ]);
    expect(out.text()).not.toContain("alarms:");
  });

  it("names an alarm subscription that awaits confirmation, on any page of the topic's subscriptions", async () => {
    sns
      .on(ListSubscriptionsByTopicCommand)
      .resolvesOnce({ Subscriptions: [confirmed], NextToken: "page-2" })
      .resolvesOnce({ Subscriptions: [pending] });
    const out = terminal(false);
    await statusCommand(contextWith(out), { watch: false, intervalSeconds: 1, listing: false });
    expect(out.text()).toContain("  16       42          8    95 s  3/4       356             2  -\n");
    expect(out.text().endsWith(PENDING_LINE)).toBe(true);
    // The paginator reuses one input object, so only the last request's token can be read back.
    const requests = sns.commandCalls(ListSubscriptionsByTopicCommand).map((call) => call.args[0].input);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toEqual({ TopicArn: OUTPUTS.alarmTopicArn, NextToken: "page-2" });
  });

  it("still prints the table, and says why, when the alarm topic's subscriptions cannot be read", async () => {
    sns.on(ListSubscriptionsByTopicCommand).rejects(
      Object.assign(new Error("User is not authorized to perform: SNS:ListSubscriptionsByTopic"), {
        name: "AuthorizationError",
      }),
    );
    const out = terminal(false);
    expect(await statusCommand(contextWith(out), { watch: false, intervalSeconds: 1, listing: false })).toBe(
      0,
    );
    expect(out.text()).toContain("  32        0          0  -       1/1       100             0  -\n");
    expect(out.text()).toContain(
      "alarms: cannot tell whom icon-fanout-prod-alarms-1234567 reaches (AuthorizationError: User is not authorized to perform: SNS:ListSubscriptionsByTopic)\n",
    );
  });

  it("redraws in place on a terminal with --watch", async () => {
    const out = terminal(true);
    await statusCommand(contextWith(out), { watch: true, intervalSeconds: 0, rounds: 2, listing: false });
    expect(out.text().split("\x1b[H\x1b[J")).toHaveLength(3);
  });
});

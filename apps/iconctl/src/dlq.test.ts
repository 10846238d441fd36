import {
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { DEAD_LETTER_ATTRIBUTES } from "@icon-fanout/config";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { dlqListCommand, dlqRedriveCommand } from "./commands.js";
import { listDeadLetters } from "./dlq.js";
import { contextWith, OUTPUTS, terminal } from "./test-fixtures.js";

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const event = (key: string) =>
  JSON.stringify({
    Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "b" }, object: { key } } }],
  });
const NOW = Date.parse("2026-11-21T12:00:00Z");

describe("iconctl dlq list", () => {
  it("shows key, reason, receive count and age, and peeks without hiding messages", async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          {
            MessageId: "m1",
            Body: event("icons/team/broken+logo.png"),
            Attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(NOW - 90_000) },
            MessageAttributes: {
              [DEAD_LETTER_ATTRIBUTES.reason]: {
                DataType: "String",
                StringValue: "InvalidImageError: empty file",
              },
            },
          },
          {
            MessageId: "m2",
            Body: event("icons/slow.png"),
            Attributes: { ApproximateReceiveCount: "6", SentTimestamp: String(NOW - 3 * 3600_000) },
          },
          {
            MessageId: "m3",
            Body: "garbage",
            Attributes: { ApproximateReceiveCount: "5", SentTimestamp: String(NOW - 600_000) },
          },
        ],
      })
      .resolves({ Messages: [] });
    const letters = await listDeadLetters(
      new SQSClient({ region: "eu-west-1" }),
      OUTPUTS.sizes[0]?.deadLetterQueueUrl ?? "",
      50,
      NOW,
    );
    expect(letters).toEqual([
      {
        messageId: "m1",
        key: "icons/team/broken logo.png",
        reason: "InvalidImageError: empty file",
        receiveCount: 1,
        ageSeconds: 90,
      },
      {
        messageId: "m2",
        key: "icons/slow.png",
        reason: "failed maxReceiveCount times (transient errors)",
        receiveCount: 6,
        ageSeconds: 10800,
      },
      {
        messageId: "m3",
        key: "(invalid: body is not JSON)",
        reason: "failed maxReceiveCount times (transient errors)",
        receiveCount: 5,
        ageSeconds: 600,
      },
    ]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
      VisibilityTimeout: 0,
      MessageAttributeNames: ["All"],
    });
  });

  it("says so when the dead-letter queue is empty, and refuses a size the stack does not have", async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });
    const out = terminal(false);
    expect(await dlqListCommand(contextWith(out), 16, 10)).toBe(0);
    expect(await dlqListCommand(contextWith(out), 48, 10)).toBe(2);
    expect(out.text()).toBe(
      "size 16: the dead-letter queue is empty\nstack prod has no size 48 (sizes: 16, 32)\n",
    );
  });
});

describe("iconctl dlq redrive", () => {
  it("starts a message-move task from the DLQ to the queue and reports progress until it completes", async () => {
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "t1" });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({
        Results: [
          { Status: "RUNNING", ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 10 },
        ],
      })
      .resolves({
        Results: [
          {
            Status: "COMPLETED",
            ApproximateNumberOfMessagesMoved: 10,
            ApproximateNumberOfMessagesToMove: 10,
          },
        ],
      });
    const out = terminal(false);
    expect(await dlqRedriveCommand(contextWith(out), 16, 0)).toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: "arn:aws:sqs:eu-west-1:222222222222:icon-fanout-prod-size16-dlq",
      DestinationArn: "arn:aws:sqs:eu-west-1:222222222222:icon-fanout-prod-size16",
    });
    expect(out.text()).toBe(
      [
        "redrive running [######--------------]  3/10 moved",
        "redrive completed [####################] 10/10 moved",
        "size 16: 10 message(s) moved back to the queue (COMPLETED)",
        "",
      ].join("\n"),
    );
  });
});

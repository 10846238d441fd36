import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { DEAD_LETTER_ATTRIBUTES } from "@icon-fanout/config";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { dlqListCommand, dlqRedriveCommand } from "./commands.js";
import { LISTING_HOLD_SECONDS, listDeadLetters, renderDeadLetters } from "./dlq.js";
import { contextWith, OUTPUTS, terminal } from "./test-fixtures.js";

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const event = (key: string) =>
  JSON.stringify({
    Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "b" }, object: { key } } }],
  });
const NOW = Date.parse("2026-11-21T12:00:00Z");

describe("iconctl dlq list", () => {
  const entry = OUTPUTS.sizes[0] ?? { deadLetterQueueUrl: "", queueUrl: "" };
  const text = (value: string) => ({ DataType: "String", StringValue: value });
  const refused = {
    MessageId: "m1",
    ReceiptHandle: "rh1",
    Body: event("icons/team/broken+logo.png"),
    Attributes: { SentTimestamp: String(NOW - 90_000) },
    MessageAttributes: {
      [DEAD_LETTER_ATTRIBUTES.reason]: text("truncated: the PNG data ends early"),
      [DEAD_LETTER_ATTRIBUTES.code]: text("truncated"),
      [DEAD_LETTER_ATTRIBUTES.detail]: text("vipspng: libpng read error"),
      [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: "Number", StringValue: "1" },
    },
  };
  const redriven = {
    MessageId: "m2",
    ReceiptHandle: "rh2",
    Body: event("icons/slow.png"),
    Attributes: { SentTimestamp: String(NOW - 3 * 3600_000) },
  };
  const older = {
    MessageId: "m3",
    ReceiptHandle: "rh3",
    Body: "garbage",
    Attributes: { SentTimestamp: String(NOW - 600_000) },
    MessageAttributes: {
      [DEAD_LETTER_ATTRIBUTES.reason]: text("InvalidImageError: empty file"),
      [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: "Number", StringValue: "2" },
    },
  };
  const redrivePolicy = (maxReceiveCount: number) =>
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn", maxReceiveCount }) },
    });

  it("shows code, reason, the receive count at dead-letter time, age and detail", async () => {
    redrivePolicy(5);
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [refused, redriven, older] })
      .resolves({ Messages: [] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});
    const letters = await listDeadLetters(new SQSClient({ region: "eu-west-1" }), entry, 50, NOW);
    expect(letters).toEqual([
      {
        messageId: "m1",
        key: "icons/team/broken logo.png",
        code: "truncated",
        reason: "the PNG data ends early",
        detail: "vipspng: libpng read error",
        receiveCount: 1,
        ageSeconds: 90,
      },
      {
        messageId: "m2",
        key: "icons/slow.png",
        code: "max-receives",
        reason: "SQS moved it after maxReceiveCount receives (transient failures)",
        receiveCount: 5,
        ageSeconds: 10800,
      },
      {
        messageId: "m3",
        key: "(invalid: body is not JSON)",
        reason: "InvalidImageError: empty file",
        receiveCount: 2,
        ageSeconds: 600,
      },
    ]);
    expect(sqs.commandCalls(GetQueueAttributesCommand)[0]?.args[0].input.QueueUrl).toBe(entry.queueUrl);
    expect(renderDeadLetters(16, letters)).toBe(
      [
        "key                          code          reason                                                            receives  age     detail",
        "---------------------------  ------------  ----------------------------------------------------------------  --------  ------  --------------------------",
        "icons/team/broken logo.png   truncated     the PNG data ends early                                                  1    90 s  vipspng: libpng read error",
        "icons/slow.png               max-receives  SQS moved it after maxReceiveCount receives (transient failures)         5  3 h",
        "(invalid: body is not JSON)  -             InvalidImageError: empty file                                            2  10 min",
        "",
      ].join("\n"),
    );
  });

  it("receives each message once, holding what it read until the end, then releases all at once", async () => {
    redrivePolicy(5);
    const batch = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        ...redriven,
        MessageId: `m${from + i}`,
        ReceiptHandle: `rh${from + i}`,
      }));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: batch(0, 10) })
      .resolvesOnce({ Messages: batch(10, 3) })
      .resolves({ Messages: [] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});
    const letters = await listDeadLetters(new SQSClient({ region: "eu-west-1" }), entry, 50, NOW);
    expect(letters.map((letter) => letter.messageId)).toEqual(batch(0, 13).map((m) => m.MessageId));
    const receives = sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input);
    expect(receives).toHaveLength(3);
    for (const receive of receives)
      expect(receive).toMatchObject({
        QueueUrl: entry.deadLetterQueueUrl,
        VisibilityTimeout: LISTING_HOLD_SECONDS,
      });
    const released = sqs.commandCalls(ChangeMessageVisibilityBatchCommand).map((call) => call.args[0].input);
    expect(
      released.map((input) => input.Entries?.map((e) => [e.ReceiptHandle, e.VisibilityTimeout])),
    ).toEqual([batch(0, 10).map((m) => [m.ReceiptHandle, 0]), batch(10, 3).map((m) => [m.ReceiptHandle, 0])]);
  });

  it("ends when a receive brings nothing new, as when a long listing meets its first messages again", async () => {
    redrivePolicy(5);
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [refused, redriven] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});
    const letters = await listDeadLetters(new SQSClient({ region: "eu-west-1" }), entry, 50, NOW);
    expect(letters.map((letter) => letter.messageId)).toEqual(["m1", "m2"]);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(2);
  });

  it("stops at --limit and still releases what it read when a receive fails", async () => {
    redrivePolicy(5);
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [refused, redriven] })
      .rejects(new Error("throttled"));
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});
    await expect(listDeadLetters(new SQSClient({ region: "eu-west-1" }), entry, 5, NOW)).rejects.toThrow(
      "throttled",
    );
    expect(sqs.commandCalls(ReceiveMessageCommand)[1]?.args[0].input.MaxNumberOfMessages).toBe(3);
    expect(
      sqs
        .commandCalls(ChangeMessageVisibilityBatchCommand)[0]
        ?.args[0].input.Entries?.map((e) => e.ReceiptHandle),
    ).toEqual(["rh1", "rh2"]);
  });

  it("says so when the dead-letter queue is empty, and refuses a size the stack does not have", async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: {} });
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

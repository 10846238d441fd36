import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { DEAD_LETTER_ATTRIBUTES, sizeQueueName, stackPrefix } from "@icon-fanout/config";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { ReceivedMessage } from "../ports.js";
import { SqsWorkQueue } from "./sqs-work-queue.js";

const sqsMock = mockClient(SQSClient);
afterEach(() => sqsMock.reset());
const QUEUE = `https://sqs.eu-west-1.amazonaws.com/111111111111/${sizeQueueName(stackPrefix("dev"), 16)}`;
const queue = () => new SqsWorkQueue(new SQSClient({ region: "eu-west-1" }), QUEUE, `${QUEUE}-dlq`);
const live = () => new AbortController().signal;
const message = (id: string, handle = `rh-${id}`): ReceivedMessage => ({
  messageId: id,
  receiptHandle: handle,
  body: "{}",
  receiveCount: 2,
});

describe("SqsWorkQueue", () => {
  it("long-polls for a batch and reads the receive count", async () => {
    sqsMock.on(ReceiveMessageCommand).resolves({
      Messages: [
        { MessageId: "m1", ReceiptHandle: "rh1", Body: "b", Attributes: { ApproximateReceiveCount: "3" } },
      ],
    });
    expect(await queue().receive(10, 20, new AbortController().signal)).toEqual([
      { messageId: "m1", receiptHandle: "rh1", body: "b", receiveCount: 3 },
    ]);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 20,
      MessageSystemAttributeNames: ["ApproximateReceiveCount"],
    });
  });

  it("returns nothing when the long poll is aborted", async () => {
    const controller = new AbortController();
    sqsMock.on(ReceiveMessageCommand).callsFake(async () => {
      controller.abort();
      throw Object.assign(new Error("aborted"), { name: "AbortError" });
    });
    expect(await queue().receive(10, 20, controller.signal)).toEqual([]);
  });

  it("deletes by position, so one message received twice can be in a batch, and reports failures by id", async () => {
    sqsMock.on(DeleteMessageBatchCommand).resolves({
      Successful: [{ Id: "0" }],
      Failed: [{ Id: "1", Code: "ReceiptHandleIsInvalid", SenderFault: true }],
    });
    expect(await queue().delete([message("m1", "old"), message("m1", "new")], live())).toEqual(["m1"]);
    expect(sqsMock.commandCalls(DeleteMessageBatchCommand)[0]?.args[0].input.Entries).toEqual([
      { Id: "0", ReceiptHandle: "old" },
      { Id: "1", ReceiptHandle: "new" },
    ]);
  });

  it("changes visibility in one batch", async () => {
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [{ Id: "0" }], Failed: [] });
    expect(await queue().changeVisibility([{ message: message("m1"), seconds: 0 }], live())).toEqual([]);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries).toEqual([
      { Id: "0", ReceiptHandle: "rh-m1", VisibilityTimeout: 0 },
    ]);
  });

  it("dead-letters with the reason, its code and detail, the receive count and the source message id attached", async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: "dlq-1" });
    await queue().deadLetter(
      message("m1"),
      {
        code: "truncated",
        reason: "truncated: the PNG data ends early",
        detail: "vipspng: libpng read error",
      },
      live(),
    );
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: `${QUEUE}-dlq`,
      MessageBody: "{}",
      MessageAttributes: {
        [DEAD_LETTER_ATTRIBUTES.reason]: {
          DataType: "String",
          StringValue: "truncated: the PNG data ends early",
        },
        [DEAD_LETTER_ATTRIBUTES.code]: { DataType: "String", StringValue: "truncated" },
        [DEAD_LETTER_ATTRIBUTES.detail]: { DataType: "String", StringValue: "vipspng: libpng read error" },
        [DEAD_LETTER_ATTRIBUTES.receiveCount]: { DataType: "Number", StringValue: "2" },
        [DEAD_LETTER_ATTRIBUTES.sourceMessageId]: { DataType: "String", StringValue: "m1" },
      },
    });
  });
});

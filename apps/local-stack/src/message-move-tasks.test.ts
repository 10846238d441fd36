import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { emulatorClients } from "./provision.js";

describe("message-move tasks on the emulator (what iconctl dlq redrive calls)", () => {
  let emulator: Emulator;
  let sqs: ReturnType<typeof emulatorClients>["sqs"];
  const queue = { url: "", arn: "" };
  const dlq = { url: "", arn: "" };

  beforeAll(async () => {
    emulator = await startEmulator({ region: "eu-west-1" });
    ({ sqs } = emulatorClients(emulator.endpoint, "eu-west-1"));
    const create = async (name: string, attributes: Record<string, string> = {}) => {
      const { QueueUrl = "" } = await sqs.send(
        new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
      );
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      return { url: QueueUrl, arn: Attributes.QueueArn ?? "" };
    };
    Object.assign(dlq, await create("work-dlq"));
    Object.assign(
      queue,
      await create("work", {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
      }),
    );
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it("refuses a source that is no queue's dead-letter queue", async () => {
    await expect(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queue.arn, DestinationArn: dlq.arn })),
    ).rejects.toThrow("Source queue must be configured as a Dead Letter Queue");
  });

  it("moves every dead letter back with its attributes and reports the task until it completes", async () => {
    for (let n = 0; n < 23; n += 1) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: dlq.url,
          MessageBody: `letter ${n}`,
          MessageAttributes: { reason: { DataType: "String", StringValue: `reason ${n}` } },
        }),
      );
    }
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(TaskHandle).toMatch(/\S/);
    await vi.waitFor(
      async () => {
        const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
        expect(Results[0]).toMatchObject({
          Status: "COMPLETED",
          SourceArn: dlq.arn,
          DestinationArn: queue.arn,
          ApproximateNumberOfMessagesMoved: 23,
          ApproximateNumberOfMessagesToMove: 23,
        });
      },
      { timeout: 5_000, interval: 50 },
    );
    const bodies: string[] = [];
    for (let round = 0; round < 10 && bodies.length < 23; round += 1) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ["All"],
        }),
      );
      bodies.push(...Messages.map((m) => `${m.Body}/${m.MessageAttributes?.reason?.StringValue}`));
    }
    expect(bodies.sort()).toEqual(Array.from({ length: 23 }, (_, n) => `letter ${n}/reason ${n}`).sort());
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.url, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    expect(Attributes.ApproximateNumberOfMessages).toBe("0");
  });
});

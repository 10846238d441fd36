import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { RemovedEvent } from "@icon-fanout/events";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SnsResultPublisher } from "./sns-result-publisher.js";

const snsMock = mockClient(SNSClient);
afterEach(() => snsMock.reset());
const TOPIC = "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-results";
const publisher = () => new SnsResultPublisher(new SNSClient({ region: "eu-west-1" }), TOPIC);

const removed = (size: number): RemovedEvent => ({
  schemaVersion: 1,
  stack: "prod",
  size,
  bucket: "b",
  sourceKey: "icons/a.png",
  outputKey: `icons-size-${size}/a.png`,
  renderVersion: 1,
  uploadId: "u-1",
  messageId: "m-1",
  receiveCount: 1,
  time: "2026-12-05T03:00:00.000Z",
  outcome: "removed",
  sequencer: "00AB",
});

describe("SnsResultPublisher", () => {
  it("publishes each event to its topic as JSON with the filter attributes", async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: "x" });
    await publisher().publish([removed(16), removed(32)], new AbortController().signal);
    const inputs = snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toEqual({
      TopicArn: TOPIC,
      Message: JSON.stringify(removed(16)),
      MessageAttributes: {
        size: { DataType: "Number", StringValue: "16" },
        outcome: { DataType: "String", StringValue: "removed" },
        "source-key": { DataType: "String", StringValue: "icons/a.png" },
        "upload-id": { DataType: "String", StringValue: "u-1" },
      },
    });
  });

  it("rejects when any event is refused, so the caller keeps the message", async () => {
    snsMock.on(PublishCommand).resolvesOnce({ MessageId: "x" }).rejectsOnce(new Error("Throttled"));
    await expect(
      publisher().publish([removed(16), removed(32)], new AbortController().signal),
    ).rejects.toThrow("Throttled");
  });
});

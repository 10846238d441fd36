import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ListedObject } from "../listing.js";
import { OUTPUTS } from "../test-fixtures.js";
import { Pacer } from "./pacer.js";
import { sendEvents } from "./send.js";

const sqs = mockClient(SQSClient);
const sources: ListedObject[] = Array.from({ length: 100 }, (_, index) => ({
  key: `icons/${index}.png`,
  etag: "d41d8cd98f00b204e9800998ecf8427e",
  size: 10,
}));
const target = {
  queueUrl: OUTPUTS.sizes[0]?.queueUrl ?? "",
  bucket: OUTPUTS.bucketName,
  region: "eu-west-1",
};

let sentAt: number[];
beforeEach(() => {
  vi.useFakeTimers({ fakeNodeBuiltins: true });
  const started = Date.now();
  sentAt = [];
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    sentAt.push(Date.now() - started);
    return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
  });
});
afterEach(() => {
  vi.useRealTimers();
  sqs.reset();
});

describe("the rate bound", () => {
  it("sends a batch of ten every 10/rate seconds: never more than rate × t + 10 messages by time t", async () => {
    const sending = sendEvents(new SQSClient({ region: "eu-west-1" }), sources, {
      ...target,
      pacer: new Pacer(20),
    });
    await vi.advanceTimersByTimeAsync(4_499);
    expect(sentAt).toHaveLength(9);
    await vi.advanceTimersByTimeAsync(1);
    expect(await sending).toEqual({ sent: 100, interrupted: false });
    expect(sentAt).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500]);
  });

  it("stops while waiting for its turn when interrupted, leaving the rest unsent", async () => {
    const interrupt = new AbortController();
    const sending = sendEvents(new SQSClient({ region: "eu-west-1" }), sources, {
      ...target,
      pacer: new Pacer(20),
      signal: interrupt.signal,
    });
    await vi.advanceTimersByTimeAsync(700);
    interrupt.abort();
    expect(await sending).toEqual({ sent: 20, interrupted: true });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sentAt).toEqual([0, 500]);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => new Pacer(0)).toThrow("rate must be positive, got 0");
  });
});

/** The local stack's emulator clients against a loopback peer that accepts and never answers. */
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { ListTopicsCommand } from "@aws-sdk/client-sns";
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { blackHole, type LoopbackPeer, timedFailure } from "@icon-fanout/aws-clients/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emulatorClients } from "./provision.js";

const SHORT = { connectMs: 200, idleMs: 300, attemptMs: 300, maxAttempts: 1 };
let hole: LoopbackPeer;
beforeEach(async () => {
  hole = await blackHole();
});
afterEach(async () => {
  await hole.close();
});

describe("the emulator's clients, when the emulator stops answering", () => {
  it("end S3, SNS and SQS calls at their attempt deadline", async () => {
    const { s3, sns, sqs } = emulatorClients(hole.endpoint, "eu-west-1", SHORT);
    const calls = [
      s3.send(new ListBucketsCommand({})),
      sns.send(new ListTopicsCommand({})),
      sqs.send(new ListQueuesCommand({})),
    ];
    for (const { ms, error } of await Promise.all(calls.map(timedFailure))) {
      expect(error.name).toBe("TimeoutError");
      expect(ms).toBeLessThan(300 + 1_500);
    }
    await vi.waitFor(() => expect(hole.open).toBe(0));
  });
});

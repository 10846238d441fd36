/** iconctl's clients against a loopback peer that accepts and never answers: every call ends. */
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { blackHole, type LoopbackPeer, timedFailure } from "@icon-fanout/aws-clients/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClients } from "./aws.js";

const SHORT = { connectMs: 200, idleMs: 300, attemptMs: 300, maxAttempts: 1 };
let hole: LoopbackPeer;
beforeEach(async () => {
  hole = await blackHole();
});
afterEach(async () => {
  await hole.close();
});

describe("iconctl's clients, when the network stops answering", () => {
  it("end S3, SQS and STS calls at their attempt deadline", async () => {
    const clients = createClients("eu-west-1", undefined, hole.endpoint, { s3: SHORT, other: SHORT });
    const calls = [
      clients.s3.send(new HeadObjectCommand({ Bucket: "b", Key: "icons/a.png" })),
      clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: "http://127.0.0.1/0/q" })),
      clients.sts.send(new GetCallerIdentityCommand({})),
    ];
    for (const { ms, error } of await Promise.all(calls.map(timedFailure))) {
      expect(error.name).toBe("TimeoutError");
      expect(ms).toBeLessThan(300 + 1_500);
    }
    await vi.waitFor(() => expect(hole.open).toBe(0));
  });
});

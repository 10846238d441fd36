/** iconctl's clients against a loopback peer that accepts and never answers: every call ends. */
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { failuresOf, TEST_DEADLINES, withBlackHole } from "@icon-fanout/aws-clients/testing";
import { describe, expect, it } from "vitest";
import { createClients } from "./aws.js";

describe("iconctl's clients, when the network stops answering", () => {
  it("end S3, SQS and STS calls at their attempt deadline", async () => {
    const deadlines = { s3: TEST_DEADLINES, other: TEST_DEADLINES };
    const { names, slowestMs } = await withBlackHole((hole) => {
      const clients = createClients("eu-west-1", undefined, hole.endpoint, deadlines);
      return failuresOf(hole, [
        () => clients.s3.send(new HeadObjectCommand({ Bucket: "b", Key: "icons/a.png" })),
        () => clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: "http://127.0.0.1/0/q" })),
        () => clients.sts.send(new GetCallerIdentityCommand({})),
      ]);
    });
    expect(names).toEqual(["TimeoutError", "TimeoutError", "TimeoutError"]);
    expect(slowestMs).toBeLessThan(TEST_DEADLINES.attemptMs + 1_500);
  });
});

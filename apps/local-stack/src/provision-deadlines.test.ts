/** The local stack's emulator clients against a loopback peer that accepts and never answers. */
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { ListTopicsCommand } from "@aws-sdk/client-sns";
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import { failuresOf, TEST_DEADLINES, withBlackHole } from "@icon-fanout/aws-clients/testing";
import { describe, expect, it } from "vitest";
import { emulatorClients } from "./provision.js";

describe("the emulator's clients, when the emulator stops answering", () => {
  it("end S3, SNS and SQS calls at their attempt deadline", async () => {
    const { names, slowestMs } = await withBlackHole((hole) => {
      const { s3, sns, sqs } = emulatorClients(hole.endpoint, "eu-west-1", TEST_DEADLINES);
      return failuresOf(hole, [
        () => s3.send(new ListBucketsCommand({})),
        () => sns.send(new ListTopicsCommand({})),
        () => sqs.send(new ListQueuesCommand({})),
      ]);
    });
    expect(names).toEqual(["TimeoutError", "TimeoutError", "TimeoutError"]);
    expect(slowestMs).toBeLessThan(TEST_DEADLINES.attemptMs + 1_500);
  });
});

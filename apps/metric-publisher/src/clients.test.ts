/** The publisher's clients against a loopback peer that accepts and never answers: every call ends. */
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { blackHole, failuresOf, type LoopbackPeer } from "@icon-fanout/aws-clients/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClients } from "./clients.js";

const CALL_MS = 300;
let hole: LoopbackPeer;
beforeEach(async () => {
  hole = await blackHole();
  vi.stubEnv("AWS_ENDPOINT_URL", hole.endpoint);
  vi.stubEnv("AWS_REGION", "eu-west-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await hole.close();
});

describe("the publisher's clients, when the network stops answering", () => {
  it("end every call after its three attempts of the call budget each", async () => {
    const { sqs, ecs, cloudWatch } = createClients(CALL_MS);
    const { names, slowestMs } = await failuresOf(hole, [
      () =>
        sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: "http://127.0.0.1/0/q", AttributeNames: ["All"] }),
        ),
      () => ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["s"] })),
      () =>
        cloudWatch.send(
          new PutMetricDataCommand({ Namespace: "n", MetricData: [{ MetricName: "m", Value: 1 }] }),
        ),
    ]);
    expect(names).toEqual(["TimeoutError", "TimeoutError", "TimeoutError"]);
    // Three attempts and the SDK's first two retry delays, with room for a loaded machine.
    expect(slowestMs).toBeLessThan(3 * CALL_MS + 300 + 1_500);
    expect(hole.accepted).toBe(3 * 3);
    await vi.waitFor(() => expect(hole.open).toBe(0));
  });
});

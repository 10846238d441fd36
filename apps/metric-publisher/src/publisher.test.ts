import { PutMetricDataCommand, type PutMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { METRIC_NAMESPACE } from "@icon-fanout/config";
import { describe, expect, it } from "vitest";
import { MetricPublisher } from "./publisher.js";
import { CLUSTER, mockCluster, type SizeState, targetsFor } from "./test-clients.js";

const AT = new Date("2026-11-21T10:00:10.000Z");

function publisherFor(states: SizeState[], callTimeoutMs = 6_000) {
  const cluster = mockCluster(states);
  const publisher = new MetricPublisher({
    clients: cluster.clients,
    clusterName: CLUSTER,
    targets: cluster.targets,
    namespace: METRIC_NAMESPACE,
    acceptableMessagesPerTask: 5,
    callTimeoutMs,
  });
  return { publisher, ...cluster };
}

function sentData(mocks: ReturnType<typeof mockCluster>["mocks"]): PutMetricDataCommandInput[] {
  return mocks.cloudWatch.commandCalls(PutMetricDataCommand).map((call) => call.args[0].input);
}

describe("MetricPublisher.tick", () => {
  it.each<[string, SizeState, number]>([
    ["no tasks, nothing waiting: at target", { size: 16, visible: 0, running: 0 }, 100],
    ["no tasks, work waiting: scale out from zero", { size: 16, visible: 3, running: 0 }, 400],
    ["one task keeping up", { size: 16, visible: 5, running: 1 }, 100 + (5 / 6) * 100],
    [
      "idle with spare tasks: over-provisioning penalty",
      { size: 16, visible: 0, inFlight: 4, running: 3 },
      50,
    ],
    ["one idle task: no penalty", { size: 16, visible: 0, running: 1 }, 100],
    ["large backlog: capped at 500", { size: 16, visible: 10_000, running: 2 }, 500],
    ["busy fleet", { size: 16, visible: 50, inFlight: 40, running: 4 }, 100 + (50 / 21) * 100],
  ])("%s", async (_name, state, metric) => {
    const { publisher, mocks } = publisherFor([state]);
    await publisher.tick(AT);
    const [put] = sentData(mocks);
    const dimensions = [{ Name: "IconSize", Value: "size16" }];
    const datum = (MetricName: string, Value: number, Unit: string) => ({
      MetricName,
      Dimensions: dimensions,
      Timestamp: AT,
      Value,
      Unit,
      StorageResolution: 1,
    });
    expect(put?.Namespace).toBe("Service/ImageResize");
    expect(put?.MetricData).toEqual([
      { ...datum("EcsTargetMetric", metric, "None"), Value: expect.closeTo(metric, 10) },
      datum("BacklogVisible", state.visible, "Count"),
      datum("BacklogInFlight", state.inFlight ?? 0, "Count"),
      datum("RunningTasks", state.running, "Count"),
      datum("DesiredTasks", state.desired ?? state.running, "Count"),
    ]);
  });

  it("publishes the tasks ECS was asked for beside those running, so scaling from zero sees tasks still starting", async () => {
    const { publisher, mocks } = publisherFor([{ size: 16, visible: 40, running: 0, desired: 3 }]);
    await publisher.tick(AT);
    const values = Object.fromEntries(
      (sentData(mocks)[0]?.MetricData ?? []).map((datum) => [datum.MetricName, datum.Value]),
    );
    expect(values).toMatchObject({ RunningTasks: 0, DesiredTasks: 3 });
  });

  it("reads 12 sizes with 12 GetQueueAttributes, 2 DescribeServices and publishes in 1 PutMetricData", async () => {
    const states = [8, 12, 16, 20, 24, 32, 40, 48, 64, 96, 128, 256].map((size) => ({
      size,
      visible: size,
      running: 1,
    }));
    const { publisher, mocks } = publisherFor(states);
    const summary = await publisher.tick(AT);
    expect(mocks.sqs.commandCalls(GetQueueAttributesCommand)).toHaveLength(12);
    const describeCalls = mocks.ecs
      .commandCalls(DescribeServicesCommand)
      .map((call) => call.args[0].input.services?.length);
    expect(describeCalls).toEqual([10, 2]);
    expect(sentData(mocks)).toHaveLength(1);
    expect(sentData(mocks)[0]?.MetricData).toHaveLength(60);
    expect(summary.apiCalls).toEqual({ getQueueAttributes: 12, describeServices: 2, putMetricData: 1 });
  });

  it("splits PutMetricData only past 1,000 datums", async () => {
    const states = Array.from({ length: 201 }, (_, index) => ({ size: index + 1, visible: 0, running: 1 }));
    const { publisher, mocks } = publisherFor(states);
    await publisher.tick(AT);
    expect(sentData(mocks).map((put) => put.MetricData?.length)).toEqual([1000, 5]);
  });

  it("publishes nothing for a size whose queue cannot be read, and everything for the others", async () => {
    const { publisher, mocks, targets } = publisherFor([
      { size: 16, visible: 1, running: 1 },
      { size: 32, visible: 2, running: 1 },
      { size: 64, visible: 3, running: 1 },
    ]);
    mocks.sqs
      .on(GetQueueAttributesCommand, { QueueUrl: targets[1]?.queueUrl })
      .rejects(Object.assign(new Error("Access to the resource is denied."), { name: "AccessDenied" }));
    const summary = await publisher.tick(AT);
    const published = new Set(sentData(mocks)[0]?.MetricData?.map((d) => d.Dimensions?.[0]?.Value));
    expect([...published]).toEqual(["size16", "size64"]);
    expect(summary.skipped).toEqual({ 32: "queue: AccessDenied: Access to the resource is denied." });
  });

  it("skips a size whose service ECS reports as a failure or not active", async () => {
    const { publisher, mocks, targets } = publisherFor([
      { size: 16, visible: 1, running: 1 },
      { size: 32, visible: 1, running: 1 },
      { size: 64, visible: 1, running: 1 },
    ]);
    const [service16, service32, service64] = targets.map((target) => target.serviceName);
    mocks.ecs.on(DescribeServicesCommand).resolves({
      services: [
        { serviceName: service16, status: "ACTIVE", runningCount: 2, desiredCount: 2 },
        { serviceName: service32, status: "DRAINING", runningCount: 0 },
      ],
      failures: [
        { arn: `arn:aws:ecs:eu-west-1:222222222222:service/${CLUSTER}/${service64}`, reason: "MISSING" },
      ],
    });
    const summary = await publisher.tick(AT);
    expect(Object.keys(summary.sizes)).toEqual(["16"]);
    expect(summary.skipped).toEqual({
      32: "service: service is DRAINING",
      64: "service: DescribeServices: MISSING",
    });
  });

  it("publishes nothing for a size whose queue answers without a count, never NaN", async () => {
    const { publisher, mocks, targets } = publisherFor([
      { size: 16, visible: 1, running: 1 },
      { size: 32, visible: 1, running: 1 },
    ]);
    mocks.sqs.on(GetQueueAttributesCommand, { QueueUrl: targets[0]?.queueUrl }).resolves({ Attributes: {} });
    const summary = await publisher.tick(AT);
    expect(summary.skipped[16]).toMatch(/ApproximateNumberOfMessages is missing/);
    const sent = sentData(mocks).flatMap((put) => put.MetricData ?? []);
    expect(sent.map((datum) => datum.Dimensions?.[0]?.Value)).toEqual(Array(5).fill("size32"));
    expect(sent.every((datum) => Number.isFinite(datum.Value))).toBe(true);
  });

  it("sends no PutMetricData when every size failed", async () => {
    const { publisher, mocks } = publisherFor([{ size: 16, visible: 1, running: 1 }]);
    mocks.ecs.on(DescribeServicesCommand).rejects(new Error("timeout"));
    const summary = await publisher.tick(AT);
    expect(sentData(mocks)).toEqual([]);
    expect(summary.apiCalls.putMetricData).toBe(0);
  });

  it("reports a refused PutMetricData without throwing", async () => {
    const { publisher, mocks } = publisherFor([{ size: 16, visible: 1, running: 1 }]);
    mocks.cloudWatch
      .on(PutMetricDataCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "Throttling" }));
    const summary = await publisher.tick(AT);
    expect(summary.publishFailure).toBe("Throttling: Rate exceeded");
  });
});

describe("calls that hang", () => {
  it("are aborted by the call budget, so the tick ends and the size is skipped", async () => {
    // A real SQS client whose transport never answers: only the abort signal can end the call.
    const reasons: unknown[] = [];
    const hanging = new SQSClient({
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      requestHandler: {
        handle: (_request: unknown, options?: { abortSignal?: AbortSignal }) =>
          new Promise((_resolve, reject) =>
            options?.abortSignal?.addEventListener("abort", () => {
              reasons.push(options.abortSignal?.reason);
              reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
            }),
          ),
      },
    });
    const { clients, mocks } = mockCluster([{ size: 16, visible: 1, running: 1 }]);
    mocks.sqs.restore();
    const publisher = new MetricPublisher({
      clients: { ...clients, sqs: hanging },
      clusterName: CLUSTER,
      targets: targetsFor([16]),
      namespace: METRIC_NAMESPACE,
      acceptableMessagesPerTask: 5,
      callTimeoutMs: 100,
    });
    const summary = await publisher.tick(AT);
    expect(summary.skipped[16]).toMatch(/^queue: AbortError/);
    // What ended the call was the budget's timeout, not something else aborting it.
    expect(reasons).toEqual([expect.objectContaining({ name: "TimeoutError" })]);
  });
});

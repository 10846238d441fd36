import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { localMode } from "./local-mode.js";
import { MetricPublisher } from "./publisher.js";
import { mockCluster } from "./test-clients.js";

const AT = new Date("2026-11-21T10:00:10.000Z");

describe("the publisher on a local stack (LOCAL_STACK_FILE)", () => {
  let dir: string;
  let stackFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "publisher-local-"));
    stackFile = join(dir, "stack.json");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeStack(cluster: ReturnType<typeof mockCluster>, running: Record<string, number>) {
    const queueUrl = cluster.targets[0]?.queueUrl ?? "";
    const state = {
      stack: "dev",
      endpoint: "http://127.0.0.1:4566",
      region: "eu-west-1",
      outputs: {
        bucketName: "b",
        accessPointArn: "b",
        accessPointAlias: "b",
        operatorRoleArn: "arn:aws:iam::000000000000:role/o",
        topicArn: "arn:aws:sns:eu-west-1:000000000000:t",
        undeliveredQueueUrl: queueUrl,
        sizes: cluster.targets.map((t) => ({
          size: t.size,
          queueUrl: t.queueUrl,
          deadLetterQueueUrl: t.queueUrl,
          serviceName: t.serviceName,
        })),
        keyLayout: { inputPrefix: "icons/", outputPrefix: "icons-size-" },
        clusterName: "c",
        alarmTopicArn: "arn:aws:sns:eu-west-1:000000000000:a",
        maxSourceBytes: 1024,
      },
      services: Object.fromEntries(
        Object.entries(running).map(([name, count]) => [name, { running: count, desired: count }]),
      ),
      notEmulated: [],
    };
    writeFileSync(stackFile, JSON.stringify(state));
  }

  function localPublisher(cluster: ReturnType<typeof mockCluster>) {
    return new MetricPublisher({
      clients: cluster.clients,
      clusterName: "c",
      targets: cluster.targets,
      namespace: "Service/ImageResize",
      acceptableMessagesPerTask: 5,
      callTimeoutMs: 6_000,
      local: localMode(stackFile),
    });
  }

  it("counts the local stack's processes as tasks and writes the metric beside its file instead of calling ECS or CloudWatch", async () => {
    const cluster = mockCluster([
      { size: 16, visible: 12, running: 99 },
      { size: 32, visible: 0, running: 99 },
    ]);
    const [size16, size32] = cluster.targets;
    writeStack(cluster, { [size16?.serviceName ?? ""]: 2, [size32?.serviceName ?? ""]: 1 });
    const publisher = localPublisher(cluster);

    const summary = await publisher.tick(AT);

    expect(cluster.mocks.ecs.commandCalls(DescribeServicesCommand)).toHaveLength(0);
    expect(cluster.mocks.cloudWatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(summary.apiCalls).toEqual({ getQueueAttributes: 2, describeServices: 0, putMetricData: 0 });
    expect(JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8"))).toEqual({
      at: AT.toISOString(),
      sizes: {
        "16": {
          visible: 12,
          inFlight: 0,
          running: 2,
          desired: 2,
          metric: expect.closeTo(100 + (12 / 11) * 100, 9),
        },
        "32": { visible: 0, inFlight: 0, running: 1, desired: 1, metric: 100 },
      },
    });
  });

  it("skips a size the local stack does not run, and still records the others", async () => {
    const cluster = mockCluster([
      { size: 16, visible: 0, running: 0 },
      { size: 32, visible: 0, running: 0 },
    ]);
    writeStack(cluster, { [cluster.targets[0]?.serviceName ?? ""]: 1 });
    const publisher = localPublisher(cluster);
    const summary = await publisher.tick(AT);
    expect(Object.keys(summary.sizes)).toEqual(["16"]);
    expect(summary.skipped["32"]).toMatch(/^service: no service .* in .*stack\.json$/);
  });
});

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { outputKey } from "@icon-fanout/config";
import { SOURCE_METADATA } from "@icon-fanout/config/output-metadata";
import { RESULT_ATTRIBUTES, type ResultEvent } from "@icon-fanout/events";
import { parseResultEvent } from "@icon-fanout/events/results-schema";
import { loadIcons } from "@icon-fanout/test-icons";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningLocalStack, startLocalStack } from "./local-stack.js";
import { emulatorClients } from "./provision.js";

const run = promisify(execFile);
const REPO_ROOT = new URL("../../../", import.meta.url).pathname;

/** The results topic as the local stack provisions it from synth, with the real resizers publishing to it. */
describe("the results topic on the emulator", { timeout: 120_000 }, () => {
  let scratch: string;
  let local: RunningLocalStack;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "results-topic-"));
    const synthFile = join(scratch, "dev.json");
    await run(process.execPath, ["infra/dist/synth/cli.js", "dev", "--json", synthFile, "--quiet"], {
      cwd: REPO_ROOT,
    });
    local = await startLocalStack({
      synthFile,
      stateDir: join(scratch, "state"),
      repoRoot: REPO_ROOT,
      workersPerSize: 1,
    });
  }, 120_000);

  afterAll(async () => {
    await local?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("delivers a rendered event per size, with the upload id, to a queue subscribed after a real upload", async () => {
    const { s3, sns, sqs } = emulatorClients(local.emulator.endpoint, local.plan.region);
    const topicArn = local.state.outputs.resultsTopicArn ?? "";
    expect(topicArn).toMatch(/:icon-fanout-dev-results$/);
    const { QueueUrl: queueUrl = "" } = await sqs.send(
      new CreateQueueCommand({ QueueName: "results-listener" }),
    );
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: "sqs",
        Endpoint: Attributes.QueueArn,
        Attributes: { RawMessageDelivery: "true" },
      }),
    );

    const key = "icons/brand/results.png";
    const icon = loadIcons()[0]?.bytes ?? Buffer.alloc(0);
    await s3.send(
      new PutObjectCommand({
        Bucket: local.plan.bucket,
        Key: key,
        Body: icon,
        Metadata: { [SOURCE_METADATA.uploadId]: "upload-1" },
      }),
    );

    const sizes = local.state.outputs.sizes.map((entry) => entry.size);
    const events: { event: ResultEvent; attributes: Record<string, string | undefined> }[] = [];
    const deadline = Date.now() + 60_000;
    while (events.length < sizes.length && Date.now() < deadline) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: 1,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ["All"],
        }),
      );
      for (const message of Messages) {
        const parsed = parseResultEvent(message.Body ?? "");
        if (parsed.kind === "invalid")
          throw new Error(`not a results event: ${parsed.reason}: ${message.Body}`);
        const attributes = Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
        );
        events.push({ event: parsed.event, attributes });
      }
    }

    expect(events.map(({ event }) => event.size).sort((a, b) => a - b)).toEqual(sizes);
    for (const { event, attributes } of events) {
      expect(event).toMatchObject({
        outcome: "rendered",
        stack: "dev",
        bucket: local.plan.bucket,
        sourceKey: key,
        outputKey: outputKey(key, event.size),
        uploadId: "upload-1",
        receiveCount: 1,
      });
      const output = await s3.send(
        new HeadObjectCommand({ Bucket: local.plan.bucket, Key: outputKey(key, event.size) }),
      );
      expect(event.outcome === "rendered" && event.outputEtag).toBe(output.ETag?.replaceAll('"', ""));
      expect(attributes).toEqual({
        [RESULT_ATTRIBUTES.size]: String(event.size),
        [RESULT_ATTRIBUTES.outcome]: "rendered",
        [RESULT_ATTRIBUTES.sourceKey]: key,
        [RESULT_ATTRIBUTES.uploadId]: "upload-1",
      });
    }
  });
});

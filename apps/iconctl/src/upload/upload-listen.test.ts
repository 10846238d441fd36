import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  ListSubscriptionsByTopicCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { LISTENER_QUEUE_TAG, OUTPUT_METADATA, SOURCE_METADATA } from "@icon-fanout/config";
import type { ResultEvent } from "@icon-fanout/events";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type UploadOptions, uploadCommand } from "../commands.js";
import { contextWith, OUTPUTS, renderedEvent, terminal } from "../test-fixtures.js";

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const sns = mockClient(SNSClient);
const RESULTS_TOPIC = "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-results";
const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-listen-0a1b2c3d4e5f";
const SUBSCRIPTION = `${RESULTS_TOPIC}:5e6f`;
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "iconctl-listen-"));
  writeFileSync(join(dir, "a.png"), PNG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  s3.on(HeadObjectCommand).rejects(
    Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } }),
  );
  s3.on(PutObjectCommand).resolves({});
  sqs.on(ListQueuesCommand).resolves({ QueueUrls: [] });
  sqs.on(CreateQueueCommand).resolves({ QueueUrl: QUEUE_URL });
  sqs.on(DeleteQueueCommand).resolves({});
  sqs.on(DeleteMessageBatchCommand).resolves({});
  sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [] });
  sns.on(SubscribeCommand).resolves({ SubscriptionArn: SUBSCRIPTION });
  sns.on(UnsubscribeCommand).resolves({});
});
afterEach(() => {
  for (const mock of [s3, sqs, sns]) mock.reset();
});

const denied = (name: string) =>
  Object.assign(new Error("not authorized"), { name, $fault: "client", $metadata: { httpStatusCode: 403 } });
const options = (extra: Partial<UploadOptions> = {}): UploadOptions => ({
  wait: true,
  timeoutSeconds: 5,
  concurrency: 1,
  pollSeconds: 1,
  ...extra,
});
const withTopic = (out = terminal(false)) => {
  const context = contextWith(out, dir);
  context.outputs = { ...OUTPUTS, resultsTopicArn: RESULTS_TOPIC };
  return { context, out };
};
/** The upload id iconctl put in the source's metadata. */
const uploadIdSent = () =>
  s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Metadata?.[SOURCE_METADATA.uploadId] ?? "";
const rendered = renderedEvent;
const removedOnce = () => {
  expect(sns.commandCalls(UnsubscribeCommand).map((call) => call.args[0].input.SubscriptionArn)).toEqual([
    SUBSCRIPTION,
  ]);
  expect(sqs.commandCalls(DeleteQueueCommand).map((call) => call.args[0].input.QueueUrl)).toEqual([
    QUEUE_URL,
  ]);
};

describe("upload --wait through a temporary subscription", () => {
  it("subscribes a tagged queue with a filter on this run's upload id before uploading, prints each outcome, and removes queue and subscription", async () => {
    sqs.on(ReceiveMessageCommand).callsFake(() => {
      const id = uploadIdSent();
      return {
        Messages: [16, 32].map((size) => ({
          Body: JSON.stringify(rendered(size, id)),
          ReceiptHandle: `r${size}`,
        })),
      };
    });
    const { context, out } = withTopic();
    expect(await uploadCommand(context, ["a.png"], options())).toBe(0);
    const id = uploadIdSent();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const create = sqs.commandCalls(CreateQueueCommand)[0]?.args[0].input;
    expect(create?.QueueName).toMatch(/^icon-fanout-prod-listen-[0-9a-f]{12}$/);
    expect(Object.keys(create?.tags ?? {})).toEqual([LISTENER_QUEUE_TAG]);
    const policy = JSON.parse(create?.Attributes?.Policy ?? "{}");
    expect(policy.Statement.map((statement: { Condition: unknown }) => statement.Condition)).toEqual([
      { Bool: { "aws:SecureTransport": "false" } },
      { ArnEquals: { "aws:SourceArn": RESULTS_TOPIC } },
    ]);
    const subscribe = sns.commandCalls(SubscribeCommand)[0]?.args[0].input;
    expect(subscribe?.Attributes).toMatchObject({
      RawMessageDelivery: "true",
      FilterPolicy: JSON.stringify({ "upload-id": [id] }),
    });
    expect(out.text()).toMatch(/^rendered icons\/a\.png size 16: 16×16 icons-size-16\/a\.png \(\d/m);
    expect(out.text()).toMatch(/^rendered icons\/a\.png size 32: 32×32 icons-size-32\/a\.png \(\d/m);
    expect(out.text()).toContain("2 rendered\n");
    removedOnce();
  });

  it("ignores another run's event for the same source (SNS may still be applying the filter policy)", async () => {
    let receives = 0;
    sqs.on(ReceiveMessageCommand).callsFake(() => {
      receives += 1;
      const id = receives === 1 ? "another-run" : uploadIdSent();
      return {
        Messages: [16, 32].map((size) => ({ Body: JSON.stringify(rendered(size, id)), ReceiptHandle: "r" })),
      };
    });
    const { context, out } = withTopic();
    expect(await uploadCommand(context, ["a.png"], options())).toBe(0);
    expect(receives).toBe(2);
    expect(out.text().match(/^rendered /gm)).toHaveLength(2);
  });

  it("falls back to polling the outputs, with a one-line note, when creating the queue is denied", async () => {
    sqs.on(CreateQueueCommand).rejects(denied("AccessDenied"));
    s3.on(GetObjectCommand).callsFake(async (input: { Key: string }) => {
      const size = Number(/size-(\d+)/.exec(input.Key)?.[1]);
      const header = Buffer.from(PNG);
      header.writeUInt32BE(size, 16);
      header.writeUInt32BE(size, 20);
      const md5 = s3.commandCalls(PutObjectCommand)[0]?.args[0].input.ContentMD5 ?? "";
      return {
        Metadata: { [OUTPUT_METADATA.sourceEtag]: Buffer.from(md5, "base64").toString("hex") },
        Body: sdkStreamMixin(Readable.from([header])),
      };
    });
    const { context, out } = withTopic();
    expect(await uploadCommand(context, ["a.png"], options())).toBe(0);
    expect(out.text()).toContain(
      "cannot subscribe to the results topic (AccessDenied: not authorized): waiting by polling the outputs instead\n",
    );
    expect(out.text()).toMatch(/icons-size-32\/a\.png\s+32×32/);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it("deletes the queue it made when the subscription is denied, then polls", async () => {
    sns.on(SubscribeCommand).rejects(denied("AuthorizationErrorException"));
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } }),
    );
    const { context, out } = withTopic();
    expect(await uploadCommand(context, ["a.png"], options({ timeoutSeconds: 1 }))).toBe(1);
    expect(sqs.commandCalls(DeleteQueueCommand).map((call) => call.args[0].input.QueueUrl)).toEqual([
      QUEUE_URL,
    ]);
    expect(out.text()).toContain("waiting by polling the outputs instead\n");
  });

  it("removes queue and subscription when receiving fails, and on Ctrl-C", async () => {
    sqs.on(ReceiveMessageCommand).rejects(Object.assign(new Error("boom"), { name: "InternalError" }));
    await expect(uploadCommand(withTopic().context, ["a.png"], options())).rejects.toThrow("boom");
    removedOnce();

    sqs.resetHistory();
    sns.resetHistory();
    const interrupt = new AbortController();
    sqs.on(ReceiveMessageCommand).callsFake(async () => {
      interrupt.abort();
      return { Messages: [] };
    });
    const { context, out } = withTopic();
    expect(await uploadCommand(context, ["a.png"], options({ signal: interrupt.signal }))).toBe(1);
    expect(out.text()).toContain("interrupted: stopped waiting\n");
    expect(out.text()).not.toContain("timed out");
    removedOnce();
  });

  it("reports a refusal with its code and message and fails, and names the twin that keeps the output", async () => {
    sqs.on(ReceiveMessageCommand).callsFake(() => {
      const id = uploadIdSent();
      const base = rendered(16, id);
      const { sourceEtag, outputEtag, bytes, width, height, ...common } = base;
      const events: ResultEvent[] = [
        { ...common, outcome: "refused", reason: { code: "truncated", message: "the PNG data ends early" } },
        {
          ...common,
          size: 32,
          outputKey: "icons-size-32/a.png",
          outcome: "kept-by-twin",
          ownerSourceKey: "icons/a.png.png",
        },
      ];
      return { Messages: events.map((event) => ({ Body: JSON.stringify(event), ReceiptHandle: "r" })) };
    });
    const { context, out } = withTopic();
    expect(await uploadCommand(context, ["a.png"], options())).toBe(1);
    expect(out.text()).toMatch(/^refused icons\/a\.png size 16: truncated: the PNG data ends early \(/m);
    expect(out.text()).toMatch(
      /^kept-by-twin icons\/a\.png size 32: icons-size-32\/a\.png belongs to icons\/a\.png\.png \(twin rule\)/m,
    );
  });
});

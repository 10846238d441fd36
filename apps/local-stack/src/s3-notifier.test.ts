import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { type NotificationObject, parseNotification } from "@icon-fanout/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { emulatorClients } from "./provision.js";
import { matches, S3Notifier } from "./s3-notifier.js";

describe("which changes a topic configuration takes", () => {
  const topic = {
    id: "t",
    topicArn: "arn",
    events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"],
    filterPrefix: "icons/",
    filterSuffix: ".png",
  };
  it.each([
    ["ObjectCreated:Put", "icons/a.png", true],
    ["ObjectCreated:Copy", "icons/a.png", true],
    ["ObjectRemoved:Delete", "icons/a.png", true],
    ["ObjectRemoved:DeleteMarkerCreated", "icons/a.png", false],
    ["ObjectCreated:Put", "icons-size-16/a.png", false],
    ["ObjectCreated:Put", "icons/a.svg", false],
  ])("%s of %s: %s", (eventName, key, taken) => {
    expect(matches(topic, { eventName, key })).toBe(taken);
  });
});

describe("S3Notifier on the emulator", () => {
  let emulator: Emulator;
  let clients: ReturnType<typeof emulatorClients>;
  let queueUrl: string;
  let notifier: S3Notifier;
  const bucket = "notifier-test";

  beforeAll(async () => {
    emulator = await startEmulator({ region: "eu-west-1" });
    clients = emulatorClients(emulator.endpoint, "eu-west-1");
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { TopicArn = "" } = await clients.sns.send(new CreateTopicCommand({ Name: "uploads" }));
    ({ QueueUrl: queueUrl = "" } = await clients.sqs.send(new CreateQueueCommand({ QueueName: "size16" })));
    const { Attributes = {} } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
    );
    await clients.sns.send(
      new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn }),
    );
    notifier = new S3Notifier(
      clients.sns,
      bucket,
      "eu-west-1",
      [
        {
          id: "icon-uploads",
          topicArn: TopicArn,
          events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
          filterPrefix: "icons/",
        },
      ],
      () => {},
    );
    emulator.onObjectChange((change) => notifier.notify(change));
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  async function delivered(): Promise<{ bodies: string[]; objects: NotificationObject[] }> {
    await notifier.flush();
    const bodies: string[] = [];
    for (let round = 0; round < 20; round += 1) {
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) break;
      bodies.push(...Messages.map((message) => message.Body ?? ""));
    }
    const objects = bodies.flatMap((body) => {
      const parsed = parseNotification(body);
      return parsed.kind === "objects" ? parsed.objects : [];
    });
    return { bodies, objects };
  }

  it("sends S3's test event first, which the resizer's parser ignores", async () => {
    await notifier.sendTestEvents();
    const { bodies } = await delivered();
    expect(bodies.map((body) => parseNotification(body))).toEqual([
      { kind: "ignored", reason: "s3:TestEvent" },
    ]);
  });

  it("announces puts, copies, multipart uploads and batch deletes under the prefix, in order, with sizes and ETags", async () => {
    const s3 = clients.s3;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "icons/a b+c/ü.png", Body: "12345" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "elsewhere/x.png", Body: "x" }));
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "icons/copy.png",
        CopySource: `${bucket}/elsewhere/x.png`,
      }),
    );
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: "icons/big.png" }),
    );
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: "icons/big.png", UploadId, PartNumber: 1, Body: "part" }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "icons/big.png",
        UploadId,
        MultipartUpload: { Parts: [{ ETag, PartNumber: 1 }] },
      }),
    );
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: "icons/a b+c/ü.png" }, { Key: "icons/copy.png" }] },
      }),
    );

    const { bodies, objects } = await delivered();
    expect(objects.map(({ key, eventName, size }) => ({ key, eventName, size }))).toEqual([
      { key: "icons/a b+c/ü.png", eventName: "ObjectCreated:Put", size: 5 },
      { key: "icons/copy.png", eventName: "ObjectCreated:Copy", size: 1 },
      { key: "icons/big.png", eventName: "ObjectCreated:CompleteMultipartUpload", size: 4 },
      { key: "icons/a b+c/ü.png", eventName: "ObjectRemoved:Delete", size: undefined },
      { key: "icons/copy.png", eventName: "ObjectRemoved:Delete", size: undefined },
    ]);
    const sequencers = objects.map((object) => object.sequencer ?? "");
    expect([...sequencers].sort()).toEqual(sequencers);
    const [first] = bodies.map(
      (body) => JSON.parse(body) as { Type: string; Subject: string; Message: string },
    );
    expect(first).toMatchObject({ Type: "Notification", Subject: "Amazon S3 Notification" });
    expect(JSON.parse(first?.Message ?? "{}").Records[0]).toMatchObject({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "eu-west-1",
      s3: {
        configurationId: "icon-uploads",
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: "icons/a+b%2Bc/%C3%BC.png", size: 5, eTag: "827ccb0eea8a706c4c34a16891f84e7b" },
      },
    });
  });
});

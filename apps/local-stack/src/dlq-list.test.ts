import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import {
  DEFAULT_KEY_LAYOUT,
  deadLetterAttributes,
  deadLetterQueueName,
  type LocalStack,
  resizerServiceName,
  sizeQueueName,
  stackPrefix,
} from "@icon-fanout/config";
import { objectCreatedEvent } from "@icon-fanout/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { emulatorClients } from "./provision.js";

const run = promisify(execFile);
const REGION = "eu-west-1";
const ACCOUNT = "000000000000";
const ICONCTL = new URL("../../iconctl/dist/main.js", import.meta.url).pathname;
const MAX_RECEIVE_COUNT = 3;
const dev = stackPrefix("dev");
const event = (key: string) =>
  objectCreatedEvent({ bucket: "b", key, size: 10, eTag: "e" }, { region: REGION, configurationId: "test" });

/** `iconctl dlq list` against SQS as the emulator implements it: receives, counts and the redrive policy. */
describe("iconctl dlq list on the emulator", { timeout: 60_000 }, () => {
  let emulator: Emulator;
  let sqs: ReturnType<typeof emulatorClients>["sqs"];
  let scratch: string;
  let stackFile: string;
  const queue = { url: "", dlq: "" };

  beforeAll(async () => {
    emulator = await startEmulator({ region: REGION });
    ({ sqs } = emulatorClients(emulator.endpoint, REGION));
    const create = async (name: string, attributes: Record<string, string> = {}) =>
      (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? "";
    queue.dlq = await create(deadLetterQueueName(sizeQueueName(dev, 16)));
    queue.url = await create(sizeQueueName(dev, 16), {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${deadLetterQueueName(sizeQueueName(dev, 16))}`,
        maxReceiveCount: MAX_RECEIVE_COUNT,
      }),
    });
    scratch = mkdtempSync(join(tmpdir(), "dlq-list-"));
    stackFile = join(scratch, "stack.json");
    const local: LocalStack = {
      stack: "dev",
      endpoint: emulator.endpoint,
      region: REGION,
      outputs: {
        bucketName: "b",
        accessPointArn: `arn:aws:s3:${REGION}:${ACCOUNT}:accesspoint/${dev}-designers`,
        accessPointAlias: "b",
        operatorRoleArn: `arn:aws:iam::${ACCOUNT}:role/${dev}-operators`,
        topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${dev}-uploads`,
        undeliveredQueueUrl: queue.dlq,
        maxSourceBytes: 10 * 1024 ** 2,
        sizes: [
          {
            size: 16,
            queueUrl: queue.url,
            deadLetterQueueUrl: queue.dlq,
            serviceName: resizerServiceName(dev, 16),
          },
        ],
        keyLayout: { ...DEFAULT_KEY_LAYOUT },
        clusterName: dev,
        alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${dev}-alarms`,
      },
      services: {},
      notEmulated: [],
    };
    writeFileSync(stackFile, JSON.stringify(local));
  });
  afterAll(async () => {
    await emulator?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const list = async () =>
    (
      await run(process.execPath, [
        ICONCTL,
        "dlq",
        "list",
        "--size",
        "16",
        "--stack",
        "dev",
        "--local",
        stackFile,
      ])
    ).stdout;
  /** Each message's ApproximateReceiveCount, read by one more receive that hides nothing. */
  const receiveCounts = async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.dlq,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    return new Map(
      Messages.map((m: Message) => [m.MessageId, Number(m.Attributes?.ApproximateReceiveCount)]),
    );
  };

  it("receives each dead letter once per listing, releases it at once, and shows its count at dead-letter time", async () => {
    // As the worker moves a refused source: a new message with the refusal and its receive count.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.dlq,
        MessageBody: event("icons/cut.png"),
        MessageAttributes: deadLetterAttributes({
          reason: "truncated: the PNG data ends early",
          code: "truncated",
          detail: "vipspng: libpng read error",
          receiveCount: 1,
          sourceMessageId: "m-1",
        }),
      }),
    );
    // As SQS's redrive policy moves a message that failed maxReceiveCount times: the next receive moves it.
    const { MessageId: slow } = await sqs.send(
      new SendMessageCommand({ QueueUrl: queue.url, MessageBody: event("icons/slow.png") }),
    );
    for (let receive = 0; receive <= MAX_RECEIVE_COUNT; receive += 1)
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, VisibilityTimeout: 0 }));

    const before = await receiveCounts();
    expect(before.size).toBe(2);
    // SQS's count runs on across queues (the emulator counts the receive that moved it too), and
    // every receive in the dead-letter queue adds to it: it cannot say how often the worker tried.
    expect(before.get(slow)).toBe(MAX_RECEIVE_COUNT + 2);
    const listings = [await list(), await list(), await list()];
    const after = await receiveCounts();

    expect([...after].map(([id, count]) => count - (before.get(id) ?? Number.NaN))).toEqual([4, 4]);
    // The same rows every time; only the age column moves on (and its width, 9 s to 10 s, shifts the padding).
    const rows = listings.map((listing) => listing.replace(/\d+ s\b/g, "AGE").replace(/ +/g, " "));
    expect(new Set(rows).size).toBe(1);
    expect(listings[0]).toMatch(
      /^icons\/cut\.png\s+truncated\s+the PNG data ends early\s+1\s+\d+ s\s+vipspng: libpng read error$/m,
    );
    expect(listings[0]).toMatch(
      new RegExp(
        `^icons/slow\\.png\\s+max-receives\\s+SQS moved it after maxReceiveCount receives \\(transient failures\\)\\s+${MAX_RECEIVE_COUNT}\\s+\\d+ s$`,
        "m",
      ),
    );
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.dlq, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    expect(Attributes.ApproximateNumberOfMessages).toBe("2");
  });
});

/**
 * fauxqs 2.4.1 applies SNS subscription filter policies itself (src: dist/sns/filter.js, called by
 * its Publish for every sqs subscription), so the local stack adds nothing of its own: these tests
 * hold it to SNS's documented semantics for the policies iconctl and downstream consumers use
 * (MessageAttributes scope), with results events and their real attributes.
 */
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { type ResultEvent, resultAttributes } from "@icon-fanout/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { emulatorClients } from "./provision.js";

const REGION = "eu-west-1";

const event = (sourceKey: string, size: number, outcome: "rendered" | "refused", uploadId?: string) =>
  ({
    schemaVersion: 1,
    stack: "dev",
    size,
    bucket: "b",
    sourceKey,
    outputKey: `icons-size-${size}/${sourceKey.slice("icons/".length)}`,
    renderVersion: 1,
    messageId: `m-${sourceKey}-${size}`,
    receiveCount: 1,
    time: "2026-12-05T03:00:00.000Z",
    ...(uploadId ? { uploadId } : {}),
    ...(outcome === "rendered"
      ? { outcome, sourceEtag: "e", outputEtag: "o", bytes: 10, width: size, height: size }
      : { outcome, reason: { code: "truncated", message: "the PNG data ends early" } }),
  }) as ResultEvent;

const EVENTS = [
  event("icons/brand/logo.png", 64, "rendered", "run-1"),
  event("icons/brand/logo.png", 16, "rendered", "run-1"),
  event("icons/team/a.png", 64, "refused", "run-2"),
  event("icons/brand-new/b.png", 64, "rendered"),
];
const label = (e: ResultEvent) => `${e.sourceKey} ${e.size} ${e.outcome}`;

describe("SNS filter policies on the emulator", { timeout: 30_000 }, () => {
  let emulator: Emulator;
  let clients: ReturnType<typeof emulatorClients>;
  const received = new Map<string, string[]>();
  // Each policy with the events SNS's documentation says it lets through.
  const POLICIES: [string, Record<string, unknown>, number[]][] = [
    // Exact string matching (sns/latest/dg/string-value-matching.html): one upload run's events.
    ["exact string", { "upload-id": ["run-1"] }, [0, 1]],
    // Numeric matching on a Number attribute (numeric-value-matching.html).
    ["numeric equals", { size: [{ numeric: ["=", 64] }] }, [0, 2, 3]],
    // Prefix matching (string-value-matching.html): "icons/brand/" does not take "icons/brand-new/".
    ["prefix", { "source-key": [{ prefix: "icons/brand/" }] }, [0, 1]],
    // AND across keys (and-or-logic.html): the README's consumer, rendered size 64 under icons/brand/.
    [
      "AND across keys",
      { outcome: ["rendered"], size: [{ numeric: ["=", 64] }], "source-key": [{ prefix: "icons/brand/" }] },
      [0],
    ],
    // OR within a key's values (and-or-logic.html).
    ["OR within a key", { "upload-id": ["run-1", "run-2"] }, [0, 1, 2]],
    // anything-but (string-value-matching.html): the attribute must be there and differ.
    ["anything-but", { outcome: [{ "anything-but": ["rendered"] }] }, [2]],
    // Key matching (attribute-key-matching.html): exists true and false.
    ["exists", { "upload-id": [{ exists: true }] }, [0, 1, 2]],
    ["exists false", { "upload-id": [{ exists: false }] }, [3]],
  ];

  beforeAll(async () => {
    emulator = await startEmulator({ region: REGION });
    clients = emulatorClients(emulator.endpoint, REGION);
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: "icon-fanout-dev-results" }));
    const queues: [string, string][] = [];
    for (const [index, [name, policy]] of POLICIES.entries()) {
      const { QueueUrl = "" } = await clients.sqs.send(
        new CreateQueueCommand({ QueueName: `policy-${index}` }),
      );
      const { Attributes = {} } = await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
      );
      await clients.sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: "sqs",
          Endpoint: Attributes.QueueArn,
          Attributes: {
            RawMessageDelivery: "true",
            FilterPolicy: JSON.stringify(policy),
            FilterPolicyScope: "MessageAttributes",
          },
        }),
      );
      queues.push([name, QueueUrl]);
    }
    for (const e of EVENTS)
      await clients.sns.send(
        new PublishCommand({ TopicArn, Message: JSON.stringify(e), MessageAttributes: resultAttributes(e) }),
      );
    for (const [name, QueueUrl] of queues) {
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      received.set(name, Messages.map((m) => label(JSON.parse(m.Body ?? "{}") as ResultEvent)).sort());
    }
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it.each(POLICIES)("%s", (name, _policy, expected) => {
    expect(received.get(name)).toEqual(expected.map((index) => label(EVENTS[index] as ResultEvent)).sort());
  });
});

import { randomBytes } from "node:crypto";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { encodeEventKey } from "@icon-fanout/events";
import type { S3ObjectChange } from "./emulator.js";
import type { TopicNotification } from "./stack-plan.js";

/** S3 publishes to SNS with this subject. */
const SUBJECT = "Amazon S3 Notification";

/**
 * Delivers S3 event notifications the way S3 would for the bucket's notification configuration
 * (fauxqs accepts the configuration but sends nothing): each change whose event matches a
 * configuration's events and whose key matches its prefix and suffix filters is published to that
 * configuration's topic as one S3 event record, in the documented shape, key form-encoded. On
 * start each destination gets the `s3:TestEvent` S3 sends when a configuration is set.
 */
export class S3Notifier {
  private delivery: Promise<void> = Promise.resolve();
  private sequence = 0n;
  private failures = 0;

  constructor(
    private readonly sns: SNSClient,
    private readonly bucket: string,
    private readonly region: string,
    private readonly notifications: readonly TopicNotification[],
    private readonly log: (line: string) => void,
  ) {}

  /** Notifications that could not be published after retries (S3 itself may drop a few, too). */
  get failed(): number {
    return this.failures;
  }

  sendTestEvents(): Promise<void> {
    const now = new Date().toISOString();
    for (const topic of new Set(this.notifications.map((n) => n.topicArn))) {
      const event = {
        Service: "Amazon S3",
        Event: "s3:TestEvent",
        Time: now,
        Bucket: this.bucket,
        RequestId: requestId(),
        HostId: hostId(),
      };
      this.enqueue(topic, JSON.stringify(event));
    }
    return this.flush();
  }

  /** Call in the order S3 applied the changes; deliveries keep that order. */
  notify(change: S3ObjectChange): void {
    if (change.bucket !== this.bucket) return;
    this.sequence += 1n;
    const sequencer = this.sequence.toString(16).toUpperCase().padStart(16, "0");
    for (const topic of this.notifications) {
      if (!matches(topic, change)) continue;
      this.enqueue(
        topic.topicArn,
        JSON.stringify({ Records: [record(change, topic.id, this.region, sequencer)] }),
      );
    }
  }

  /** Resolves once everything notified so far has been published (or given up on). */
  flush(): Promise<void> {
    return this.delivery;
  }

  private enqueue(topicArn: string, message: string): void {
    this.delivery = this.delivery.then(() => this.publish(topicArn, message));
  }

  private async publish(topicArn: string, message: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.sns.send(new PublishCommand({ TopicArn: topicArn, Subject: SUBJECT, Message: message }));
        return;
      } catch (error) {
        if (attempt === 3) {
          this.failures += 1;
          this.log(`notification not delivered to ${topicArn}: ${(error as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}

/** `s3:ObjectCreated:*` matches `ObjectCreated:Put`; `s3:ObjectCreated:Put` only itself. */
export function matches(
  topic: TopicNotification,
  change: Pick<S3ObjectChange, "eventName" | "key">,
): boolean {
  const [category] = change.eventName.split(":");
  const eventMatches = topic.events.some(
    (event) => event === `s3:${change.eventName}` || event === `s3:${category}:*`,
  );
  return (
    eventMatches &&
    change.key.startsWith(topic.filterPrefix ?? "") &&
    change.key.endsWith(topic.filterSuffix ?? "")
  );
}

function record(change: S3ObjectChange, configurationId: string, region: string, sequencer: string) {
  const created = change.eventName.startsWith("ObjectCreated:");
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: region,
    eventTime: change.at.toISOString(),
    eventName: change.eventName,
    userIdentity: { principalId: "local-stack" },
    requestParameters: { sourceIPAddress: "127.0.0.1" },
    responseElements: { "x-amz-request-id": requestId(), "x-amz-id-2": hostId() },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId,
      bucket: {
        name: change.bucket,
        ownerIdentity: { principalId: "local-stack" },
        arn: `arn:aws:s3:::${change.bucket}`,
      },
      object: {
        key: encodeEventKey(change.key),
        ...(created ? { size: change.size, eTag: change.eTag } : {}),
        sequencer,
      },
    },
  };
}

const requestId = () => randomBytes(8).toString("hex").toUpperCase();
const hostId = () => randomBytes(24).toString("base64");

/**
 * A temporary subscription to the stack's results topic (docs/architecture.md, "Listening to
 * results"): a queue of its own, named under `listenerQueuePrefix` and tagged with its creation
 * time so that a later run can remove it if this process is killed, subscribed with raw delivery
 * and a filter policy, and removed again by `close()`.
 */
import { randomBytes } from "node:crypto";
import { type SNSClient, SubscribeCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { LISTENER_QUEUE_TAG } from "@icon-fanout/config";
import { type ResultEvent, resultDedupKey } from "@icon-fanout/events";
import { parseResultEvent } from "@icon-fanout/events/results-schema";
import type { FilterPolicy } from "./filter-policy.js";

export interface ListenerOptions {
  topicArn: string;
  /** `listenerQueuePrefix` of the stack. */
  queuePrefix: string;
  filterPolicy?: FilterPolicy;
  /**
   * The filter policy's choice made again on each event, before deduplication: SNS takes up to 15
   * minutes to apply a new subscription's policy fully (sns/latest/dg/sns-subscription-filter-policies.html).
   */
  accept?: (event: ResultEvent) => boolean;
  /** Long-poll seconds per receive (SQS allows 0 to 20). */
  waitSeconds?: number;
  now?: () => Date;
}

export interface Listener {
  readonly queueUrl: string;
  /**
   * The next events, each once (a redelivered event has the same dedup key and is dropped), and
   * bodies that are not results events, with why. Resolves empty when `signal` aborts.
   */
  receive(signal?: AbortSignal): Promise<{ events: ResultEvent[]; invalid: string[] }>;
  /** Unsubscribes and deletes the queue; safe to call more than once. */
  close(): Promise<void>;
}

/** Queue messages last an hour: long enough for any run, short enough that a leftover queue holds little. */
const RETENTION_SECONDS = 3600;

export async function openListener(
  clients: { sqs: SQSClient; sns: SNSClient },
  options: ListenerOptions,
): Promise<Listener> {
  const { sqs, sns } = clients;
  const [, , , region, account] = options.topicArn.split(":");
  const name = `${options.queuePrefix}${randomBytes(6).toString("hex")}`;
  const queueArn = `arn:aws:sqs:${region}:${account}:${name}`;
  const created = (options.now ?? (() => new Date()))();
  const { QueueUrl: queueUrl = "" } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      tags: { [LISTENER_QUEUE_TAG]: created.toISOString() },
      Attributes: {
        MessageRetentionPeriod: String(RETENTION_SECONDS),
        Policy: JSON.stringify(queuePolicy(queueArn, options.topicArn)),
      },
    }),
  );
  let subscriptionArn: string | undefined;
  const close = async () => {
    const subscription = subscriptionArn;
    subscriptionArn = undefined;
    // Both removals are tried even if one fails; a leftover queue is removed by a later run.
    const results = await Promise.allSettled([
      subscription ? sns.send(new UnsubscribeCommand({ SubscriptionArn: subscription })) : undefined,
      sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })),
    ]);
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  };
  try {
    ({ SubscriptionArn: subscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: options.topicArn,
        Protocol: "sqs",
        Endpoint: queueArn,
        ReturnSubscriptionArn: true,
        Attributes: {
          RawMessageDelivery: "true",
          ...(options.filterPolicy
            ? { FilterPolicy: JSON.stringify(options.filterPolicy), FilterPolicyScope: "MessageAttributes" }
            : {}),
        },
      }),
    ));
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }

  const seen = new Set<string>();
  let closed = false;
  return {
    queueUrl,
    async receive(signal) {
      if (closed || signal?.aborted) return { events: [], invalid: [] };
      let messages: { Body?: string; ReceiptHandle?: string }[];
      try {
        ({ Messages: messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: options.waitSeconds ?? 20,
          }),
          signal ? { abortSignal: signal } : {},
        ));
      } catch (error) {
        if (signal?.aborted) return { events: [], invalid: [] };
        throw error;
      }
      const events: ResultEvent[] = [];
      const invalid: string[] = [];
      for (const message of messages) {
        const parsed = parseResultEvent(message.Body ?? "");
        if (parsed.kind === "invalid") {
          invalid.push(parsed.reason);
          continue;
        }
        if (options.accept && !options.accept(parsed.event)) continue;
        const key = resultDedupKey(parsed.event);
        if (seen.has(key)) continue;
        seen.add(key);
        events.push(parsed.event);
      }
      const entries = messages.flatMap((message, index) =>
        message.ReceiptHandle ? [{ Id: String(index), ReceiptHandle: message.ReceiptHandle }] : [],
      );
      if (entries.length > 0)
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      return { events, invalid };
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

/** Only the results topic may send to the queue (`aws:SourceArn`), through SNS; nothing without TLS, as every queue of the stack. */
function queuePolicy(queueArn: string, topicArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "ResultsTopicOnly",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
      },
    ],
  };
}

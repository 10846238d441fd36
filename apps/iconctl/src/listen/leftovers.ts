/**
 * Listener queues a killed run left behind (docs/architecture.md, "Listening to results"): found
 * by their name prefix and creation-time tag, reported by `iconctl status`, removed with their
 * subscriptions by the next `upload --wait` or `watch` once they are older than any run could be.
 */
import { ListSubscriptionsByTopicCommand, type SNSClient, UnsubscribeCommand } from "@aws-sdk/client-sns";
import {
  DeleteQueueCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { LISTENER_QUEUE_TAG } from "@icon-fanout/config";
import { queueNameOf } from "../outputs.js";

/** No run listens this long (upload --wait's timeout is minutes); an older listener queue is left over. */
export const LEFTOVER_AFTER_MS = 60 * 60_000;

export interface ListenerQueue {
  url: string;
  name: string;
  createdAt: Date;
}

/** Every queue under `queuePrefix` that carries the listener tag, with the time in it. */
export async function listListenerQueues(sqs: SQSClient, queuePrefix: string): Promise<ListenerQueue[]> {
  const urls: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: queuePrefix, MaxResults: 1000, NextToken }),
    );
    urls.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const queues: ListenerQueue[] = [];
  for (const url of urls) {
    const { Tags = {} } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
    const createdAt = new Date(Tags[LISTENER_QUEUE_TAG] ?? "");
    // A queue without the tag is not one iconctl made: it is not ours to report or remove.
    if (!Number.isNaN(createdAt.getTime())) queues.push({ url, name: queueNameOf(url), createdAt });
  }
  return queues;
}

export function leftovers(queues: ListenerQueue[], now: Date): ListenerQueue[] {
  return queues.filter((queue) => now.getTime() - queue.createdAt.getTime() >= LEFTOVER_AFTER_MS);
}

/**
 * Removes leftover listener queues and their subscriptions to `topicArn`. Returns the names of the
 * queues removed. Only a subscription to a queue known to be old is touched: ListQueues may not yet
 * show a queue another run has just created, and its subscription must stay.
 */
export async function removeLeftovers(
  clients: { sqs: SQSClient; sns: SNSClient },
  options: { topicArn: string; queuePrefix: string; now: Date },
): Promise<string[]> {
  const queues = await listListenerQueues(clients.sqs, options.queuePrefix);
  const old = leftovers(queues, options.now);
  if (old.length === 0) return [];
  const oldNames = new Set(old.map((queue) => queue.name));
  let NextToken: string | undefined;
  const stale: string[] = [];
  do {
    const page = await clients.sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: options.topicArn, NextToken }),
    );
    for (const subscription of page.Subscriptions ?? []) {
      const queueName = subscription.Endpoint?.split(":").at(-1) ?? "";
      // A subscription still awaiting confirmation has no ARN to unsubscribe by.
      if (
        subscription.Protocol === "sqs" &&
        oldNames.has(queueName) &&
        subscription.SubscriptionArn?.startsWith("arn:")
      )
        stale.push(subscription.SubscriptionArn);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  for (const subscriptionArn of stale)
    await clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
  for (const queue of old) await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
  return old.map((queue) => queue.name);
}

/** `iconctl status`'s line about leftover listener queues, or why it cannot tell; nothing when there are none. */
export async function leftoverNotices(sqs: SQSClient, queuePrefix: string, now: Date): Promise<string[]> {
  try {
    const old = leftovers(await listListenerQueues(sqs, queuePrefix), now);
    if (old.length === 0) return [];
    const oldest = Math.min(...old.map((queue) => queue.createdAt.getTime()));
    return [
      `listeners: ${old.length} temporary queue(s) left by interrupted iconctl runs (${old.map((queue) => queue.name).join(", ")}; oldest created ${new Date(oldest).toISOString()}): the next 'iconctl upload --wait' or 'iconctl watch' removes them`,
    ];
  } catch (error) {
    const { name, message } = error as Error;
    return [`listeners: cannot tell whether interrupted runs left queues (${name}: ${message})`];
  }
}

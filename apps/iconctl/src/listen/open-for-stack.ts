/**
 * Opens a listener on a stack's results topic, first removing listener queues killed runs left
 * (best effort: without the right to list queues, they stay and `iconctl status` names them).
 */
import { listenerQueuePrefix, stackPrefix } from "@icon-fanout/config";
import type { ResultEvent } from "@icon-fanout/events";
import type { Context } from "../commands.js";
import { failureText } from "../failure-text.js";
import { isAccessDenied } from "./denied.js";
import type { FilterPolicy } from "./filter-policy.js";
import { removeLeftovers } from "./leftovers.js";
import { type Listener, openListener } from "./listener.js";

export type Opened = { listener: Listener } | { unavailable: string };

export async function openStackListener(
  context: Context,
  filter: { policy?: FilterPolicy; accept: (event: ResultEvent) => boolean },
  now = new Date(),
): Promise<Opened> {
  const topicArn = context.outputs.resultsTopicArn;
  if (!topicArn)
    return { unavailable: `stack ${context.stack} has no results topic (deployed before it had one)` };
  const queuePrefix = listenerQueuePrefix(stackPrefix(context.stack));
  const { sqs, sns } = context.clients;
  try {
    const removed = await removeLeftovers({ sqs, sns }, { topicArn, queuePrefix, now });
    if (removed.length > 0)
      context.out.write(`removed ${removed.length} listener queue(s) left by interrupted runs\n`);
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
  }
  try {
    return {
      listener: await openListener(
        { sqs, sns },
        {
          topicArn,
          queuePrefix,
          accept: filter.accept,
          ...(filter.policy ? { filterPolicy: filter.policy } : {}),
        },
      ),
    };
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    return { unavailable: `cannot subscribe to the results topic (${failureText(error)})` };
  }
}

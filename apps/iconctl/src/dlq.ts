import { setTimeout as sleep } from "node:timers/promises";
import {
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { DEAD_LETTER_ATTRIBUTES } from "@icon-fanout/config";
import { parseNotification } from "@icon-fanout/events";
import { queueArnOf } from "./outputs.js";
import { formatDuration, table } from "./render.js";

export interface DeadLetter {
  messageId: string;
  key: string;
  reason: string;
  receiveCount: number;
  ageSeconds: number;
}

/**
 * Reads up to `limit` dead letters without taking them: each receive hides nothing (visibility 0),
 * so the queue is unchanged for the resizer and for a later redrive.
 */
export async function listDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  limit: number,
  now = Date.now(),
): Promise<DeadLetter[]> {
  const seen = new Map<string, DeadLetter>();
  for (let attempt = 0; attempt < Math.ceil(limit / 10) + 2 && seen.size < limit; attempt += 1) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: attempt === 0 ? 1 : 0,
        MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
        MessageAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      if (!message.MessageId || seen.has(message.MessageId)) continue;
      const parsed = parseNotification(message.Body ?? "");
      const key =
        parsed.kind === "objects"
          ? parsed.objects.map((o) => o.key).join(", ")
          : `(${parsed.kind}: ${parsed.reason})`;
      seen.set(message.MessageId, {
        messageId: message.MessageId,
        key,
        reason:
          message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ??
          "failed maxReceiveCount times (transient errors)",
        receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
        ageSeconds: Math.max(0, Math.round((now - Number(message.Attributes?.SentTimestamp ?? now)) / 1000)),
      });
    }
  }
  return [...seen.values()].slice(0, limit);
}

export function renderDeadLetters(size: number, letters: DeadLetter[]): string {
  if (letters.length === 0) return `size ${size}: the dead-letter queue is empty\n`;
  return `${table(
    ["key", "reason", "receives", "age"],
    letters.map((letter) => [
      letter.key,
      letter.reason,
      letter.receiveCount,
      formatDuration(letter.ageSeconds),
    ]),
  )}\n`;
}

export interface RedriveProgress {
  status: string;
  moved: number;
  toMove?: number;
}

/**
 * Moves every dead letter back to the size's queue with SQS's message-move task, reporting
 * progress until the task ends. Returns the final state.
 */
export async function redrive(
  sqs: SQSClient,
  deadLetterQueueUrl: string,
  queueUrl: string,
  options: {
    intervalMs: number;
    onProgress?: (progress: RedriveProgress) => void;
    /** The stack's region, for queue URLs that do not name one (an emulator's). */
    region?: string;
  },
): Promise<RedriveProgress> {
  const sourceArn = queueArnOf(deadLetterQueueUrl, options.region);
  await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: sourceArn,
      DestinationArn: queueArnOf(queueUrl, options.region),
    }),
  );
  for (;;) {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
    );
    const task = Results[0];
    const progress: RedriveProgress = {
      status: task?.Status ?? "UNKNOWN",
      moved: task?.ApproximateNumberOfMessagesMoved ?? 0,
      ...(task?.ApproximateNumberOfMessagesToMove !== undefined
        ? { toMove: task.ApproximateNumberOfMessagesToMove }
        : {}),
    };
    options.onProgress?.(progress);
    if (progress.status !== "RUNNING" && progress.status !== "CANCELLING") return progress;
    await sleep(options.intervalMs);
  }
}

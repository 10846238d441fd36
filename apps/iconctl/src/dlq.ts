import { setTimeout as sleep } from "node:timers/promises";
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type Message,
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
  /** The refusal's code (`RefusalCode`), `max-receives` for SQS's redrive, or none for an older dead letter. */
  code?: string;
  /** What is wrong, in words. */
  reason: string;
  /** The decoder's own text, when the worker recorded one. */
  detail?: string;
  /** Receives when it was dead-lettered (listings receive it too, so SQS's own count grows). */
  receiveCount?: number;
  ageSeconds: number;
}

/** Long enough that a listing receives each message once; they are released as soon as it ends. */
export const LISTING_HOLD_SECONDS = 30;

/**
 * Reads up to `limit` dead letters without taking them. Each message read is held (invisible) until
 * the listing ends, so it is received once per listing, and then released at once for the next
 * listing or a redrive; a listing killed half-way leaves them invisible for LISTING_HOLD_SECONDS.
 * The receive count shown is the one at dead-letter time: the worker records it on the messages it
 * moves, and SQS moves a message after exactly its queue's `maxReceiveCount` receives.
 */
export async function listDeadLetters(
  sqs: SQSClient,
  queues: { deadLetterQueueUrl: string; queueUrl: string },
  limit: number,
  now = Date.now(),
): Promise<DeadLetter[]> {
  const maxReceiveCount = await redriveMaxReceiveCount(sqs, queues.queueUrl);
  const held: Message[] = [];
  const seen = new Map<string, DeadLetter>();
  try {
    while (seen.size < limit) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queues.deadLetterQueueUrl,
          MaxNumberOfMessages: Math.min(10, limit - seen.size),
          VisibilityTimeout: LISTING_HOLD_SECONDS,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ["SentTimestamp"],
          MessageAttributeNames: ["All"],
        }),
      );
      held.push(...Messages);
      const fresh = Messages.filter((message) => message.MessageId && !seen.has(message.MessageId));
      for (const message of fresh)
        seen.set(message.MessageId ?? "", deadLetterOf(message, maxReceiveCount, now));
      // Nothing new: the queue is read to its end, or a listing longer than the hold meets its first messages again.
      if (fresh.length === 0) break;
    }
  } finally {
    await release(sqs, queues.deadLetterQueueUrl, held);
  }
  return [...seen.values()];
}

function deadLetterOf(message: Message, maxReceiveCount: number | undefined, now: number): DeadLetter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const parsed = parseNotification(message.Body ?? "");
  const key =
    parsed.kind === "objects"
      ? parsed.objects.map((o) => o.key).join(", ")
      : `(${parsed.kind}: ${parsed.reason})`;
  const common = {
    messageId: message.MessageId ?? "",
    key,
    ageSeconds: Math.max(0, Math.round((now - Number(message.Attributes?.SentTimestamp ?? now)) / 1000)),
  };
  const reason = attribute(DEAD_LETTER_ATTRIBUTES.reason);
  // No reason: SQS's redrive policy moved it, after exactly maxReceiveCount receives.
  if (reason === undefined)
    return {
      ...common,
      code: "max-receives",
      reason: "SQS moved it after maxReceiveCount receives (transient failures)",
      ...(maxReceiveCount !== undefined ? { receiveCount: maxReceiveCount } : {}),
    };
  const code = attribute(DEAD_LETTER_ATTRIBUTES.code);
  const detail = attribute(DEAD_LETTER_ATTRIBUTES.detail);
  const recorded = Number(attribute(DEAD_LETTER_ATTRIBUTES.receiveCount));
  return {
    ...common,
    ...(code ? { code } : {}),
    // The worker writes `code: message`; the code has its own column.
    reason: code && reason.startsWith(`${code}: `) ? reason.slice(code.length + 2) : reason,
    ...(detail ? { detail } : {}),
    ...(Number.isInteger(recorded) && recorded > 0 ? { receiveCount: recorded } : {}),
  };
}

/** The size queue's `maxReceiveCount`, or undefined when it has no redrive policy. */
async function redriveMaxReceiveCount(sqs: SQSClient, queueUrl: string): Promise<number | undefined> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["RedrivePolicy"] }),
  );
  const policy = JSON.parse(Attributes.RedrivePolicy ?? "{}") as { maxReceiveCount?: unknown };
  const count = Number(policy.maxReceiveCount);
  return Number.isInteger(count) && count > 0 ? count : undefined;
}

/** Makes held messages visible again at once, ten to a call. */
async function release(sqs: SQSClient, queueUrl: string, held: Message[]): Promise<void> {
  for (let start = 0; start < held.length; start += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: held.slice(start, start + 10).map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? "",
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

export function renderDeadLetters(size: number, letters: DeadLetter[]): string {
  if (letters.length === 0) return `size ${size}: the dead-letter queue is empty\n`;
  return `${table(
    ["key", "code", "reason", "receives", "age", "detail"],
    letters.map((letter) => [
      letter.key,
      letter.code ?? "-",
      letter.reason,
      letter.receiveCount ?? "-",
      formatDuration(letter.ageSeconds),
      letter.detail ?? "",
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

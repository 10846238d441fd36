import { setTimeout as sleep } from "node:timers/promises";
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { objectCreatedEvent } from "@icon-fanout/events";
import type { ListedObject } from "../listing.js";
import type { Pacer } from "./pacer.js";

/** SQS takes at most ten messages per batch. */
export const BATCH_SIZE = 10;

/** Stands where S3 puts its notification configuration's id, so a reader of the queue sees the sender. */
export const BACKFILL_CONFIGURATION_ID = "iconctl-backfill";

/** Entries SQS refused for a reason other than the message itself get this many more tries. */
const ENTRY_RETRIES = 4;

export interface SendOptions {
  queueUrl: string;
  /** The bucket the sources are in, and its region, as their events name them. */
  bucket: string;
  region: string;
  pacer: Pacer;
  /** Stops between batches; what was sent stays sent. */
  signal?: AbortSignal;
  /** Called once SQS has accepted a whole batch, with its last source and the count sent so far. */
  onBatch?: (last: ListedObject, sent: number) => Promise<void> | void;
}

export interface SendResult {
  sent: number;
  /** True when the signal stopped the run before every source was sent. */
  interrupted: boolean;
}

/** A batch SQS would not take: the message names the key and what SQS said. */
export class SendError extends Error {
  override name = "SendError";
}

/**
 * Sends one `ObjectCreated` event per source to the size's queue, ten per batch, in order, no
 * faster than the pacer allows. A batch counts as sent only once SQS has taken all its entries.
 */
export async function sendEvents(
  sqs: SQSClient,
  sources: readonly ListedObject[],
  options: SendOptions,
): Promise<SendResult> {
  let sent = 0;
  for (let start = 0; start < sources.length; start += BATCH_SIZE) {
    const batch = sources.slice(start, start + BATCH_SIZE);
    try {
      options.signal?.throwIfAborted();
      await options.pacer.admit(batch.length, options.signal);
    } catch (error) {
      if (options.signal?.aborted) return { sent, interrupted: true };
      throw error;
    }
    await sendBatch(sqs, batch, options);
    sent += batch.length;
    await options.onBatch?.(batch.at(-1) as ListedObject, sent);
  }
  return { sent, interrupted: false };
}

async function sendBatch(sqs: SQSClient, batch: ListedObject[], options: SendOptions): Promise<void> {
  const eventTime = new Date();
  let pending: SendMessageBatchRequestEntry[] = batch.map((source, index) => ({
    Id: String(index),
    MessageBody: objectCreatedEvent(
      { bucket: options.bucket, key: source.key, size: source.size, eTag: source.etag },
      { region: options.region, configurationId: BACKFILL_CONFIGURATION_ID, eventTime },
    ),
  }));
  for (let attempt = 0; ; attempt += 1) {
    const { Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: pending }),
    );
    if (Failed.length === 0) return;
    const refused = Failed.find((failure) => failure.SenderFault) ?? (attempt === ENTRY_RETRIES && Failed[0]);
    if (refused) {
      const key = batch[Number(refused.Id)]?.key;
      throw new SendError(
        `SQS did not take the message for ${key}: ${refused.Code} ${refused.Message ?? ""}`.trim(),
      );
    }
    const failedIds = new Set(Failed.map((failure) => failure.Id));
    pending = pending.filter((entry) => failedIds.has(entry.Id));
    await sleep(100 * 2 ** attempt);
  }
}

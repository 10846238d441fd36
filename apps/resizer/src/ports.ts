/**
 * What the worker needs from SQS and S3, as small interfaces: the AWS SDK adapters in aws/
 * implement them for production, the fakes in testing/ with the same semantics for tests and the
 * benchmark, and cli/ over local files for `pnpm resize`.
 */

import type { ResultEvent } from "@icon-fanout/events";
import { InvalidImageError, type RefusalCode } from "@icon-fanout/imaging";

export interface ReceivedMessage {
  messageId: string;
  /** Changes on every receive; only the latest one deletes or extends the message. */
  receiptHandle: string;
  body: string;
  /** ApproximateReceiveCount: 1 on the first delivery. */
  receiveCount: number;
}

export interface VisibilityChange {
  message: ReceivedMessage;
  /** Seconds from now until the message is visible again; 0 returns it at once. */
  seconds: number;
}

/**
 * Every call takes a signal that ends it (the worker's deadlines and its stop); an aborted call
 * rejects, except an aborted long poll, which returns what it has (nothing).
 */
export interface WorkQueue {
  /** Long-polls for up to `max` (≤ 10) messages. */
  receive(max: number, waitSeconds: number, signal: AbortSignal): Promise<ReceivedMessage[]>;
  /** Deletes up to 10 messages; returns the ids that were not deleted. */
  delete(messages: ReceivedMessage[], signal: AbortSignal): Promise<string[]>;
  /** Changes visibility of up to 10 messages; returns the ids that were not changed. */
  changeVisibility(changes: VisibilityChange[], signal: AbortSignal): Promise<string[]>;
  /** Copies the message to the dead-letter queue with the reason attached (the caller deletes it after). */
  deadLetter(message: ReceivedMessage, why: DeadLetterReason, signal: AbortSignal): Promise<void>;
}

/** Why a message is dead-lettered: a refusal of its source. */
export interface DeadLetterReason {
  code: RefusalCode;
  /** Code and message, e.g. `truncated: the PNG data ends early`. */
  reason: string;
  /** The decoder's own text, when it had one. */
  detail?: string;
}

/** What S3 says about an object without its body. */
export interface ObjectHead {
  /** Without quotes, as S3 events carry it. */
  etag: string;
  /** User metadata (`x-amz-meta-*`), names lowercased, e.g. `SOURCE_METADATA.uploadId`. */
  metadata: Record<string, string>;
  versionId?: string;
}

export interface StoredObject extends ObjectHead {
  body: Uint8Array;
}

export interface PutOptions {
  contentType: string;
  cacheControl: string;
  metadata: Record<string, string>;
}

/** `signal`, when given, ends the call (the worker gives up work that makes no progress). */
export interface ObjectStore {
  /** The object, or undefined when it does not exist. Throws `SourceTooLargeError` past `maxBytes`. */
  get(bucket: string, key: string, maxBytes: number, signal?: AbortSignal): Promise<StoredObject | undefined>;
  exists(bucket: string, key: string, signal?: AbortSignal): Promise<boolean>;
  /** The object's ETag and metadata, or undefined when it does not exist. */
  head(bucket: string, key: string, signal?: AbortSignal): Promise<ObjectHead | undefined>;
  /** Resolves once the object is durable (S3 acknowledges a PUT only then), with its ETag (no quotes). */
  put(
    bucket: string,
    key: string,
    body: Uint8Array,
    options: PutOptions,
    signal?: AbortSignal,
  ): Promise<{ etag: string }>;
  /** Deleting a missing object succeeds, as in S3. */
  delete(bucket: string, key: string, signal?: AbortSignal): Promise<void>;
}

/** The source is larger than the configured limit: refused, like any invalid input. */
export class SourceTooLargeError extends InvalidImageError {
  override name = "SourceTooLargeError";
  /**
   * @param head what the store said of the object before refusing its body (its refused results
   *   event carries the ETag and upload id)
   */
  constructor(
    bytes: number,
    limit: number,
    readonly head?: ObjectHead,
  ) {
    super("too-many-bytes", `the file is ${bytes} bytes, over the ${limit}-byte limit`);
  }
}

/**
 * Where results events go (docs/architecture.md, "Results events"): the stack's results topic.
 * Resolves once every event is accepted; rejects if any was not (the caller keeps the message, and
 * the next receive publishes again).
 */
export interface ResultPublisher {
  publish(events: readonly ResultEvent[], signal: AbortSignal): Promise<void>;
}

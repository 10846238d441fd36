/**
 * Builds the message an `ObjectCreated` notification puts on a size's queue, for tools that ask the
 * resizer to render objects that already exist (`iconctl backfill`): the S3 event itself, as the
 * queues' raw message delivery hands it over, so the worker reads it like any upload.
 */

export interface ExistingObject {
  bucket: string;
  /** The object key as stored (not encoded). */
  key: string;
  /** Bytes, as a listing reports them. */
  size: number;
  /** The ETag as a listing reports it, with or without its quotes. */
  eTag: string;
}

export interface ObjectCreatedOptions {
  /** The bucket's region. */
  region: string;
  /** Names who sent the event (S3 puts its notification configuration's id here). */
  configurationId: string;
  /** @default now */
  eventTime?: Date;
}

/**
 * One `ObjectCreated:Put` record, version 2.1, with the fields S3 writes that are known here. No
 * sequencer: S3 alone orders events, and a made-up one could outrank a real upload's.
 */
export function objectCreatedEvent(object: ExistingObject, options: ObjectCreatedOptions): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: options.region,
        eventTime: (options.eventTime ?? new Date()).toISOString(),
        eventName: "ObjectCreated:Put",
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: options.configurationId,
          bucket: { name: object.bucket, arn: `arn:aws:s3:::${object.bucket}` },
          object: {
            key: encodeEventKey(object.key),
            size: object.size,
            eTag: object.eTag.replaceAll('"', ""),
          },
        },
      },
    ],
  });
}

/** Keys in S3 events are form-encoded: UTF-8 percent escapes, `+` for a space, `/` left as is. */
export function encodeEventKey(key: string): string {
  return key
    .split("/")
    .map((segment) => new URLSearchParams([["", segment]]).toString().slice(1))
    .join("/");
}

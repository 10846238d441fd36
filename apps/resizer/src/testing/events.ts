import { encodeEventKey } from "@icon-fanout/events";

/** S3 event notification bodies as raw message delivery hands them to the queue. */
export function s3EventBody(
  bucket: string,
  key: string,
  eventName = "ObjectCreated:Put",
  size = 1024,
): string {
  const object: Record<string, unknown> = {
    key: encodeEventKey(key),
    sequencer: "0055AED6DCD90281E5",
  };
  if (eventName.startsWith("ObjectCreated:")) object.size = size;
  return JSON.stringify({
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: "eu-west-1",
        eventTime: "2026-11-21T10:00:00.000Z",
        eventName,
        s3: { s3SchemaVersion: "1.0", bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object },
      },
    ],
  });
}

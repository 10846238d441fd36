/**
 * Turns an SQS message body from the upload topic into object references (docs/architecture.md,
 * "Public interfaces", item 4).
 *
 * Accepts the SNS envelope (raw delivery off) and the bare S3 event (raw delivery on).
 * Never throws: anything it cannot use is `invalid`, anything it should skip is `ignored`.
 */

export interface NotificationObject {
  bucket: string;
  /** The object key, URL-decoded (S3 encodes keys in events, `+` for space). */
  key: string;
  /** As S3 writes it, e.g. `ObjectCreated:Put`, `ObjectRemoved:Delete`. */
  eventName: string;
  /** Bytes, on creation events only. */
  size?: number;
  /** Orders events for the same key: a larger sequencer (compared as hex of equal length) is newer. */
  sequencer?: string;
}

export type ParsedNotification =
  | { kind: "objects"; objects: NotificationObject[] }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string };

/** SQS's own message size limit; anything longer did not come from SNS or S3. */
export const MAX_BODY_BYTES = 1024 * 1024;

const OBJECT_EVENT = /^(?:s3:)?(ObjectCreated|ObjectRemoved):/;

export function parseNotification(body: string): ParsedNotification {
  try {
    return parseBody(body);
  } catch (error) {
    // Defensive only: every path below checks types, but a parser for untrusted input must not throw.
    return invalid(`unexpected parse failure: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseBody(body: string): ParsedNotification {
  if (typeof body !== "string") return invalid(`body must be a string, got ${describe(body)}`);
  if (body.trim() === "") return invalid("body is empty");
  if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) {
    return invalid(`body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  const document = parseJson(body);
  if (document === undefined) return invalid("body is not JSON");
  if (!isRecord(document)) return invalid(`body must be a JSON object, got ${describe(document)}`);

  if (typeof document.Type === "string") return parseSnsEnvelope(document);
  return parseS3Event(document);
}

function parseSnsEnvelope(envelope: Record<string, unknown>): ParsedNotification {
  switch (envelope.Type) {
    case "Notification":
      break;
    case "SubscriptionConfirmation":
    case "UnsubscribeConfirmation":
      return { kind: "ignored", reason: `SNS ${envelope.Type}` };
    default:
      return invalid(`unknown SNS message type ${JSON.stringify(envelope.Type)}`);
  }
  if (typeof envelope.Message !== "string") return invalid("SNS notification has no Message string");
  const message = parseJson(envelope.Message);
  if (message === undefined) return invalid("SNS Message is not JSON");
  if (!isRecord(message)) return invalid(`SNS Message must be a JSON object, got ${describe(message)}`);
  return parseS3Event(message);
}

function parseS3Event(event: Record<string, unknown>): ParsedNotification {
  if (event.Event === "s3:TestEvent") return { kind: "ignored", reason: "s3:TestEvent" };
  if (!("Records" in event)) return invalid("no Records and not an S3 test event");
  if (!Array.isArray(event.Records))
    return invalid(`Records must be an array, got ${describe(event.Records)}`);
  if (event.Records.length === 0) return { kind: "ignored", reason: "no records" };

  const objects: NotificationObject[] = [];
  const skipped = new Set<string>();
  for (const [index, record] of event.Records.entries()) {
    const parsed = parseRecord(record);
    if (typeof parsed === "string") return invalid(`Records[${index}]: ${parsed}`);
    if ("skip" in parsed) skipped.add(parsed.skip);
    else objects.push(parsed);
  }
  if (objects.length === 0)
    return { kind: "ignored", reason: `not an object event: ${[...skipped].join(", ")}` };
  return { kind: "objects", objects };
}

/** An object, a `{ skip: eventName }` for events that are not about objects, or an error message. */
function parseRecord(record: unknown): NotificationObject | { skip: string } | string {
  if (!isRecord(record)) return `must be an object, got ${describe(record)}`;
  const { eventName, s3 } = record;
  if (typeof eventName !== "string") return "eventName is missing";
  if (!OBJECT_EVENT.test(eventName)) return { skip: eventName };
  if (!isRecord(s3)) return "s3 is missing";
  const { bucket, object } = s3;
  if (!isRecord(bucket) || typeof bucket.name !== "string" || bucket.name === "")
    return "s3.bucket.name is missing";
  if (!isRecord(object) || typeof object.key !== "string" || object.key === "")
    return "s3.object.key is missing";
  const key = decodeKey(object.key);
  if (key === undefined) return `s3.object.key is not valid URL encoding: ${JSON.stringify(object.key)}`;

  const result: NotificationObject = { bucket: bucket.name, key, eventName };
  if (typeof object.size === "number" && Number.isSafeInteger(object.size) && object.size >= 0) {
    result.size = object.size;
  }
  if (typeof object.sequencer === "string" && /^[0-9A-Fa-f]+$/.test(object.sequencer)) {
    result.sequencer = object.sequencer;
  }
  return result;
}

/** S3 event keys are form-encoded: `+` is a space, `%2B` a plus, and UTF-8 is percent-escaped. */
function decodeKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

function invalid(reason: string): ParsedNotification {
  return { kind: "invalid", reason };
}

import { buildApp, type SpyMessage } from "fauxqs";
import { addMessageMoveTasks } from "./message-move-tasks.js";

/** What fauxqs 2.4.1's S3 store tells its spy about one object, with the object as it was at that moment. */
export interface S3ObjectChange {
  bucket: string;
  key: string;
  /** S3's event name without the `s3:` prefix, e.g. `ObjectCreated:Put`, `ObjectRemoved:Delete`. */
  eventName: string;
  /** Bytes and ETag (without quotes) of the object written; creations only. */
  size?: number;
  eTag?: string;
  at: Date;
}

export interface Emulator {
  /** `http://127.0.0.1:<port>`: S3, SNS, SQS and STS on one endpoint. */
  readonly endpoint: string;
  /** Called for every object written or deleted, in the order S3 applied them. */
  onObjectChange(listener: (change: S3ObjectChange) => void): void;
  stop(): Promise<void>;
}

/** The few members of fauxqs's stores this module uses (they are not exported by its package). */
interface S3StoreInternals {
  spy?: { addMessage(message: SpyMessage): void };
  headObject(bucket: string, key: string): { contentLength: number; etag: string };
}
interface SqsStoreInternals {
  host: string;
  processAllTimers(): void;
}
type StoreModules = {
  S3Store: new () => S3StoreInternals;
  SqsStore: new () => SqsStoreInternals;
  SnsStore: new () => object;
};

/**
 * fauxqs's `startFauxqs` listens on 0.0.0.0 and keeps its stores to itself, so the emulator is
 * built here from `buildApp` with stores created by us: that lets it listen on 127.0.0.1 only,
 * and lets the S3 store's spy (library mode's upload and deletion events) report to this module
 * synchronously, while the object is still as the request left it. The store classes are loaded
 * from fauxqs's own files; the version is pinned exactly in the workspace catalog.
 */
async function loadStores(): Promise<StoreModules> {
  const root = new URL(".", import.meta.resolve("fauxqs"));
  const load = async (path: string) => (await import(new URL(path, root).href)) as Record<string, unknown>;
  const [s3, sqs, sns] = await Promise.all([
    load("s3/s3Store.js"),
    load("sqs/sqsStore.js"),
    load("sns/snsStore.js"),
  ]);
  return { S3Store: s3.S3Store, SqsStore: sqs.SqsStore, SnsStore: sns.SnsStore } as StoreModules;
}

export async function startEmulator(options: { region: string }): Promise<Emulator> {
  const modules = await loadStores();
  const s3Store = new modules.S3Store();
  const sqsStore = new modules.SqsStore();
  // No host: queue URLs are built from the request's Host, i.e. http://127.0.0.1:<port>/<account>/<name>.
  sqsStore.host = "";
  const listeners: ((change: S3ObjectChange) => void)[] = [];
  const emit = (change: S3ObjectChange) => {
    for (const listener of listeners) listener(change);
  };
  s3Store.spy = { addMessage: collectChanges(s3Store, emit) };

  const app = buildApp({
    logger: false,
    defaultRegion: options.region,
    stores: { s3Store, sqsStore, snsStore: new modules.SnsStore() } as NonNullable<
      Parameters<typeof buildApp>[0]
    >["stores"],
  });
  // fauxqs returns messages whose visibility ran out to their queue only when someone receives;
  // SQS counts them as visible at once, so they are returned before every count.
  app.addHook("preHandler", async (request) => {
    if (request.headers["x-amz-target"] === "AmazonSQS.GetQueueAttributes") sqsStore.processAllTimers();
  });
  let endpoint = "";
  addMessageMoveTasks(app, () => endpoint);
  endpoint = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    endpoint,
    onObjectChange: (listener) => listeners.push(listener),
    stop: () => app.close(),
  };
}

/**
 * Turns the spy's statuses into S3 event names. One request can report one object more than once
 * in the same synchronous step: CopyObject reports `uploaded` then `copied`, PostObject `uploaded`
 * twice. Reports for one key are gathered until the step ends and become one change.
 */
function collectChanges(
  store: S3StoreInternals,
  emit: (change: S3ObjectChange) => void,
): (message: SpyMessage) => void {
  const pending = new Map<string, { change: S3ObjectChange; statuses: string[] }>();
  const flush = () => {
    for (const { change, statuses } of pending.values())
      emit({ ...change, eventName: eventName(change, statuses) });
    pending.clear();
  };
  return (message) => {
    if (
      message.service !== "s3" ||
      (message.status !== "uploaded" && message.status !== "copied" && message.status !== "deleted")
    )
      return;
    const id = `${message.bucket}\u0000${message.key}`;
    const entry = pending.get(id);
    if (entry) {
      entry.statuses.push(message.status);
      return;
    }
    const change: S3ObjectChange = {
      bucket: message.bucket,
      key: message.key,
      eventName: "",
      at: new Date(message.timestamp),
    };
    if (message.status !== "deleted") {
      const object = store.headObject(message.bucket, message.key);
      change.size = object.contentLength;
      change.eTag = object.etag.replaceAll('"', "");
    }
    if (pending.size === 0) queueMicrotask(flush);
    pending.set(id, { change, statuses: [message.status] });
  };
}

function eventName(change: S3ObjectChange, statuses: string[]): string {
  if (statuses[0] === "deleted") return "ObjectRemoved:Delete";
  if (statuses.includes("copied")) return "ObjectCreated:Copy";
  if (statuses.length > 1) return "ObjectCreated:Post";
  // A multipart upload's ETag is the MD5 of its parts' MD5s followed by "-<part count>".
  return change.eTag?.includes("-") ? "ObjectCreated:CompleteMultipartUpload" : "ObjectCreated:Put";
}

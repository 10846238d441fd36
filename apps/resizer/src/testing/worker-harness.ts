/** Test support: a worker wired to the fakes, on a fast queue clock, and the icons it resizes. */
import { DEFAULT_KEY_LAYOUT, defaultBucketName, stackPrefix } from "@icon-fanout/config";
import { createLogger } from "@icon-fanout/log";
import { handleMessage } from "../handle-message.js";
import type { ObjectStore, WorkQueue } from "../ports.js";
import type { SizeJob } from "../process-object.js";
import { storeForWork } from "../work-store.js";
import { Worker, type WorkerOptions } from "../worker.js";

export const SOURCE_BUCKET = defaultBucketName(stackPrefix("dev"), "111111111111");
export const SHADOW_BUCKET = defaultBucketName(stackPrefix("prod"), "222222222222");

export { loadIcons as corpusIcons } from "@icon-fanout/test-icons";

export function jobFor(size: number, overrides: Partial<SizeJob> = {}): SizeJob {
  return {
    size,
    layout: DEFAULT_KEY_LAYOUT,
    outputBucket: SOURCE_BUCKET,
    sourceBuckets: [SOURCE_BUCKET, SHADOW_BUCKET],
    maxSourceBytes: 1024 * 1024,
    ...overrides,
  };
}

export interface LogLine {
  msg: string;
  [field: string]: unknown;
}

export function workerFor(
  queue: WorkQueue,
  store: ObjectStore,
  job: SizeJob,
  overrides: Partial<WorkerOptions> = {},
): { worker: Worker; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = createLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line) as LogLine) });
  const worker = new Worker({
    queue,
    handle: (message, work) => handleMessage(message.body, storeForWork(store, work), job),
    log,
    concurrency: 8,
    visibilityTimeoutSeconds: 30,
    drainSeconds: 60,
    waitSeconds: 1,
    backoff: { baseSeconds: 1, maxSeconds: 4 },
    ackLingerMs: 50,
    secondMs: 10,
    ...overrides,
  });
  return { worker, lines };
}

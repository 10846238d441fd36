#!/usr/bin/env node
/**
 * The resizer worker of one icon size: receives S3 events from the size's queue, writes resized
 * PNGs, and deletes each message once its output is durable (docs/architecture.md, "The worker").
 *
 *   resizer            run until SIGTERM
 *   resizer --check    validate the environment, load sharp and resize a sample, then exit
 */
import { EnvironmentError, resizerEnvironment } from "@icon-fanout/config";
import { HEALTH_CHECK, heartbeatPort } from "@icon-fanout/config/health-check";
import { resizeIcon } from "@icon-fanout/imaging";
import { createLogger } from "@icon-fanout/log";
import { Heartbeat, startHeartbeatEndpoint } from "@icon-fanout/log/heartbeat";
import { createResizerClients, S3_CALL_MS } from "./aws/clients.js";
import { S3ObjectStore } from "./aws/s3-object-store.js";
import { SnsResultPublisher } from "./aws/sns-result-publisher.js";
import { SqsWorkQueue } from "./aws/sqs-work-queue.js";
import { beatOnReceive } from "./beat-on-receive.js";
import { handleMessage } from "./handle-message.js";
import type { SizeJob } from "./process-object.js";
import { ECS_AGENT_URI_VARIABLE, ScaleInProtection } from "./scale-in-protection.js";
import { storeForWork } from "./work-store.js";
import { Worker } from "./worker.js";

/** The long poll's wait (SQS's maximum). */
const WAIT_SECONDS = 20;
/** Work whose S3 calls have all ended at their deadline has failed; work silent longer than this is stuck. */
const STALL_SECONDS = S3_CALL_MS / 1000 + 10;
/** After run() returns, what still holds the process (a request that ignored its abort) may keep it this long. */
const EXIT_GRACE_MS = 2_000;

/** Makes a PNG with sharp and resizes it through the real core: proves the native library loads and works. */
async function selfTest(): Promise<[number, number]> {
  const { default: sharp } = await import("sharp");
  const png = await sharp({ create: { width: 4, height: 2, channels: 4, background: "#08f" } })
    .png()
    .toBuffer();
  const icon = await resizeIcon(png, { size: 2 });
  return [icon.width, icon.height];
}

async function main(argv: string[]): Promise<number> {
  let env: ReturnType<typeof resizerEnvironment.parse>;
  try {
    env = resizerEnvironment.parse(process.env);
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    createLogger().error("invalid environment", { problems: error.problems });
    return 1;
  }
  const log = createLogger({ level: env.logLevel, fields: { app: "resizer", size: env.iconSize } });

  if (argv.includes("--check")) {
    const sample = await selfTest();
    log.info("check passed", { queueUrl: env.queueUrl, sourceBuckets: env.sourceBuckets, sample });
    return 0;
  }

  const job: SizeJob = {
    size: env.iconSize,
    layout: { inputPrefix: env.inputPrefix, outputPrefix: env.outputPrefix },
    outputBucket: env.outputBucket,
    sourceBuckets: env.sourceBuckets,
    maxSourceBytes: env.maxSourceBytes,
  };
  const { s3, sqs, sns } = createResizerClients(WAIT_SECONDS);
  // The task role may list its own bucket only (so a missing key there is a 404, not a 403).
  const store = new S3ObjectStore(s3, new Set([env.outputBucket]), S3_CALL_MS);
  // The loop's progress for ECS's health check: an answered receive or a finished message.
  const heartbeat = new Heartbeat();
  await startHeartbeatEndpoint(heartbeat, { port: heartbeatPort(process.env), path: HEALTH_CHECK.path }, log);
  const worker = new Worker({
    queue: beatOnReceive(new SqsWorkQueue(sqs, env.queueUrl, env.deadLetterQueueUrl), heartbeat),
    handle: async (message, work) => {
      try {
        return await handleMessage(message.body, storeForWork(store, work), job);
      } finally {
        heartbeat.beat();
      }
    },
    log,
    concurrency: env.concurrency,
    visibilityTimeoutSeconds: env.visibilityTimeoutSeconds,
    drainSeconds: env.drainSeconds,
    stallSeconds: STALL_SECONDS,
    waitSeconds: WAIT_SECONDS,
    protection: new ScaleInProtection(process.env[ECS_AGENT_URI_VARIABLE], log),
    results: {
      publisher: new SnsResultPublisher(sns, env.resultsTopicArn),
      source: { stack: env.stack, job, maxReceiveCount: env.maxReceiveCount },
    },
  });
  const stop = (signal: string) => {
    log.info("stopping", { signal, held: worker.held });
    worker.stop();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  log.info("started", { queueUrl: env.queueUrl, concurrency: env.concurrency });
  await worker.run();
  log.info("stopped");
  // The drain has ended every request it waited for; a request that ignored its abort must not hold the exit.
  setTimeout(() => {
    log.warn("exiting with requests still open");
    process.exit(0);
  }, EXIT_GRACE_MS).unref();
  return 0;
}

process.exitCode = await main(process.argv.slice(2));

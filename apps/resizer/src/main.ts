#!/usr/bin/env node
/**
 * The resizer worker of one icon size: receives S3 events from the size's queue, writes resized
 * PNGs, and deletes each message once its output is durable (DESIGN §4, §7).
 *
 *   resizer            run until SIGTERM
 *   resizer --check    validate the environment, load sharp and resize a sample, then exit
 */
import { S3Client } from "@aws-sdk/client-s3";
import { EnvironmentError, resizerEnvironment } from "@icon-fanout/config";
import { HEALTH_CHECK, heartbeatPort } from "@icon-fanout/config/health-check";
import { resizeIcon } from "@icon-fanout/imaging";
import { createLogger } from "@icon-fanout/log";
import { Heartbeat, startHeartbeatEndpoint } from "@icon-fanout/log/heartbeat";
import { S3ObjectStore } from "./aws/s3-object-store.js";
import { createSqsClient } from "./aws/sqs-client.js";
import { SqsWorkQueue } from "./aws/sqs-work-queue.js";
import { beatOnReceive } from "./beat-on-receive.js";
import { handleMessage } from "./handle-message.js";
import type { SizeJob } from "./process-object.js";
import { ECS_AGENT_URI_VARIABLE, ScaleInProtection } from "./scale-in-protection.js";
import { Worker } from "./worker.js";

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

  const clientSettings = {
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 30_000 },
  };
  const job: SizeJob = {
    size: env.iconSize,
    layout: { inputPrefix: env.inputPrefix, outputPrefix: env.outputPrefix },
    outputBucket: env.outputBucket,
    sourceBuckets: env.sourceBuckets,
    maxSourceBytes: env.maxSourceBytes,
  };
  // The task role may list its own bucket only (so a missing key there is a 404, not a 403).
  const store = new S3ObjectStore(new S3Client(clientSettings), new Set([env.outputBucket]));
  // The long poll (20 s) needs a longer request timeout than the other calls.
  const sqs = createSqsClient({
    ...clientSettings,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 25_000 },
  });
  // The loop's progress for ECS's health check: an answered receive or a finished message.
  const heartbeat = new Heartbeat();
  await startHeartbeatEndpoint(heartbeat, { port: heartbeatPort(process.env), path: HEALTH_CHECK.path }, log);
  const worker = new Worker({
    queue: beatOnReceive(new SqsWorkQueue(sqs, env.queueUrl, env.deadLetterQueueUrl), heartbeat),
    handle: async (message) => {
      try {
        return await handleMessage(message.body, store, job);
      } finally {
        heartbeat.beat();
      }
    },
    log,
    concurrency: env.concurrency,
    visibilityTimeoutSeconds: env.visibilityTimeoutSeconds,
    drainSeconds: env.drainSeconds,
    protection: new ScaleInProtection(process.env[ECS_AGENT_URI_VARIABLE], log),
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
  return 0;
}

process.exitCode = await main(process.argv.slice(2));

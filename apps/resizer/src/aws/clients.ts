import { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { type CallDeadlines, clientSettings } from "@icon-fanout/aws-clients";
import { createSqsClient } from "./sqs-client.js";

/**
 * The resizer's deadlines (docs/architecture.md, "Faults"). S3 moves a source of at most 10 MiB
 * (`maxSourceBytes`) or an output of a few KiB over the VPC's gateway endpoint: a second at most
 * when healthy. The worker bounds each S3 call as a whole (`S3_CALL_MS`, body included) and each
 * queue call (`Worker`'s `queueCallSeconds`), so the SDK's own retries fit inside those.
 */
export const S3_DEADLINES: CallDeadlines = {
  connectMs: 2_000,
  idleMs: 5_000,
  attemptMs: 8_000,
  maxAttempts: 3,
};
export const S3_CALL_MS = 20_000;

/** A long poll's answer may take its whole wait: its attempt ends this long after the wait. */
export const LONG_POLL_GRACE_MS = 5_000;

/** SQS calls answer in milliseconds, except the long poll, whose socket stays silent for its wait. */
export function sqsDeadlines(waitSeconds: number): CallDeadlines {
  return {
    connectMs: 2_000,
    idleMs: waitSeconds * 1000 + LONG_POLL_GRACE_MS,
    attemptMs: 4_000,
    maxAttempts: 3,
  };
}

export function createResizerClients(waitSeconds: number): { s3: S3Client; sqs: SQSClient } {
  return {
    s3: new S3Client(clientSettings(S3_DEADLINES)),
    sqs: createSqsClient(clientSettings(sqsDeadlines(waitSeconds))),
  };
}

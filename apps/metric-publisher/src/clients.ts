import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SQSClient } from "@aws-sdk/client-sqs";
import { clientSettings } from "@icon-fanout/aws-clients";
import type { PublisherClients } from "./publisher.js";

/** A connection to an AWS endpoint takes milliseconds; one that has not opened in a second will not. */
const CONNECT_MS = 1_000;

/**
 * The publisher's clients: every attempt ends at the tick's call budget (`callTimeoutMs`), which
 * also aborts each tick's calls as a whole. Adaptive retries back off (and rate-limit the client)
 * on throttling.
 */
export function createClients(callTimeoutMs: number): PublisherClients {
  const settings = {
    ...clientSettings({
      connectMs: CONNECT_MS,
      idleMs: callTimeoutMs,
      attemptMs: callTimeoutMs,
      maxAttempts: 3,
    }),
    retryMode: "adaptive",
  } as const;
  return {
    // Requests go to the resolved endpoint, not each queue URL's host (no per-call warning against an emulator).
    sqs: new SQSClient({ ...settings, useQueueUrlAsEndpoint: false }),
    ecs: new ECSClient(settings),
    cloudWatch: new CloudWatchClient(settings),
  };
}

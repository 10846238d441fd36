import { SQSClient, type SQSClientConfig } from "@aws-sdk/client-sqs";

/**
 * An SQS client that sends every request to the endpoint the SDK resolves: the region's in AWS,
 * `AWS_ENDPOINT_URL(_SQS)` against an emulator. Without `useQueueUrlAsEndpoint: false` the SDK
 * sends each call to the queue URL's host instead and logs a warning on every call whenever that
 * host differs from the resolved endpoint (as an emulator's queue URLs often do).
 */
export function createSqsClient(config: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ ...config, useQueueUrlAsEndpoint: false });
}

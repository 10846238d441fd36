import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { deadLetterAttributes } from "@icon-fanout/config";
import type { DeadLetterReason, ReceivedMessage, VisibilityChange, WorkQueue } from "../ports.js";
import { LONG_POLL_GRACE_MS } from "./clients.js";

/**
 * The size's queue and its dead-letter queue, through the AWS SDK. Each call ends when its signal
 * aborts; the long poll's attempt also ends `LONG_POLL_GRACE_MS` after its wait.
 */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterQueueUrl: string,
  ) {}

  async receive(max: number, waitSeconds: number, signal: AbortSignal): Promise<ReceivedMessage[]> {
    try {
      const response = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        }),
        { abortSignal: signal, requestTimeout: waitSeconds * 1000 + LONG_POLL_GRACE_MS },
      );
      return (response.Messages ?? []).map((message) => ({
        messageId: message.MessageId ?? "",
        receiptHandle: message.ReceiptHandle ?? "",
        body: message.Body ?? "",
        receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? "1"),
      }));
    } catch (error) {
      if (signal.aborted) return [];
      throw error;
    }
  }

  async delete(messages: ReceivedMessage[], signal: AbortSignal): Promise<string[]> {
    if (messages.length === 0) return [];
    // Entry ids are positions: the same message received twice may sit in one batch.
    const response = await this.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.receiptHandle,
        })),
      }),
      { abortSignal: signal },
    );
    return (response.Failed ?? []).map(
      (failure) => messages[Number(failure.Id)]?.messageId ?? String(failure.Id),
    );
  }

  async changeVisibility(changes: VisibilityChange[], signal: AbortSignal): Promise<string[]> {
    if (changes.length === 0) return [];
    const response = await this.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: changes.map(({ message, seconds }, index) => ({
          Id: String(index),
          ReceiptHandle: message.receiptHandle,
          VisibilityTimeout: seconds,
        })),
      }),
      { abortSignal: signal },
    );
    return (response.Failed ?? []).map(
      (failure) => changes[Number(failure.Id)]?.message.messageId ?? String(failure.Id),
    );
  }

  async deadLetter(message: ReceivedMessage, why: DeadLetterReason, signal: AbortSignal): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MessageBody: message.body,
        MessageAttributes: deadLetterAttributes({
          ...why,
          receiveCount: message.receiveCount,
          sourceMessageId: message.messageId,
        }),
      }),
      { abortSignal: signal },
    );
  }
}

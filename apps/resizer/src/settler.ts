import { withDeadline } from "@icon-fanout/aws-clients";
import type { AckBatcher } from "./ack-batcher.js";
import { type BackoffPolicy, retryDelaySeconds } from "./backoff.js";
import type { MessageResult } from "./handle-message.js";
import type { ReceivedMessage, WorkQueue } from "./ports.js";
import type { ResultsChannel } from "./results/results-channel.js";

/**
 * Applies a message's result to the queue: a retry comes back after its backoff, a dead letter is
 * copied to the DLQ, and both the dead letter and a finished message are deleted (in batches).
 * Its results events are published once its effect is durable and before it is deleted, so a
 * failed publish leaves the message to come back. Each call ends after `callMs`.
 */
export class Settler {
  constructor(
    private readonly queue: WorkQueue,
    private readonly acks: AckBatcher,
    private readonly backoff: BackoffPolicy,
    private readonly callMs: number,
    /** Undefined switches results events off (the benchmark's baseline). */
    private readonly results?: ResultsChannel,
  ) {}

  async settle(message: ReceivedMessage, result: MessageResult): Promise<void> {
    if (result.action === "retry") {
      // A give-up is published before the message is handed back: its next receive moves it to the DLQ.
      await this.results?.publish(message, result);
      const seconds = retryDelaySeconds(message.receiveCount, this.backoff);
      await withDeadline("SQS ChangeMessageVisibilityBatch", this.callMs, undefined, (signal) =>
        this.queue.changeVisibility([{ message, seconds }], signal),
      );
      return;
    }
    if (result.action === "dead-letter")
      await withDeadline("SQS SendMessage (dead letter)", this.callMs, undefined, (signal) =>
        this.queue.deadLetter(message, result, signal),
      );
    await this.results?.publish(message, result);
    this.acks.add(message);
  }
}

/** The fields of the one log line per message. */
export function messageLogFields(
  message: ReceivedMessage,
  result: MessageResult,
  durationMs: number,
  stalled: boolean,
): Record<string, unknown> {
  return {
    messageId: message.messageId,
    receiveCount: message.receiveCount,
    durationMs: Math.round(durationMs),
    action: result.action,
    outcome: result.outcome,
    ...("objects" in result
      ? { objects: result.objects.map(({ outcome, key, ...rest }) => ({ key, outcome, ...rest })) }
      : { key: result.key }),
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.action === "dead-letter"
      ? { code: result.code, ...(result.detail ? { detail: result.detail } : {}) }
      : {}),
    ...(stalled ? { stalled: true } : {}),
  };
}

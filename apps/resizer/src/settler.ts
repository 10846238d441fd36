import { withDeadline } from "@icon-fanout/aws-clients";
import type { AckBatcher } from "./ack-batcher.js";
import { type BackoffPolicy, retryDelaySeconds } from "./backoff.js";
import type { MessageResult } from "./handle-message.js";
import type { ReceivedMessage, WorkQueue } from "./ports.js";

/**
 * Applies a message's result to the queue: a retry comes back after its backoff, a dead letter is
 * copied to the DLQ, and both the dead letter and a finished message are deleted (in batches).
 * Each call ends after `callMs`.
 */
export class Settler {
  constructor(
    private readonly queue: WorkQueue,
    private readonly acks: AckBatcher,
    private readonly backoff: BackoffPolicy,
    private readonly callMs: number,
  ) {}

  async settle(message: ReceivedMessage, result: MessageResult): Promise<void> {
    if (result.action === "retry") {
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

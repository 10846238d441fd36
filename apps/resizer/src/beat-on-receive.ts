import type { Heartbeat } from "@icon-fanout/log/heartbeat";
import type { WorkQueue } from "./ports.js";

/**
 * The worker's queue, beating `heartbeat` whenever SQS answers a receive (with messages or not):
 * the loop is alive and reaches SQS. A receive that fails, never returns, or was aborted (by its
 * deadline, a pause or the stop: it then returns nothing) does not beat.
 */
export function beatOnReceive(queue: WorkQueue, heartbeat: Heartbeat): WorkQueue {
  return {
    async receive(max, waitSeconds, signal) {
      const messages = await queue.receive(max, waitSeconds, signal);
      if (!signal.aborted) heartbeat.beat();
      return messages;
    },
    delete: (messages, signal) => queue.delete(messages, signal),
    changeVisibility: (changes, signal) => queue.changeVisibility(changes, signal),
    deadLetter: (message, reason, signal) => queue.deadLetter(message, reason, signal),
  };
}

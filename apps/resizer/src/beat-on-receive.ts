import type { Heartbeat } from "@icon-fanout/log/heartbeat";
import type { WorkQueue } from "./ports.js";

/**
 * The worker's queue, beating `heartbeat` whenever SQS answers a receive (with messages or not):
 * the loop is alive and reaches SQS. A receive that fails or never returns does not beat.
 */
export function beatOnReceive(queue: WorkQueue, heartbeat: Heartbeat): WorkQueue {
  return {
    async receive(max, waitSeconds, signal) {
      const messages = await queue.receive(max, waitSeconds, signal);
      heartbeat.beat();
      return messages;
    },
    delete: (messages) => queue.delete(messages),
    changeVisibility: (changes) => queue.changeVisibility(changes),
    deadLetter: (message, reason) => queue.deadLetter(message, reason),
  };
}

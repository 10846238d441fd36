import { Heartbeat } from "@icon-fanout/log/heartbeat";
import { describe, expect, it } from "vitest";
import { beatOnReceive } from "./beat-on-receive.js";
import type { WorkQueue } from "./ports.js";

/** A queue whose receives answer or fail as the test says. */
function queueAnswering(answer: () => Promise<[]>): WorkQueue {
  return {
    receive: answer,
    delete: async () => [],
    changeVisibility: async () => [],
    deadLetter: async () => {},
  };
}

describe("beatOnReceive", () => {
  it("beats when SQS answers a receive, even with no messages, and not when the receive fails", async () => {
    let now = 0;
    const heartbeat = new Heartbeat(() => now);
    let fail = false;
    const queue = beatOnReceive(
      queueAnswering(async () => {
        if (fail) throw new Error("connect ECONNREFUSED");
        return [];
      }),
      heartbeat,
    );
    now = 30_000;
    await queue.receive(10, 20, new AbortController().signal);
    expect(heartbeat.ageSeconds()).toBe(0);

    fail = true;
    now = 50_000;
    await expect(queue.receive(10, 20, new AbortController().signal)).rejects.toThrow("ECONNREFUSED");
    expect(heartbeat.ageSeconds()).toBe(20);
  });

  it("does not beat for a receive its deadline aborted, though the queue returns nothing then", async () => {
    let now = 0;
    const heartbeat = new Heartbeat(() => now);
    const deadline = new AbortController();
    const queue = beatOnReceive(
      queueAnswering(async () => {
        deadline.abort(new Error("SQS ReceiveMessage did not finish within 25000 ms"));
        return [];
      }),
      heartbeat,
    );
    now = 25_000;
    await expect(queue.receive(10, 20, deadline.signal)).resolves.toEqual([]);
    expect(heartbeat.ageSeconds()).toBe(25);
  });
});

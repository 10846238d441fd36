import type { LoopbackPeer } from "./loopback-servers.js";

export interface TimedFailure {
  error: Error;
  /** Milliseconds from the call's start to its rejection. */
  sinceStartMs: number;
  /**
   * Milliseconds from its request's arrival at `peer` (the first, if the call retried) to its
   * rejection: time on the wire, without the SDK's one-time set-up on a busy machine.
   */
  sinceRequestMs: number;
}

/** Starts `call` and waits for it to fail; a call that succeeds is a failure of the test. */
export async function timedFailure(call: () => Promise<unknown>, peer?: LoopbackPeer): Promise<TimedFailure> {
  const before = peer?.arrivals.length ?? 0;
  const started = performance.now();
  const error = await call().then(
    () => new Error("the call succeeded"),
    (reason: unknown) => reason as Error,
  );
  const ended = performance.now();
  const arrived = peer?.arrivals[before] ?? started;
  return { error, sinceStartMs: ended - started, sinceRequestMs: ended - arrived };
}

/** Runs the calls one after another against `peer`: their error names, and the slowest time on the wire. */
export async function failuresOf(
  peer: LoopbackPeer,
  calls: (() => Promise<unknown>)[],
): Promise<{ names: string[]; slowestMs: number }> {
  const failures: TimedFailure[] = [];
  for (const call of calls) failures.push(await timedFailure(call, peer));
  return {
    names: failures.map(({ error }) => error.name),
    slowestMs: Math.max(...failures.map(({ sinceRequestMs }) => sinceRequestMs)),
  };
}

/** A seeded pseudo-random generator (mulberry32), so a fault-injection run can be replayed exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A transient AWS-style failure: the SDK would retry it, the worker retries the message. */
export function transientError(
  name = "InternalError",
  message = "We encountered an internal error. Please try again.",
): Error {
  return Object.assign(new Error(message), { name, $fault: "server" });
}

/** A dependency that is down: every request fails at once, or is accepted and never answered. */
export type Outage = "errors" | "black hole";

/**
 * What a request meets during `outage`: a transient error, or no answer at all until its signal
 * aborts (then the abort's reason, as the SDK rejects); a request without a signal waits forever.
 */
export async function meetOutage(outage: Outage | undefined, signal: AbortSignal | undefined): Promise<void> {
  if (outage === undefined) return;
  if (outage === "errors") throw transientError("ServiceUnavailable", "Service is unavailable");
  await new Promise<never>((_resolve, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

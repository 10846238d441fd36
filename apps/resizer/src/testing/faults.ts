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

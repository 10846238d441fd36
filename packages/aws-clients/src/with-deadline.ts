/** A call that outlived the total time its caller gave it. */
export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${ms} ms`);
  }
}

/**
 * Runs `call` with a signal that aborts after `ms`, or as soon as `parent` aborts, and settles by
 * then whatever the call does: the SDK destroys the request's socket on the abort, and a callee
 * that ignored the signal is left behind rather than waited for. The timer runs on the global
 * timers (fake clocks drive it) and is cleared once the call settles, so a response body read
 * inside `call` is bounded too and one read after it is not cut. The deadline's rejection is a
 * DeadlineExceededError; the parent's is its own reason.
 */
export async function withDeadline<T>(
  what: string,
  ms: number,
  parent: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const abort = (reason: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onParentAbort = () => abort(parent?.reason);
  const timer = setTimeout(() => abort(new DeadlineExceededError(what, ms)), ms);
  parent?.addEventListener("abort", onParentAbort, { once: true });
  if (parent?.aborted) onParentAbort();
  const aborted = new Promise<never>((_resolve, reject) => {
    const onAbort = () => reject(controller.signal.reason);
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([call(controller.signal), aborted]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", onParentAbort);
  }
}

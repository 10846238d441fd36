/** How long `call` took to reject, and with what; a call that succeeds is a failure of the test. */
export async function timedFailure(call: Promise<unknown>): Promise<{ ms: number; error: Error }> {
  const started = performance.now();
  const error = await call.then(
    () => new Error("the call succeeded"),
    (reason: unknown) => reason as Error,
  );
  return { ms: performance.now() - started, error };
}

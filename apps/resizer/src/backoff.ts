export interface BackoffPolicy {
  /** Seconds before the first retry. */
  baseSeconds: number;
  /** Seconds no retry waits longer than (SQS allows up to 43200). */
  maxSeconds: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseSeconds: 5, maxSeconds: 300 };

/**
 * Visibility timeout for a message that failed on its `receiveCount`-th delivery: exponential in
 * the receive count, capped, with "equal jitter" (half fixed, half random) so that messages that
 * failed together do not come back together.
 */
export function retryDelaySeconds(
  receiveCount: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  const exponent = Math.max(0, Math.min(receiveCount, 30) - 1);
  const ceiling = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** exponent);
  return Math.min(43200, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}

/**
 * How long one AWS SDK call may take, phase by phase. Every client in every app is built from
 * these (docs/architecture.md, "Faults"): a network that accepts connections and never answers
 * must end each call with an error, never leave it waiting.
 */
export interface CallDeadlines {
  /** Milliseconds to open the TCP (and TLS) connection; the attempt's deadline runs meanwhile too. */
  connectMs: number;
  /** Milliseconds a socket may stay silent, including while a response body streams. */
  idleMs: number;
  /** Milliseconds one attempt may take from its start to the response's headers; the socket is destroyed. */
  attemptMs: number;
  /** Attempts per call, the first included: the SDK retries throttling, 5xx answers and timeouts. */
  maxAttempts: number;
}

/** For calls with small answers (no long poll): a healthy AWS call takes tens of milliseconds. */
export const DEFAULT_CALL_DEADLINES: CallDeadlines = {
  connectMs: 3_000,
  idleMs: 10_000,
  attemptMs: 10_000,
  maxAttempts: 3,
};

/** The `requestHandler` options of @smithy/node-http-handler 4.x that carry the deadlines. */
export interface DeadlineHandlerOptions {
  connectionTimeout: number;
  socketTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: true;
}

/** What a client constructor needs for the deadlines: spread it into the client's config. */
export interface DeadlineClientSettings {
  maxAttempts: number;
  requestHandler: DeadlineHandlerOptions;
}

/**
 * Client settings that end every attempt at its deadlines. `throwOnRequestTimeout` is what makes
 * `requestTimeout` an error: without it the locked handler (4.14) only logs a warning when the
 * time passes and leaves the request open for as long as the peer keeps the socket.
 */
export function clientSettings(deadlines: CallDeadlines = DEFAULT_CALL_DEADLINES): DeadlineClientSettings {
  for (const [name, value] of Object.entries(deadlines)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`call deadline ${name} must be a positive integer, got ${value}`);
  }
  return {
    maxAttempts: deadlines.maxAttempts,
    requestHandler: {
      connectionTimeout: deadlines.connectMs,
      socketTimeout: deadlines.idleMs,
      requestTimeout: deadlines.attemptMs,
      throwOnRequestTimeout: true,
    },
  };
}

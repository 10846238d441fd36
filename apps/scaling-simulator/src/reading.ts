/** What the metric publisher reads for one size on one 10-second tick (docs/architecture.md, Scaling). */
export interface Reading {
  /** Seconds since the start of the run, on a 10-second boundary. */
  readonly at: number;
  /** ApproximateNumberOfMessages. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible. */
  readonly inFlight: number;
  /** The service's running count. */
  readonly running: number;
  /** The service's desired count. */
  readonly desired: number;
}

/** The publisher's tick, and the period of its high-resolution datapoints. */
export const TICK_SECONDS = 10;

/**
 * Settings that the stack file sets and a container reads back from its environment: one range and
 * one default each, so the stack schema cannot accept a value the app would refuse.
 */

export interface IntSetting {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

/** Fargate's longest stop timeout: ECS kills a resizer this long after SIGTERM. */
export const RESIZER_STOP_TIMEOUT_SECONDS = 120;

export const RESIZER_SETTINGS = {
  /** Messages one task works on at once. */
  concurrency: { min: 1, max: 128, default: 32 },
  visibilityTimeoutSeconds: { min: 10, max: 43_200, default: 60 },
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: { min: 1, max: 1000, default: 5 },
  /** Sources larger than this are refused as invalid input. */
  maxSourceBytes: { min: 1024, max: 100 * 1024 * 1024, default: 10 * 1024 * 1024 },
  /** Seconds SIGTERM leaves in-flight work to finish; ends well before the stop timeout. */
  drainSeconds: { min: 1, max: RESIZER_STOP_TIMEOUT_SECONDS - 10, default: 90 },
} satisfies Record<string, IntSetting>;

export const SCALING_SETTINGS = {
  /** Visible messages one task is expected to absorb per evaluation (the scaling metric's divisor). */
  acceptableMessagesPerTask: { min: 1, max: 10_000, default: 5 },
  /**
   * With `minTasks: 0`, one-minute periods of an empty queue before the last task stops; 15, not 3,
   * because `pnpm simulate` showed dev flapping under a trickle (docs/architecture.md, "Choosing the
   * settings"). CloudWatch caps periods × 60 s at one day.
   */
  stopAfterIdleMinutes: { min: 1, max: 1440, default: 15 },
} satisfies Record<string, IntSetting>;

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** Some work failed or timed out (the rest was done). */
  failed: 1,
  /** The command line is wrong. */
  usage: 2,
  /** Nothing was attempted: outputs, credentials or the account are not right for this stack. */
  setup: 3,
} as const;

/** A problem the user must fix before anything can run; its message says what and how. */
export class SetupError extends Error {
  override name = "SetupError";
}

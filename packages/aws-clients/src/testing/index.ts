/** Test support for deadline tests on real loopback sockets. */
export { blackHole, type LoopbackPeer, stallsMidBody, withBlackHole } from "./loopback-servers.js";
export { failuresOf, timedFailure } from "./timed-failure.js";

import type { CallDeadlines } from "../deadlines.js";

/** Deadlines short enough for a test to wait them out: one attempt of 300 ms. */
export const TEST_DEADLINES: CallDeadlines = { connectMs: 200, idleMs: 300, attemptMs: 300, maxAttempts: 1 };

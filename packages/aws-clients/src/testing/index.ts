/** Test support for deadline tests on real loopback sockets. */
export { blackHole, type LoopbackPeer, PeerPool, stallsMidBody, withBlackHole } from "./loopback-servers.js";
export { failuresOf, timedFailure } from "./timed-failure.js";

import type { CallDeadlines } from "../deadlines.js";

/** Deadlines short enough for a test to wait them out: one attempt of 300 ms. */
export const TEST_DEADLINES: CallDeadlines = { connectMs: 300, idleMs: 300, attemptMs: 300, maxAttempts: 1 };

/** Region and credentials that let the SDK sign requests to a loopback peer. */
export const LOOPBACK_CLIENT = {
  region: "eu-west-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
};

/** Room for a loaded 2-core machine over a deadline of a few hundred milliseconds. */
export const MARGIN_MS = 1_500;

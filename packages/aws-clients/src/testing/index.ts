/** Test support for deadline tests on real loopback sockets. */
export { blackHole, type LoopbackPeer, stallsMidBody } from "./loopback-servers.js";
export { timedFailure } from "./timed-failure.js";

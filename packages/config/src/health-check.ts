/**
 * The container health check both apps serve and ECS runs (docs/architecture.md, "Health
 * checks"): each app's loop beats a heartbeat, a loopback endpoint tells its age, and
 * `node dist/health.js` fails once it is older than `staleAfterSeconds`.
 */
export const HEALTH_CHECK = {
  /** Loopback port of the heartbeat endpoint inside the task (awsvpc: the task's own loopback). */
  port: 8090,
  path: "/heartbeat",
  /** Overrides `port` where several apps share one host (the local stack sets 0: any free port). */
  portVariable: "HEARTBEAT_PORT",
  /** Three long polls (20 s each) with no answer, or six metric ticks (10 s) that never finished. */
  staleAfterSeconds: 60,
  /** The check's own wait for the endpoint, under ECS's timeout so a hung app fails the check cleanly. */
  requestTimeoutMs: 3_000,
  /** ECS's schedule; AWS allows interval 5-300 s, timeout 2-60 s, retries 1-10, start period 0-300 s. */
  intervalSeconds: 15,
  timeoutSeconds: 5,
  retries: 3,
  startPeriodSeconds: 30,
  /** Run in the container's working directory (/app), as each Dockerfile's CMD is. */
  command: ["CMD", "node", "dist/health.js"],
} as const;

/** The heartbeat port from `environment`, or the default; throws naming the variable when it is not a port. */
export function heartbeatPort(environment: Record<string, string | undefined>): number {
  const raw = environment[HEALTH_CHECK.portVariable];
  if (raw === undefined || raw === "") return HEALTH_CHECK.port;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535)
    throw new RangeError(`${HEALTH_CHECK.portVariable}: must be a port from 0 to 65535 (got "${raw}")`);
  return port;
}

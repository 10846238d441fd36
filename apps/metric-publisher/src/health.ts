#!/usr/bin/env node
/** ECS's container health check (HEALTH_CHECK.command): exits 0 while the app's tick loop makes progress. */
import { HEALTH_CHECK, heartbeatPort } from "@icon-fanout/config/health-check";
import { runHeartbeatCheck } from "@icon-fanout/log/heartbeat";

process.exitCode = await runHeartbeatCheck(process.argv.slice(2), {
  ...HEALTH_CHECK,
  port: heartbeatPort(process.env),
});

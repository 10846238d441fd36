#!/usr/bin/env node
/**
 * The metric publisher: every 10 s, on the wall-clock boundary, reads every size's queue and
 * service and publishes the scaling metric target tracking holds at 100 (docs/architecture.md, "Scaling").
 *
 *   metric-publisher            run until SIGTERM
 *   metric-publisher --check    validate the environment and exit (container health, bundle test)
 */
import { EnvironmentError, LOCAL_STACK_FILE_VARIABLE, metricPublisherEnvironment } from "@icon-fanout/config";
import { HEALTH_CHECK, heartbeatPort } from "@icon-fanout/config/health-check";
import { createLogger, type Logger } from "@icon-fanout/log";
import { Heartbeat, startHeartbeatEndpoint } from "@icon-fanout/log/heartbeat";
import { createClients } from "./clients.js";
import { localMode } from "./local-mode.js";
import { MetricPublisher } from "./publisher.js";
import { Ticker } from "./ticker.js";

/** Share of the tick period the AWS calls of one tick may take before they are aborted. */
const CALL_BUDGET = 0.6;

async function main(argv: string[]): Promise<number> {
  let env: ReturnType<typeof metricPublisherEnvironment.parse>;
  try {
    env = metricPublisherEnvironment.parse(process.env);
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    createLogger().error("invalid environment", { problems: error.problems });
    return 1;
  }
  const log = createLogger({ level: env.logLevel, fields: { app: "metric-publisher" } });
  const localStackFile = process.env[LOCAL_STACK_FILE_VARIABLE];
  const periodMs = env.tickSeconds * 1000;
  const callTimeoutMs = Math.round(periodMs * CALL_BUDGET);
  const clients = createClients(callTimeoutMs);

  if (argv.includes("--check")) {
    log.info("check passed", {
      cluster: env.clusterName,
      sizes: env.scalingTargets.map((target) => target.size),
      namespace: env.metricNamespace,
      tickSeconds: env.tickSeconds,
    });
    return 0;
  }

  const publisher = new MetricPublisher({
    clients,
    clusterName: env.clusterName,
    targets: env.scalingTargets,
    namespace: env.metricNamespace,
    acceptableMessagesPerTask: env.acceptableMessagesPerTask,
    callTimeoutMs,
    ...(localStackFile ? { local: localMode(localStackFile) } : {}),
  });
  // The loop's progress for ECS's health check: a tick that finished (its calls are bounded by callTimeoutMs).
  const heartbeat = new Heartbeat();
  await startHeartbeatEndpoint(heartbeat, { port: heartbeatPort(process.env), path: HEALTH_CHECK.path }, log);
  const ticker = new Ticker(
    periodMs,
    (at) => tickAndLog(publisher, at, log).finally(() => heartbeat.beat()),
    {
      onSkip: (at, since) =>
        log.warn("tick skipped", {
          at: at.toISOString(),
          reason: `previous tick still running since ${since.toISOString()}`,
        }),
    },
  );

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info("stopping", { signal });
      void ticker.stop().then(resolve);
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
    log.info("started", {
      sizes: env.scalingTargets.map((target) => target.size),
      tickSeconds: env.tickSeconds,
      ...(localStackFile ? { localStackFile } : {}),
    });
    ticker.start();
  });
  log.info("stopped");
  return 0;
}

async function tickAndLog(publisher: MetricPublisher, at: Date, log: Logger): Promise<void> {
  try {
    const summary = await publisher.tick(at);
    const degraded = summary.publishFailure !== undefined || Object.keys(summary.skipped).length > 0;
    (degraded ? log.warn : log.info)("tick", { ...summary });
  } catch (error) {
    log.error("tick failed", { at: at.toISOString(), error });
  }
}

process.exitCode = await main(process.argv.slice(2));

import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  localAwsEnvironment,
  sampleEnvironments,
  withSilentEndpoint,
} from "../../../scripts/production-bundle.mjs";
import { withBusySqs } from "./busy-sqs.js";
import { asOnEcs, buildImages, podman, podmanSync } from "./podman.js";

/**
 * The container health check as ECS runs it (the task definition's command, retries and a
 * scaled-down schedule), on the real images: podman here has no systemd to run checks on a timer,
 * so the test runs `podman healthcheck run` every INTERVAL_SECONDS itself, as ECS's agent would.
 */
const INTERVAL_SECONDS = 2;
const RETRIES = 3;
/** The heartbeat limit for these runs (60 s in the task definition). */
const STALE_AFTER_SECONDS = 4;

const tags = new Map<string, string>();
let running: string | undefined;

beforeAll(async () => {
  for (const image of await buildImages(["resizer", "metric-publisher"])) tags.set(image.app, image.tag);
});
afterEach(() => {
  if (running) podmanSync(["rm", "--force", "--time", "0", running]);
  running = undefined;
});

/** Starts the image detached with the heartbeat check, and waits for its "started" line. */
async function start(
  app: "resizer" | "metric-publisher",
  environment: Record<string, string>,
): Promise<string> {
  const name = `icon-fanout-health-test-${app}-${process.pid}`;
  podmanSync(["rm", "--force", "--time", "0", name]);
  const run = podmanSync([
    "run",
    "--detach",
    "--name",
    name,
    "--health-cmd",
    JSON.stringify(["node", "dist/health.js", "--stale-after", String(STALE_AFTER_SECONDS)]),
    "--health-interval",
    "disable",
    "--health-retries",
    String(RETRIES),
    "--health-timeout",
    "5s",
    ...asOnEcs(environment).filter((option) => option !== "--rm"),
    tags.get(app) ?? `missing image of ${app}`,
  ]);
  expect(run.status, run.stderr).toBe(0);
  running = name;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (podmanSync(["logs", name]).stdout.includes('"msg":"started"')) return name;
    await sleep(100);
  }
  throw new Error(`${app} did not start:\n${podmanSync(["logs", name]).stdout}`);
}

interface Check {
  atSeconds: number;
  passed: boolean;
  status: string;
  output: string;
}

/** Runs the check every INTERVAL_SECONDS, `count` times or until the container is unhealthy. */
async function checkEvery(name: string, count: number): Promise<Check[]> {
  const started = performance.now();
  const checks: Check[] = [];
  for (let n = 0; n < count; n += 1) {
    await sleep(INTERVAL_SECONDS * 1000);
    const run = podmanSync(["healthcheck", "run", name]);
    // podman prints only the verdict; the check's own line is in the container's health log.
    const health = JSON.parse(podman(["inspect", "--format", "{{json .State.Health}}", name])) as {
      Status: string;
      Log?: { Output: string }[];
    };
    checks.push({
      atSeconds: (performance.now() - started) / 1000,
      passed: run.status === 0,
      status: health.Status,
      output: health.Log?.at(-1)?.Output ?? "",
    });
    if (health.Status === "unhealthy") break;
  }
  return checks;
}

/** The check by which a loop that stopped at the start must be unhealthy: the limit, then RETRIES failures. */
const UNHEALTHY_BY_CHECK = Math.ceil(STALE_AFTER_SECONDS / INTERVAL_SECONDS) + RETRIES;
/** Checks a healthy container must pass: as many as it takes a stopped one to turn unhealthy, and one more. */
const CHECKS = UNHEALTHY_BY_CHECK + 1;

describe("the container health check ECS runs", () => {
  it("a resizer whose network black-holes turns unhealthy within the limit plus interval × retries", async () => {
    await withSilentEndpoint(async (endpoint) => {
      const name = await start("resizer", {
        ...localAwsEnvironment(endpoint),
        ...sampleEnvironments.resizer,
      });
      const checks = await checkEvery(name, CHECKS + 2);
      const report = JSON.stringify(checks, null, 2);
      // Healthy at first (the check can pass), unhealthy once the heartbeat is older than the limit.
      expect(checks[0]?.passed, report).toBe(true);
      expect(checks.at(-1)?.status, report).toBe("unhealthy");
      expect(checks.at(-1)?.output, report).toMatch(/unhealthy: heartbeat \d+\.\d s old \(limit 4 s\)/);
      expect(checks.length, report).toBeLessThanOrEqual(UNHEALTHY_BY_CHECK);
      process.stdout.write(
        `black-holed resizer unhealthy at check ${checks.length}, ${checks.at(-1)?.atSeconds.toFixed(1)} s after it started\n`,
      );
    });
  });

  it("a busy resizer stays healthy", async () => {
    await withBusySqs(async (endpoint, deleted) => {
      const name = await start("resizer", {
        ...localAwsEnvironment(endpoint),
        ...sampleEnvironments.resizer,
      });
      const checks = await checkEvery(name, CHECKS);
      const report = JSON.stringify(checks, null, 2);
      expect(
        checks.map((check) => check.passed),
        report,
      ).toEqual(Array(CHECKS).fill(true));
      expect(checks.at(-1)?.status, report).toBe("healthy");
      expect(deleted()).toBeGreaterThan(100);
    });
  });

  it("a metric publisher whose calls hang still ticks (each call is bounded) and stays healthy; frozen, it turns unhealthy", async () => {
    await withSilentEndpoint(async (endpoint) => {
      const name = await start("metric-publisher", {
        ...localAwsEnvironment(endpoint),
        ...sampleEnvironments["metric-publisher"],
        TICK_SECONDS: "1",
      });
      const ticking = await checkEvery(name, CHECKS);
      expect(
        ticking.map((check) => check.passed),
        JSON.stringify(ticking, null, 2),
      ).toEqual(Array(CHECKS).fill(true));

      // SIGSTOP to node (the init's child) from the host: its loop, and its heartbeat endpoint, stop.
      const initPid = podman(["inspect", "--format", "{{.State.Pid}}", name]).trim();
      const [nodePid] = readFileSync(`/proc/${initPid}/task/${initPid}/children`, "utf8").trim().split(/\s+/);
      process.kill(Number(nodePid), "SIGSTOP");
      const frozen = await checkEvery(name, CHECKS + 2);
      process.kill(Number(nodePid), "SIGCONT");
      const report = JSON.stringify(frozen, null, 2);
      // A frozen app cannot answer: every check fails at once, and the RETRIES-th makes it unhealthy.
      expect(
        frozen.map((check) => check.passed),
        report,
      ).toEqual(Array(RETRIES).fill(false));
      expect(frozen.at(-1)?.status, report).toBe("unhealthy");
      expect(frozen.at(-1)?.output, report).toContain("no answer within 3000 ms");
    });
  });
});

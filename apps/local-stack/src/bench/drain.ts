#!/usr/bin/env node
/**
 * `pnpm bench` for the local stack: the real workers on the emulator, on this machine.
 *
 *   - the time to drain a burst of 1,000 uploads (the repository's test icons, cycled) with one
 *     and with two workers per size,
 *     and each worker's icons/s while it drains;
 *   - how long a worker takes to exit after SIGTERM in the middle of a burst.
 *
 * Writes the figures as JSON to the path given (default bench/local-stack.json) and prints them.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { loadIcons } from "@icon-fanout/test-icons";
import { type RunningLocalStack, startLocalStack } from "../local-stack.js";
import { emulatorClients, queuedMessages } from "../provision.js";

const ROOT = resolve(fileURLToPath(new URL("../../../../", import.meta.url)));
const BURST = 1000;
const UPLOAD_LANES = 16;

/** `count` uploads cycling through the repository's real icons (96 and 128 px PNGs). */
function icons(count: number): Buffer[] {
  const real = loadIcons().map((icon) => icon.bytes);
  return Array.from({ length: count }, (_, n) => real[n % real.length] as Buffer);
}

async function upload(local: RunningLocalStack, prefix: string, bodies: Buffer[]): Promise<void> {
  const { s3 } = emulatorClients(local.emulator.endpoint, local.plan.region);
  let next = 0;
  await Promise.all(
    Array.from({ length: UPLOAD_LANES }, async () => {
      while (next < bodies.length) {
        const index = next++;
        await s3.send(
          new PutObjectCommand({
            Bucket: local.plan.bucket,
            Key: `icons/${prefix}/${index}.png`,
            Body: bodies[index],
          }),
        );
      }
    }),
  );
}

/** Resolves when every size's queue has had nothing waiting or in flight twice in a row (bounded by `timeoutMs`). */
async function drained(local: RunningLocalStack, timeoutMs: number): Promise<void> {
  const { sqs } = emulatorClients(local.emulator.endpoint, local.plan.region);
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 2) {
    if (Date.now() > deadline) throw new Error(`queues not drained within ${timeoutMs / 1000} s`);
    await local.notifier.flush();
    const depths = await Promise.all(
      local.state.outputs.sizes.map((size) => queuedMessages(sqs, size.queueUrl)),
    );
    quiet = depths.every((depth) => depth === 0) ? quiet + 1 : 0;
    await new Promise((done) => setTimeout(done, 100));
  }
}

interface WorkerRate {
  worker: string;
  resized: number;
  iconsPerSecond: number;
}

/** Per worker process: icons resized and the rate between its first and last resize. */
function rates(local: RunningLocalStack, prefix: string): WorkerRate[] {
  return local.plan.services
    .filter((service) => service.app === "resizer")
    .flatMap((service) => local.processes.logFiles(service.name))
    .map((file) => {
      const times = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.includes('"outcome":"resized"') && line.includes(`icons/${prefix}/`))
        .map((line) => Date.parse((JSON.parse(line) as { time: string }).time));
      const seconds = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : Number.NaN;
      return {
        worker: file.split("/").at(-1)?.replace(".log", "") ?? file,
        resized: times.length,
        iconsPerSecond: Math.round(times.length / seconds),
      };
    });
}

async function withStack<T>(
  synthFile: string,
  workers: number,
  work: (local: RunningLocalStack) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "local-stack-bench-"));
  const local = await startLocalStack({ synthFile, stateDir: dir, repoRoot: ROOT, workersPerSize: workers });
  try {
    // Let every worker load sharp and start polling before the clock starts.
    await new Promise((done) => setTimeout(done, 2_000));
    return await work(local);
  } finally {
    await local.stop(30_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function drainRun(synthFile: string, workers: number, bodies: Buffer[]) {
  return withStack(synthFile, workers, async (local) => {
    const started = performance.now();
    await upload(local, "burst", bodies);
    const uploadedSeconds = (performance.now() - started) / 1000;
    await drained(local, 600_000);
    const drainSeconds = (performance.now() - started) / 1000;
    return {
      workersPerSize: workers,
      uploads: bodies.length,
      uploadSeconds: round(uploadedSeconds),
      drainSeconds: round(drainSeconds),
      workers: rates(local, "burst"),
    };
  });
}

async function sigtermRun(synthFile: string, bodies: Buffer[]) {
  return withStack(synthFile, 1, async (local) => {
    const service = local.state.outputs.sizes[0]?.serviceName ?? "";
    const [worker] = local.processes.running(service);
    if (!worker) throw new Error(`no worker for ${service}`);
    const uploading = upload(local, "sigterm", bodies);
    const [file] = local.processes.logFiles(service);
    const deadline = Date.now() + 60_000;
    while (
      readFileSync(file ?? "", "utf8").split('"outcome":"resized"').length < 100 &&
      Date.now() < deadline
    )
      await new Promise((done) => setTimeout(done, 20));
    const signalled = performance.now();
    const exit = await local.processes.stop(worker, "SIGTERM");
    const exitSeconds = (performance.now() - signalled) / 1000;
    await uploading;
    return { worker: worker.id, exitCode: exit.code, exitSeconds: round(exitSeconds, 3) };
  });
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? join(ROOT, "bench/local-stack.json"));
  const dir = mkdtempSync(join(tmpdir(), "local-stack-synth-"));
  const synthFile = join(dir, "dev.json");
  execFileSync(
    process.execPath,
    [join(ROOT, "infra/dist/synth/cli.js"), "dev", "--json", synthFile, "--quiet"],
    { cwd: ROOT },
  );
  const bodies = icons(BURST);
  const one = await drainRun(synthFile, 1, bodies);
  const two = await drainRun(synthFile, 2, bodies);
  const sigterm = await sigtermRun(synthFile, bodies.slice(0, 300));
  rmSync(dir, { recursive: true, force: true });

  const result = {
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
    drain: [one, two],
    sigterm,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  for (const run of [one, two]) {
    process.stdout.write(
      `${run.uploads} uploads, ${run.workersPerSize} worker(s) per size: uploaded in ${run.uploadSeconds} s, drained in ${run.drainSeconds} s\n` +
        run.workers.map((w) => `  ${w.worker}: ${w.resized} icons, ${w.iconsPerSecond} icons/s\n`).join(""),
    );
  }
  process.stdout.write(
    `SIGTERM mid-burst: ${sigterm.worker} exited ${sigterm.exitCode} after ${sigterm.exitSeconds} s\nwrote ${out}\n`,
  );
}

await main();

/** The fault suite's stack: one size, its worker reaching S3 and SQS through a fault proxy each. */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { outputKey, outputPrefixFor } from "@icon-fanout/config";
import sharp from "sharp";
import { expect } from "vitest";
import type { AppProcess } from "../app-processes.js";
import type { Fault } from "../fault-proxy/fault.js";
import { type FaultProxy, startFaultProxy } from "../fault-proxy/fault-proxy.js";
import { type E2eStack, REPO_ROOT, serviceOf, startE2eStack } from "./harness.js";

/** The workers' drain: SIGTERM must end a worker within this plus EXIT_MARGIN_SECONDS. */
export const DRAIN_SECONDS = 5;
/** Time to release unfinished work, flush deletes and exit after the drain deadline. */
export const EXIT_MARGIN_SECONDS = 4;
const SIZE = 16;

/** What one scenario measured; written to .test-results/ and printed. */
export interface ScenarioResult {
  scenario: string;
  fault: string;
  /** From the heal (or the restart) to the last output written; 0 when all were written before it. */
  recoverySeconds: number;
  /** From SIGTERM to the worker's exit. */
  sigtermExitSeconds: number;
  outputs: number;
  deadLettered: number;
}

export interface FaultBench {
  stack: E2eStack;
  /** The size queue's visibility timeout (and the workers'). */
  visibilityTimeoutSeconds: number;
  s3Proxy: FaultProxy;
  sqsProxy: FaultProxy;
  /** Starts a worker of the size whose S3 and SQS calls go through the proxies. */
  startWorker(): AppProcess;
  /** Applies `fault` to both proxies. */
  setBoth(fault: Fault): Promise<void>;
  /** Heals both proxies and returns when (performance.now()). */
  heal(): Promise<number>;
  /**
   * Waits for the outputs (the recovery ends when the last is written), stops the worker with
   * SIGTERM, checks its exit in time and that nothing was dead-lettered, and records the scenario.
   */
  finish(run: {
    scenario: string;
    fault: string;
    worker: AppProcess;
    sources: Map<string, Buffer>;
    healedAt: number;
    deadLettersBefore: number;
    recoveryMs: number;
  }): Promise<void>;
  /** SIGTERM, then the exit code and seconds it took; SIGKILL only after 60 s. */
  sigterm(worker: AppProcess): Promise<{ code: number | null; seconds: number }>;
  /** SIGKILL, as an out-of-memory kill or a lost host ends a task. */
  kill9(worker: AppProcess): Promise<void>;
  /** `count` distinct small PNGs under icons/<scenario>/. */
  icons(scenario: string, count: number): Promise<Map<string, Buffer>>;
  upload(icons: Map<string, Buffer>): Promise<void>;
  /** Waits until exactly these sources of the scenario have an output, and returns when the last appeared (performance.now()). */
  outputsWritten(scenario: string, sources: Map<string, Buffer>, timeoutMs: number): Promise<number>;
  deadLetters(): Promise<number>;
  /** The parsed log lines of one worker process. */
  logOf(worker: AppProcess): Record<string, unknown>[];
  record(result: ScenarioResult): void;
  /** Prints the results table and writes it to apps/local-stack/.test-results/<file>.json. */
  report(file: string): void;
  stop(): Promise<void>;
}

const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex");
const seconds = (fromMs: number, toMs = performance.now()) => Math.round(Math.max(0, toMs - fromMs)) / 1000;

export { seconds };

/** A stack of one size whose queue has `visibilityTimeoutSeconds`, and no worker until a scenario starts one. */
export async function startFaultBench(visibilityTimeoutSeconds: number): Promise<FaultBench> {
  const stack = await startE2eStack({ iconSizes: [SIZE], visibilityTimeoutSeconds, workersPerSize: 0 });
  const [s3Proxy, sqsProxy] = await Promise.all([
    startFaultProxy({ upstream: stack.local.emulator.endpoint }),
    startFaultProxy({ upstream: stack.local.emulator.endpoint }),
  ]);
  const service = serviceOf(stack.local, SIZE);
  const entry = stack.local.state.outputs.sizes.find((candidate) => candidate.size === SIZE);
  if (!entry) throw new Error(`the stack has no size ${SIZE}`);
  const prefix = outputPrefixFor(SIZE, stack.local.state.outputs.keyLayout);
  const results: ScenarioResult[] = [];

  /**
   * A stopped worker's long polls go on in the emulator and would take the next messages for a
   * visibility timeout; one message ends them all (fauxqs wakes every waiting poll for it). An
   * s3:TestEvent is what it sends: a worker deletes it as nothing to do.
   */
  const endStalePolls = () =>
    stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: entry.queueUrl,
        MessageBody: JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: stack.bucket }),
      }),
    );

  const bench: FaultBench = {
    stack,
    visibilityTimeoutSeconds,
    s3Proxy,
    sqsProxy,
    startWorker: () =>
      stack.local.startProcess(service, {
        AWS_ENDPOINT_URL_S3: s3Proxy.endpoint,
        AWS_ENDPOINT_URL_SQS: sqsProxy.endpoint,
        DRAIN_SECONDS: String(DRAIN_SECONDS),
      }),
    async sigterm(worker) {
      const signalled = performance.now();
      const exit = await stack.local.processes.stop(worker, "SIGTERM", 60_000);
      const took = seconds(signalled);
      await endStalePolls();
      return { code: exit.code, seconds: took };
    },
    async setBoth(fault) {
      await Promise.all([s3Proxy.set(fault), sqsProxy.set(fault)]);
    },
    async heal() {
      await Promise.all([s3Proxy.heal(), sqsProxy.heal()]);
      return performance.now();
    },
    async finish(run) {
      const writtenAt = await bench.outputsWritten(run.scenario, run.sources, run.recoveryMs);
      const exit = await bench.sigterm(run.worker);
      expect(exit.code, `${run.scenario}: exit code after SIGTERM`).toBe(0);
      expect(exit.seconds, `${run.scenario}: seconds from SIGTERM to exit`).toBeLessThan(
        DRAIN_SECONDS + EXIT_MARGIN_SECONDS,
      );
      const deadLettered = (await bench.deadLetters()) - run.deadLettersBefore;
      expect(deadLettered, `${run.scenario}: dead letters`).toBe(0);
      bench.record({
        scenario: run.scenario,
        fault: run.fault,
        recoverySeconds: seconds(run.healedAt, writtenAt),
        sigtermExitSeconds: exit.seconds,
        outputs: run.sources.size,
        deadLettered,
      });
    },
    async kill9(worker) {
      await stack.local.processes.stop(worker, "SIGKILL");
      await endStalePolls();
    },
    async icons(scenario, count) {
      const icons = new Map<string, Buffer>();
      for (let n = 0; n < count; n += 1) {
        const png = await sharp({
          create: {
            width: 40,
            height: 24,
            channels: 4,
            background: { r: (n * 9) % 256, g: (scenario.length * 37) % 256, b: 90, alpha: 1 },
          },
        })
          .png()
          .toBuffer();
        icons.set(`icons/${scenario}/${String(n).padStart(2, "0")}.png`, png);
      }
      return icons;
    },
    async upload(icons) {
      await Promise.all([...icons].map(([key, png]) => stack.put(key, png)));
    },
    async outputsWritten(scenario, sources, timeoutMs) {
      const wanted = [...sources.keys()].map((key) => outputKey(key, SIZE)).sort();
      const deadline = performance.now() + timeoutMs;
      let found: string[] = [];
      while (performance.now() < deadline) {
        const listed = await stack.s3.send(
          new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: `${prefix}${scenario}/` }),
        );
        found = (listed.Contents ?? []).map((object) => object.Key as string).sort();
        if (found.length >= wanted.length) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const writtenAt = performance.now();
      expect(found, `outputs of ${scenario}`).toEqual(wanted);
      for (const [key, png] of sources) {
        const got = await stack.s3.send(
          new HeadObjectCommand({ Bucket: stack.bucket, Key: outputKey(key, SIZE) }),
        );
        expect(got.Metadata?.["source-etag"], key).toBe(md5(png));
      }
      return writtenAt;
    },
    deadLetters: () => stack.deadLetters(SIZE),
    logOf(worker) {
      const file = `${worker.id.replace("#", "-")}.log`;
      return stack.local.processes
        .logFiles(service)
        .filter((path) => path.endsWith(`/${file}`))
        .flatMap((path) =>
          readFileSync(path, "utf8")
            .split("\n")
            .filter((line) => line.startsWith("{"))
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        );
    },
    record(result) {
      results.push(result);
    },
    report(file) {
      const lines = results.map(
        (r) =>
          `${r.scenario.padEnd(22)} ${r.fault.padEnd(44)} ${r.recoverySeconds.toFixed(2).padStart(8)} s ${r.sigtermExitSeconds.toFixed(2).padStart(6)} s ${String(r.outputs).padStart(4)} ${String(r.deadLettered).padStart(4)}`,
      );
      process.stdout.write(
        `${"scenario".padEnd(22)} ${"fault".padEnd(44)} ${"recovery".padStart(10)} ${"SIGTERM".padStart(8)} ${"outs".padStart(4)} ${"dlq".padStart(4)}\n${lines.join("\n")}\n`,
      );
      const dir = join(REPO_ROOT, "apps/local-stack/.test-results");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${file}.json`), `${JSON.stringify(results, null, 2)}\n`);
    },
    async stop() {
      await Promise.all([s3Proxy.heal(), sqsProxy.heal()]);
      await stack.stop();
      await Promise.all([s3Proxy.close(), sqsProxy.close()]);
    },
  };
  return bench;
}

/** The end-to-end suite's stack: `pnpm local`'s pieces with the real apps, on 127.0.0.1, in a temporary directory. */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { outputPrefixFor } from "@icon-fanout/config";
import { vi } from "vitest";
import { type LocalStackOptions, type RunningLocalStack, startLocalStack } from "../local-stack.js";
import { emulatorClients, queuedMessages } from "../provision.js";

const run = promisify(execFile);
export const REPO_ROOT = new URL("../../../../", import.meta.url).pathname;

export interface E2eStack {
  local: RunningLocalStack;
  s3: S3Client;
  sqs: SQSClient;
  bucket: string;
  sizes: number[];
  /** Runs the real iconctl against this stack; never throws on a non-zero exit. */
  iconctl(
    args: string[],
    environment?: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts the real iconctl against this stack and returns its process (to signal it). */
  spawnIconctl(args: string[], environment?: Record<string, string>): ChildProcess;
  put(key: string, body: Uint8Array | string): Promise<void>;
  remove(key: string): Promise<void>;
  /** Every object under the output prefixes, by key. */
  outputs(): Promise<Map<string, { body: Buffer; contentType?: string; metadata: Record<string, string> }>>;
  /** Waits until every notification is published and every queue is empty (nothing waiting, nothing in flight). */
  settled(timeoutMs?: number): Promise<void>;
  /** Messages in a size's dead-letter queue. */
  deadLetters(size: number): Promise<number>;
  /**
   * Stops the size's workers and starts as many with the stack's environment plus `environment`.
   * It then waits out the long-poll wait: a stopped worker's aborted receives stay open on the
   * server until it ends and would hide the next messages for the visibility timeout (SQS does the same).
   */
  replaceWorkers(size: number, environment: Record<string, string>): Promise<void>;
  /** Every log line the size's resizer processes wrote, parsed. */
  logs(service: string): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Renders the dev stack once per test file, as `pnpm synth dev` does, into a temporary file. */
async function synthDev(dir: string): Promise<string> {
  const file = join(dir, "dev.json");
  await run(
    process.execPath,
    [join(REPO_ROOT, "infra/dist/synth/cli.js"), "dev", "--json", file, "--quiet"],
    {
      cwd: REPO_ROOT,
    },
  );
  return file;
}

/** Stack settings a test file changes from the real Pulumi.dev.yaml. */
export interface DevOverrides {
  /** Sizes in place of the dev stack file's. */
  iconSizes?: number[];
  /** The resizer queues' visibility timeout (and the workers' VISIBILITY_TIMEOUT_SECONDS). */
  visibilityTimeoutSeconds?: number;
}

/** Replaces the one line of `file` that `line` matches, or throws naming the setting. */
function replaceLine(file: string, line: RegExp, setting: string, replacement: string): string {
  if (!line.test(file)) throw new Error(`infra/Pulumi.dev.yaml has no ${setting} line`);
  return file.replace(line, replacement);
}

/**
 * Renders the dev stack with other settings: the real program, from a project folder whose
 * Pulumi.yaml points at infra/ and whose Pulumi.dev.yaml is the real one with those lines changed.
 */
async function synthDevWith(dir: string, overrides: DevOverrides): Promise<string> {
  const project = join(dir, "project");
  mkdirSync(project);
  writeFileSync(
    join(project, "Pulumi.yaml"),
    `name: icon-fanout\nmain: ${relative(project, join(REPO_ROOT, "infra"))}\nstackConfigDir: .\n`,
  );
  let stackFile = readFileSync(join(REPO_ROOT, "infra/Pulumi.dev.yaml"), "utf8");
  if (overrides.iconSizes)
    stackFile = replaceLine(
      stackFile,
      /^ {2}icon-fanout:iconSizes: .*$/m,
      "icon-fanout:iconSizes",
      `  icon-fanout:iconSizes: [${overrides.iconSizes.join(", ")}]`,
    );
  if (overrides.visibilityTimeoutSeconds !== undefined)
    stackFile = replaceLine(
      stackFile,
      /^ {4}visibilityTimeoutSeconds: .*$/m,
      "resizer visibilityTimeoutSeconds",
      `    visibilityTimeoutSeconds: ${overrides.visibilityTimeoutSeconds}`,
    );
  writeFileSync(join(project, "Pulumi.dev.yaml"), stackFile);
  const file = join(dir, "dev.json");
  const synth = pathToFileURL(join(REPO_ROOT, "infra/dist/synth/synthesize.js")).href;
  await run(
    process.execPath,
    [
      "--input-type=module",
      "--eval",
      `import { writeFileSync } from "node:fs";
       import { stableJson, synthesize } from ${JSON.stringify(synth)};
       const { document } = await synthesize(${JSON.stringify(project)}, "dev");
       writeFileSync(${JSON.stringify(file)}, stableJson(document));`,
    ],
    { cwd: REPO_ROOT },
  );
  return file;
}

export async function startE2eStack(
  options: Pick<LocalStackOptions, "workersPerSize" | "environmentFor" | "autoscale"> & DevOverrides = {},
): Promise<E2eStack> {
  const dir = mkdtempSync(join(tmpdir(), "local-stack-e2e-"));
  const { iconSizes, visibilityTimeoutSeconds, ...stackOptions } = options;
  const changed = iconSizes !== undefined || visibilityTimeoutSeconds !== undefined;
  const local = await startLocalStack({
    synthFile: changed
      ? await synthDevWith(dir, { iconSizes, visibilityTimeoutSeconds })
      : await synthDev(dir),
    stateDir: join(dir, "state"),
    repoRoot: REPO_ROOT,
    ...stackOptions,
  });
  const { s3, sqs } = emulatorClients(local.emulator.endpoint, local.plan.region);
  const bucket = local.plan.bucket;
  const sizes = local.state.outputs.sizes.map((size) => size.size);
  const queueUrls = local.state.outputs.sizes.map((size) => size.queueUrl);
  const depth = (queueUrl: string) => queuedMessages(sqs, queueUrl);

  const iconctlArguments = (args: string[]) => [
    join(REPO_ROOT, "apps/iconctl/dist/main.js"),
    ...args,
    "--stack",
    "dev",
    "--local",
    local.stackFile,
  ];

  return {
    local,
    s3,
    sqs,
    bucket,
    sizes,
    async iconctl(args, environment = {}) {
      try {
        const { stdout, stderr } = await run(process.execPath, iconctlArguments(args), {
          cwd: REPO_ROOT,
          timeout: 120_000,
          env: { ...process.env, ...environment },
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const {
          code,
          stdout = "",
          stderr = "",
        } = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof code === "number" ? code : 1, stdout, stderr };
      }
    },
    spawnIconctl(args, environment = {}) {
      return spawn(process.execPath, iconctlArguments(args), {
        cwd: REPO_ROOT,
        env: { ...process.env, ...environment },
        stdio: ["ignore", "pipe", "pipe"],
      });
    },
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async outputs() {
      const found = new Map<
        string,
        { body: Buffer; contentType?: string; metadata: Record<string, string> }
      >();
      for (const size of sizes) {
        let token: string | undefined;
        for (let page = 0; page < 100; page += 1) {
          const listed = await s3.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: outputPrefixFor(size, local.state.outputs.keyLayout),
              ContinuationToken: token,
            }),
          );
          for (const object of listed.Contents ?? []) {
            const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
            found.set(object.Key as string, {
              body: Buffer.from(await (got.Body?.transformToByteArray() ?? new Uint8Array())),
              ...(got.ContentType ? { contentType: got.ContentType } : {}),
              metadata: got.Metadata ?? {},
            });
          }
          token = listed.NextContinuationToken;
          if (!token) break;
        }
      }
      return found;
    },
    async settled(timeoutMs = 90_000) {
      await local.notifier.flush();
      let quiet = 0;
      await vi.waitFor(
        async () => {
          const total = (await Promise.all(queueUrls.map(depth))).reduce((a, b) => a + b, 0);
          quiet = total === 0 ? quiet + 1 : 0;
          // Two empty readings in a row: a message between receive and delete is counted as in flight.
          if (quiet < 2) throw new Error(`${total} message(s) still queued or in flight`);
        },
        { timeout: timeoutMs, interval: 250 },
      );
    },
    async deadLetters(size) {
      const entry = local.state.outputs.sizes.find((candidate) => candidate.size === size);
      return depth(entry?.deadLetterQueueUrl ?? "");
    },
    async replaceWorkers(size, environment) {
      const service = serviceOf(local, size);
      const old = local.processes.running(service);
      for (const _ of old) local.startProcess(service, environment);
      await Promise.all(old.map((process) => local.processes.stop(process)));
      const queueName = local.plan.services
        .find((s) => s.name === service)
        ?.environment.QUEUE_URL?.split("/")
        .at(-1);
      const queue = local.plan.queues.find((candidate) => candidate.name === queueName);
      const waitSeconds = Number(queue?.attributes.ReceiveMessageWaitTimeSeconds ?? 20);
      await new Promise((resolve) => setTimeout(resolve, (waitSeconds + 1) * 1000));
    },
    logs(service) {
      return local.processes.logFiles(service).flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      );
    },
    async stop() {
      await local.stop(30_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The ECS service of a size, e.g. `icon-fanout-dev-resizer16`. */
export function serviceOf(local: RunningLocalStack, size: number): string {
  const entry = local.state.outputs.sizes.find((candidate) => candidate.size === size);
  if (!entry) throw new Error(`no size ${size}`);
  return entry.serviceName;
}

/** The width and height a PNG declares in its header. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.toString("latin1", 12, 16) !== "IHDR") throw new Error("not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

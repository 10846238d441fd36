import { setTimeout as sleep } from "node:timers/promises";
import type { StackOutputs } from "@icon-fanout/config";
import { alarmReachNotices } from "./alarm-reach.js";
import { type Clients, checkAccount } from "./aws.js";
import { readCoverage } from "./coverage.js";
import { listDeadLetters, redrive, renderDeadLetters } from "./dlq.js";
import { EXIT } from "./errors.js";
import { stackPlacement } from "./outputs.js";
import { type Output, progressBar, table } from "./render.js";
import { readStatus, renderStatus } from "./status.js";
import { planUploads } from "./upload/plan.js";
import { uploadAll } from "./upload/upload.js";
import { waitForOutputs } from "./upload/wait.js";

/** What every command gets: the stack's outputs, clients for its account, and where to write. */
export interface Context {
  stack: string;
  outputs: StackOutputs;
  clients: Clients;
  out: Output;
  cwd: string;
  accountId: string;
  /** Set with --local: the local stack's file, which stands in for ECS and CloudWatch. */
  localStack?: string;
}

export async function verified(context: Context): Promise<Context> {
  await checkAccount(context.clients.sts, context.stack, context.accountId);
  return context;
}

export interface UploadOptions {
  wait: boolean;
  timeoutSeconds: number;
  concurrency: number;
  pollSeconds: number;
}

export async function uploadCommand(
  context: Context,
  inputs: string[],
  options: UploadOptions,
): Promise<number> {
  const { out, outputs } = context;
  const { items, refused } = await planUploads(
    inputs,
    context.cwd,
    outputs.keyLayout,
    outputs.maxSourceBytes,
  );
  for (const refusal of refused) out.write(`refused ${refusal.input}: ${refusal.reason}\n`);
  if (items.length === 0) {
    out.write("nothing to upload\n");
    return refused.length > 0 ? EXIT.failed : EXIT.ok;
  }
  let done = 0;
  const results = await uploadAll(context.clients.s3, outputs.accessPointArn, items, {
    concurrency: options.concurrency,
    onResult: (result) => {
      done += 1;
      if (out.tty) out.write(`\ruploading ${progressBar(done, items.length)}`);
      else
        out.write(
          `${result.status} ${result.item.key}${result.status === "failed" ? `: ${result.error}` : ""}\n`,
        );
    },
  });
  if (out.tty) out.write("\n");
  const count = (status: string) => results.filter((result) => result.status === status).length;
  out.write(
    `${count("uploaded")} uploaded, ${count("unchanged")} unchanged, ${count("failed")} failed, ${refused.length} refused\n`,
  );
  // Off a terminal each failure already has its line above; on one, the progress bar showed none.
  if (out.tty)
    for (const result of results)
      if (result.status === "failed") out.write(`failed ${result.item.input}: ${result.error}\n`);

  let timedOut = 0;
  if (options.wait) {
    const waited = results.filter((result) => result.status !== "failed").map((result) => result.item);
    const sizes = outputs.sizes.map((size) => size.size);
    const rows = await waitForOutputs(context.clients.s3, outputs.accessPointArn, waited, {
      sizes,
      layout: outputs.keyLayout,
      timeoutMs: options.timeoutSeconds * 1000,
      intervalMs: options.pollSeconds * 1000,
    });
    timedOut = rows.filter((row) => row.error).length;
    out.write(
      `${table(
        ["source", "size", "output", "dimensions", "seconds"],
        rows.map((row) => [
          row.source,
          row.size,
          row.outputKey,
          row.dimensions ?? row.error ?? "",
          row.seconds ?? "-",
        ]),
      )}\n`,
    );
    if (timedOut > 0) out.write(`${timedOut} output(s) did not appear within ${options.timeoutSeconds} s\n`);
  }
  return count("failed") + refused.length + timedOut > 0 ? EXIT.failed : EXIT.ok;
}

export async function statusCommand(
  context: Context,
  options: { watch: boolean; intervalSeconds: number; rounds?: number; listing: boolean },
): Promise<number> {
  const { out } = context;
  for (let round = 0; ; round += 1) {
    const now = new Date();
    const [statuses, coverage, notices] = await Promise.all([
      readStatus(context.clients, context.outputs, now, context.localStack),
      options.listing ? readCoverage(context.clients.s3, context.outputs) : undefined,
      alarmReachNotices(context.clients.sns, context.outputs.alarmTopicArn),
    ]);
    const text =
      renderStatus(context.stack, statuses, now, coverage) + notices.map((line) => `${line}\n`).join("");
    // Redraw in place on a terminal: home the cursor and clear the screen below.
    out.write(options.watch && out.tty ? `\x1b[H\x1b[J${text}` : text);
    if (!options.watch || (options.rounds !== undefined && round + 1 >= options.rounds)) return EXIT.ok;
    await sleep(options.intervalSeconds * 1000);
  }
}

/** The outputs of one size, or undefined (and says so, naming the sizes there are). */
export function sizeOutputs(context: Context, size: number) {
  const entry = context.outputs.sizes.find((candidate) => candidate.size === size);
  if (!entry) {
    context.out.write(
      `stack ${context.stack} has no size ${size} (sizes: ${context.outputs.sizes.map((s) => s.size).join(", ")})\n`,
    );
  }
  return entry;
}

export async function dlqListCommand(context: Context, size: number, limit: number): Promise<number> {
  const entry = sizeOutputs(context, size);
  if (!entry) return EXIT.usage;
  context.out.write(renderDeadLetters(size, await listDeadLetters(context.clients.sqs, entry, limit)));
  return EXIT.ok;
}

export async function dlqRedriveCommand(
  context: Context,
  size: number,
  pollSeconds: number,
): Promise<number> {
  const entry = sizeOutputs(context, size);
  if (!entry) return EXIT.usage;
  const { out } = context;
  const final = await redrive(context.clients.sqs, entry.deadLetterQueueUrl, entry.queueUrl, {
    intervalMs: pollSeconds * 1000,
    region: stackPlacement(context.outputs).region,
    onProgress: (progress) => {
      const total = progress.toMove ?? progress.moved;
      const line = `redrive ${progress.status.toLowerCase()} ${progressBar(progress.moved, total)} moved`;
      out.write(out.tty ? `\r${line}` : `${line}\n`);
    },
  });
  if (out.tty) out.write("\n");
  out.write(`size ${size}: ${final.moved} message(s) moved back to the queue (${final.status})\n`);
  return final.status === "COMPLETED" ? EXIT.ok : EXIT.failed;
}

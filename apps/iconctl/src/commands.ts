import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { listenerQueuePrefix, SOURCE_METADATA, type StackOutputs, stackPrefix } from "@icon-fanout/config";
import { alarmReachNotices } from "./alarm-reach.js";
import { type Clients, checkAccount } from "./aws.js";
import { readCoverage } from "./coverage.js";
import { listDeadLetters, redrive, renderDeadLetters } from "./dlq.js";
import { EXIT } from "./errors.js";
import { uploadFilter } from "./listen/filter-policy.js";
import { leftoverNotices } from "./listen/leftovers.js";
import type { Listener } from "./listen/listener.js";
import { openStackListener } from "./listen/open-for-stack.js";
import { stackPlacement } from "./outputs.js";
import { type Output, progressBar } from "./render.js";
import { readStatus, renderStatus } from "./status.js";
import { planUploads, type UploadItem } from "./upload/plan.js";
import { uploadAll } from "./upload/upload.js";
import { waitForUploads } from "./upload/wait-command.js";

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
  /** Ctrl-C or SIGTERM: stop waiting and remove the temporary subscription. */
  signal?: AbortSignal;
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
  // One id per run, in each source's metadata: the listener's filter policy hears this run only.
  const uploadId = randomUUID();
  // Subscribed before the first upload, so that no outcome can come before the listener.
  const opened = options.wait
    ? await openStackListener(context, {
        policy: uploadFilter(uploadId),
        accept: (event) => event.uploadId === uploadId,
      })
    : undefined;
  try {
    if (opened && "unavailable" in opened)
      out.write(`${opened.unavailable}: waiting by polling the outputs instead\n`);
    const listener = opened && "listener" in opened ? opened.listener : undefined;
    return await uploadAndWait(context, items, refused.length, { listener, uploadId }, options);
  } finally {
    if (opened && "listener" in opened) await opened.listener.close();
  }
}

async function uploadAndWait(
  context: Context,
  items: UploadItem[],
  refused: number,
  { listener, uploadId }: { listener: Listener | undefined; uploadId: string },
  options: UploadOptions,
): Promise<number> {
  const { out, outputs } = context;
  let done = 0;
  const results = await uploadAll(context.clients.s3, outputs.accessPointArn, items, {
    concurrency: options.concurrency,
    ...(listener ? { metadata: { [SOURCE_METADATA.uploadId]: uploadId } } : {}),
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
    `${count("uploaded")} uploaded, ${count("unchanged")} unchanged, ${count("failed")} failed, ${refused} refused\n`,
  );
  // Off a terminal each failure already has its line above; on one, the progress bar showed none.
  if (out.tty)
    for (const result of results)
      if (result.status === "failed") out.write(`failed ${result.item.input}: ${result.error}\n`);

  const unfinished = options.wait
    ? await waitForUploads(context, results, listener, {
        timeoutSeconds: options.timeoutSeconds,
        pollSeconds: options.pollSeconds,
        ...(options.signal ? { signal: options.signal } : {}),
      })
    : 0;
  if (options.signal?.aborted) out.write("interrupted: stopped waiting\n");
  return count("failed") + refused + unfinished > 0 || options.signal?.aborted ? EXIT.failed : EXIT.ok;
}

export async function statusCommand(
  context: Context,
  options: { watch: boolean; intervalSeconds: number; rounds?: number; listing: boolean },
): Promise<number> {
  const { out } = context;
  for (let round = 0; ; round += 1) {
    const now = new Date();
    const [statuses, coverage, alarmNotices, listenerNotices] = await Promise.all([
      readStatus(context.clients, context.outputs, now, context.localStack),
      options.listing ? readCoverage(context.clients.s3, context.outputs) : undefined,
      alarmReachNotices(context.clients.sns, context.outputs.alarmTopicArn),
      leftoverNotices(context.clients.sqs, listenerQueuePrefix(stackPrefix(context.stack)), now),
    ]);
    const notices = [...alarmNotices, ...listenerNotices];
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

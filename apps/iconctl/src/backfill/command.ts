import { outputPrefixFor } from "@icon-fanout/config";
import { RENDER_VERSION } from "@icon-fanout/imaging";
import { type Context, sizeOutputs } from "../commands.js";
import { EXIT } from "../errors.js";
import { listObjects } from "../listing.js";
import { queueNameOf, stackPlacement } from "../outputs.js";
import { formatDuration, progress, table } from "../render.js";
import { readQueueDepth } from "../status.js";
import { type BackfillRun, Journal, resumable } from "./journal.js";
import { Pacer } from "./pacer.js";
import {
  type BackfillMode,
  type BackfillPlan,
  DECISIONS,
  type Decision,
  planBackfill,
  stampReader,
} from "./plan.js";
import { sendEvents } from "./send.js";

export interface BackfillOptions {
  size: number;
  /** Only sources under this prefix (itself under the stack's input prefix); the whole input prefix by default. */
  prefix?: string;
  mode: BackfillMode;
  /** Plan and print, send nothing. */
  dryRun: boolean;
  /** Messages per second at most. */
  rate: number;
  /** Start over instead of continuing an interrupted run. */
  restart: boolean;
  /** Where runs record their progress (see Journal). */
  journalDir: string;
  /** Aborting stops the run after the batch in flight (Ctrl-C). */
  signal?: AbortSignal;
}

/** Keys a summary shows per decision. */
const EXAMPLES = 3;

/**
 * `iconctl backfill`: lists the sources and the size's outputs, decides what needs rendering, and
 * sends each such source's `ObjectCreated` event to the size's queue at a bounded rate,
 * recording progress so that running it again continues an interrupted run.
 */
export async function backfillCommand(context: Context, options: BackfillOptions): Promise<number> {
  const entry = sizeOutputs(context, options.size);
  if (!entry) return EXIT.usage;
  const { out, outputs, clients } = context;
  const layout = outputs.keyLayout;
  const prefix = options.prefix ?? layout.inputPrefix;
  if (!prefix.startsWith(layout.inputPrefix)) {
    out.write(`--prefix ${prefix} is not under the stack's input prefix ${layout.inputPrefix}\n`);
    return EXIT.usage;
  }
  const bucket = outputs.bucketName;
  const outputPrefix = `${outputPrefixFor(options.size, layout)}${prefix.slice(layout.inputPrefix.length)}`;
  const journal = new Journal(options.journalDir, bucket, options.size);
  const run: BackfillRun = {
    bucket,
    size: options.size,
    prefix,
    mode: options.mode,
    renderVersion: RENDER_VERSION,
    startedAt: new Date().toISOString(),
    sent: 0,
    complete: false,
  };
  const previous = options.restart ? undefined : resumable(await journal.read(), run);
  if (previous) {
    Object.assign(run, {
      startedAt: previous.startedAt,
      sent: previous.sent,
      sentThrough: previous.sentThrough,
    });
    out.write(
      `continuing the run started ${previous.startedAt}: ${previous.sent} sent, up to ${previous.sentThrough} (--restart starts over)\n`,
    );
  }

  const sources = await listObjects(clients.s3, bucket, prefix, {
    ...(run.sentThrough ? { startAfter: run.sentThrough } : {}),
  });
  const outputKeys = new Set<string>();
  if (options.mode !== "all")
    for (const output of await listObjects(clients.s3, bucket, outputPrefix)) outputKeys.add(output.key);
  out.write(
    `size ${options.size} of ${context.stack}: ${sources.length} source(s) under ${prefix}${run.sentThrough ? ` after ${run.sentThrough}` : ""}` +
      `${options.mode === "all" ? "" : `, ${outputKeys.size} output(s) under ${outputPrefix}`}\n`,
  );
  const checking = progress(out, "checking outputs", { log: false });
  const plan = await planBackfill(sources, {
    mode: options.mode,
    size: options.size,
    layout,
    renderVersion: RENDER_VERSION,
    outputs: outputKeys,
    readStamp: stampReader(clients.s3, bucket),
    onChecked: (done, total) => checking.update(done, total),
  });
  checking.end();
  out.write(renderPlan(plan));

  const total = plan.enqueue.length;
  const duration = formatDuration(total / options.rate);
  if (options.dryRun) {
    out.write(
      `dry run: nothing sent (at ${options.rate} messages/s, sending ${total} takes about ${duration})\n`,
    );
    return EXIT.ok;
  }
  if (total === 0) {
    await journal.write({ ...run, complete: true });
    out.write("nothing to enqueue\n");
    return EXIT.ok;
  }
  const queueName = queueNameOf(entry.queueUrl);
  const depth = await readQueueDepth(clients.sqs, entry.queueUrl);
  const waiting = depth.visible + depth.inFlight;
  if (waiting > 0)
    out.write(
      `${queueName} already holds about ${waiting} message(s); sources whose earlier messages are still waiting count as missing and are sent again\n`,
    );
  out.write(
    `enqueuing ${total} to ${queueName} at ${options.rate} messages/s (about ${duration}); Ctrl-C stops after the batch in flight\n`,
  );

  await journal.write(run);
  const sentBefore = run.sent;
  const started = Date.now();
  const sending = progress(out, "enqueued");
  let result: Awaited<ReturnType<typeof sendEvents>>;
  try {
    result = await sendEvents(clients.sqs, plan.enqueue, {
      queueUrl: entry.queueUrl,
      bucket,
      region: stackPlacement(outputs).region,
      pacer: new Pacer(options.rate),
      ...(options.signal ? { signal: options.signal } : {}),
      onBatch: async (last, sent) => {
        run.sent = sentBefore + sent;
        run.sentThrough = last.key;
        await journal.write(run);
        sending.update(sent, total);
      },
    });
  } catch (error) {
    sending.end();
    out.write(
      `stopped: ${(error as Error).name}: ${(error as Error).message}\n${run.sent - sentBefore} of ${total} enqueued; run the same command again to continue\n`,
    );
    return EXIT.failed;
  }
  sending.end();
  if (result.interrupted) {
    out.write(`interrupted: ${result.sent} of ${total} enqueued; run the same command again to continue\n`);
    return EXIT.failed;
  }
  await journal.write({ ...run, complete: true });
  out.write(
    `enqueued ${result.sent} to ${queueName} in ${formatDuration((Date.now() - started) / 1000)}; ` +
      `the size's resizer writes the outputs as it works through the queue (iconctl status --stack ${context.stack})\n`,
  );
  return EXIT.ok;
}

/** One row per decision taken: enqueue or skip, how many, why, and the first few keys. */
export function renderPlan(plan: BackfillPlan): string {
  const order = Object.keys(DECISIONS) as Decision[];
  const rows = order.flatMap((decision) => {
    const keys = plan.decisions.get(decision);
    if (!keys) return [];
    const more = keys.length > EXAMPLES ? ` and ${keys.length - EXAMPLES} more` : "";
    return [
      [
        DECISIONS[decision].enqueue ? "enqueue" : "skip",
        keys.length,
        DECISIONS[decision].text,
        `${keys.slice(0, EXAMPLES).join(", ")}${more}`,
      ],
    ];
  });
  if (rows.length === 0) return "no sources\n";
  return `${table(["", "sources", "why", "for example"], rows)}\n`;
}

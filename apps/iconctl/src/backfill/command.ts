import { outputPrefixFor } from "@icon-fanout/config";
import { RENDER_VERSION } from "@icon-fanout/imaging";
import { type Context, sizeOutputs } from "../commands.js";
import { EXIT, SetupError } from "../errors.js";
import { type ListedObject, listObjects } from "../listing.js";
import { queueNameOf, stackPlacement } from "../outputs.js";
import { formatDuration, progress } from "../render.js";
import { readQueueDepth } from "../status.js";
import { type BackfillRun, Journal, resumable } from "./journal.js";
import { Pacer } from "./pacer.js";
import { type BackfillMode, type BackfillPlan, planBackfill, renderPlan, stampReader } from "./plan.js";
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

/**
 * `iconctl backfill`: lists the sources and the size's outputs, decides what needs rendering, and
 * sends each such source's `ObjectCreated` event to the size's queue at a bounded rate,
 * recording progress so that running it again continues an interrupted run.
 */
export async function backfillCommand(context: Context, options: BackfillOptions): Promise<number> {
  const entry = sizeOutputs(context, options.size);
  if (!entry) return EXIT.usage;
  const { out, outputs } = context;
  const layout = outputs.keyLayout;
  const prefix = options.prefix ?? layout.inputPrefix;
  if (!prefix.startsWith(layout.inputPrefix)) {
    out.write(`--prefix ${prefix} is not under the stack's input prefix ${layout.inputPrefix}\n`);
    return EXIT.usage;
  }
  const bucket = outputs.bucketName;
  const queueName = queueNameOf(entry.queueUrl);
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

  const target: Target = { bucket, prefix, outputPrefix, queueName, queueUrl: entry.queueUrl };
  const plan = await readPlan(context, target, options, run.sentThrough);
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
  return enqueue(context, target, plan.enqueue, { ...options, run, journal });
}

/** Where one run reads and sends. */
interface Target {
  bucket: string;
  /** Sources under this prefix; their outputs under `outputPrefix`. */
  prefix: string;
  outputPrefix: string;
  queueUrl: string;
  queueName: string;
}

/** Lists the sources (after `startAfter`) and the size's outputs, decides, and prints the decisions. */
async function readPlan(
  context: Context,
  { bucket, prefix, outputPrefix }: Target,
  options: BackfillOptions,
  startAfter: string | undefined,
): Promise<BackfillPlan> {
  const { out, outputs, clients } = context;
  const denied = deniedAs(outputs.operatorRoleArn);
  const sources = await listObjects(clients.s3, bucket, prefix, startAfter ? { startAfter } : {}).catch(
    denied(`listing s3://${bucket}/${prefix}`),
  );
  const outputKeys = new Set<string>();
  if (options.mode !== "all") {
    const listed = await listObjects(clients.s3, bucket, outputPrefix).catch(
      denied(`listing s3://${bucket}/${outputPrefix}`),
    );
    for (const output of listed) outputKeys.add(output.key);
  }
  out.write(
    `size ${options.size} of ${context.stack}: ${sources.length} source(s) under ${prefix}${startAfter ? ` after ${startAfter}` : ""}` +
      `${options.mode === "all" ? "" : `, ${outputKeys.size} output(s) under ${outputPrefix}`}\n`,
  );
  const checking = progress(out, "checking outputs", { log: false });
  const plan = await planBackfill(sources, {
    mode: options.mode,
    size: options.size,
    layout: outputs.keyLayout,
    renderVersion: RENDER_VERSION,
    outputs: outputKeys,
    readStamp: stampReader(clients.s3, bucket),
    onChecked: (done, total) => checking.update(done, total),
  }).catch(denied(`reading the metadata of outputs under s3://${bucket}/${outputPrefix}`));
  checking.end();
  out.write(renderPlan(plan));
  return plan;
}

/** Sends the planned sources' events, recording each batch SQS takes in the journal. */
async function enqueue(
  context: Context,
  { bucket, queueUrl, queueName }: Target,
  sources: ListedObject[],
  options: BackfillOptions & { run: BackfillRun; journal: Journal },
): Promise<number> {
  const { out, outputs, clients } = context;
  const { run, journal } = options;
  const total = sources.length;
  const depth = await readQueueDepth(clients.sqs, queueUrl).catch(
    deniedAs(outputs.operatorRoleArn)(`reading ${queueName}`),
  );
  const waiting = depth.visible + depth.inFlight;
  if (waiting > 0)
    out.write(
      `${queueName} already holds about ${waiting} message(s); sources whose earlier messages are still waiting count as missing and are sent again\n`,
    );
  out.write(
    `enqueuing ${total} to ${queueName} at ${options.rate} messages/s (about ${formatDuration(total / options.rate)}); Ctrl-C stops after the batch in flight\n`,
  );

  await journal.write(run);
  const sentBefore = run.sent;
  const started = Date.now();
  const sending = progress(out, "enqueued");
  let result: Awaited<ReturnType<typeof sendEvents>>;
  try {
    result = await sendEvents(clients.sqs, sources, {
      queueUrl,
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
    const hint = isAccessDenied(error)
      ? ` (sending needs the operators' role, ${outputs.operatorRoleArn})`
      : "";
    out.write(
      `stopped: ${(error as Error).name}: ${(error as Error).message}${hint}\n${run.sent - sentBefore} of ${total} enqueued; run the same command again to continue\n`,
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

function isAccessDenied(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "AccessDenied" || name === "AccessDeniedException" || $metadata?.httpStatusCode === 403;
}

/** Turns a refusal by AWS into a setup problem that names the role backfill is meant to run as. */
function deniedAs(operatorRoleArn: string) {
  return (what: string) =>
    (error: unknown): never => {
      if (isAccessDenied(error))
        throw new SetupError(
          `${what}: access denied; backfill runs as the operators' role ${operatorRoleArn}`,
        );
      throw error;
    };
}

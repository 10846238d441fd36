import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type KeyLayout, OUTPUT_METADATA, outputKey, twinSource } from "@icon-fanout/config";
import { inLanes } from "../lanes.js";
import type { ListedObject } from "../listing.js";
import { table } from "../render.js";

/** `missing` (the default): no output, or one made from another version of the source. */
export type BackfillMode = "missing" | "stale" | "all";

/** Why a source is enqueued or skipped, in the order a summary lists them. */
export const DECISIONS = {
  noOutput: { enqueue: true, text: "no output yet" },
  sourceChanged: { enqueue: true, text: "output made from another version of the source" },
  olderRender: { enqueue: true, text: "output made by an older render version" },
  all: { enqueue: true, text: "re-render asked for (--all)" },
  upToDate: { enqueue: false, text: "output made from this version of the source" },
  currentRender: { enqueue: false, text: "output made by this render version" },
  newerRender: {
    enqueue: false,
    text: "output made by a newer render version than this iconctl knows: update iconctl",
  },
  nothingToRerender: { enqueue: false, text: "no output to re-render (a run without --stale makes it)" },
  twin: { enqueue: false, text: "its twin ending in .png owns the output" },
} as const;

export type Decision = keyof typeof DECISIONS;

/** What an output's metadata says about how it was made. */
export interface OutputStamp {
  sourceEtag?: string;
  /** Undefined for outputs made before render versions were recorded, which count as older. */
  renderVersion?: number;
}

export interface PlanOptions {
  mode: BackfillMode;
  size: number;
  layout: KeyLayout;
  /** The render version of the resizer that will handle the messages. */
  renderVersion: number;
  /** The size's output keys, from a listing (unused with `all`). */
  outputs: ReadonlySet<string>;
  /** An output's stamp, or undefined when it no longer exists. */
  readStamp: (outputKey: string) => Promise<OutputStamp | undefined>;
  /** @default 16 */
  concurrency?: number;
  onChecked?: (checked: number, total: number) => void;
}

export interface BackfillPlan {
  /** The sources to enqueue, in listing order. */
  enqueue: ListedObject[];
  /** The source keys of each decision taken, in listing order. */
  decisions: Map<Decision, string[]>;
}

/**
 * Decides for each source of one size whether it needs a message. Of twins (`x` and `x.png`, one
 * output) only the preferred one (`twinSource`) is considered, as the resizer renders the shared
 * output from it.
 * Existing outputs are read (one HEAD each) only when the mode needs their metadata.
 */
export async function planBackfill(sources: ListedObject[], options: PlanOptions): Promise<BackfillPlan> {
  const { size, layout } = options;
  const keys = new Set(sources.map((source) => source.key));
  const targets = sources.map((source) => outputKey(source.key, size, layout));
  const decided: Decision[] = new Array(sources.length);
  const toCheck: number[] = [];
  sources.forEach((source, index) => {
    const twin = twinSource(source.key, layout);
    if (twin?.preferred && keys.has(twin.key)) decided[index] = "twin";
    else if (options.mode === "all") decided[index] = "all";
    else if (!options.outputs.has(targets[index] as string))
      decided[index] = options.mode === "stale" ? "nothingToRerender" : "noOutput";
    else toCheck.push(index);
  });

  let checked = 0;
  await inLanes(toCheck, options.concurrency ?? 16, async (index) => {
    const stamp = await options.readStamp(targets[index] as string);
    decided[index] = decide(sources[index] as ListedObject, stamp, options);
    checked += 1;
    options.onChecked?.(checked, toCheck.length);
  });

  const decisions = new Map<Decision, string[]>();
  const enqueue: ListedObject[] = [];
  sources.forEach((source, index) => {
    const decision = decided[index] as Decision;
    const keys = decisions.get(decision) ?? [];
    if (keys.length === 0) decisions.set(decision, keys);
    keys.push(source.key);
    if (DECISIONS[decision].enqueue) enqueue.push(source);
  });
  return { enqueue, decisions };
}

function decide(source: ListedObject, stamp: OutputStamp | undefined, options: PlanOptions): Decision {
  if (!stamp) return options.mode === "stale" ? "nothingToRerender" : "noOutput";
  if (options.mode === "missing") return stamp.sourceEtag === source.etag ? "upToDate" : "sourceChanged";
  const version = stamp.renderVersion ?? 0;
  if (version < options.renderVersion) return "olderRender";
  return version === options.renderVersion ? "currentRender" : "newerRender";
}

/** Reads an output's stamp with a HEAD request; a missing output (404) is undefined. */
export function stampReader(s3: S3Client, bucket: string): (key: string) => Promise<OutputStamp | undefined> {
  return async (key) => {
    let metadata: Record<string, string>;
    try {
      metadata = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).Metadata ?? {};
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return undefined;
      throw error;
    }
    const stamp: OutputStamp = {};
    const etag = metadata[OUTPUT_METADATA.sourceEtag];
    if (etag !== undefined) stamp.sourceEtag = etag;
    const version = metadata[OUTPUT_METADATA.renderVersion];
    if (version !== undefined && /^\d+$/.test(version)) stamp.renderVersion = Number(version);
    return stamp;
  };
}

/** Keys a summary shows per decision. */
const EXAMPLES = 3;

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

import { isInputKey, type KeyLayout, outputKey, type TwinSource, twinSource } from "@icon-fanout/config/keys";
import { OUTPUT_METADATA, SOURCE_METADATA } from "@icon-fanout/config/output-metadata";
import type { NotificationObject } from "@icon-fanout/events";
import { RENDER_VERSION, resizeIcon } from "@icon-fanout/imaging";
import type { ObjectHead, ObjectStore } from "./ports.js";

/** One size's work: where outputs go and the limits sources must respect. */
export interface SizeJob {
  size: number;
  layout: KeyLayout;
  outputBucket: string;
  /** Buckets whose events are accepted: this stack's own and a shadowed stack's. */
  sourceBuckets: readonly string[];
  maxSourceBytes: number;
}

/** A render: what the results event says of it. */
export interface Resized {
  outcome: "resized";
  key: string;
  outputKey: string;
  width: number;
  height: number;
  bytes: number;
  sourceEtag: string;
  sourceVersionId?: string;
  outputEtag: string;
  uploadId?: string;
}

export type ObjectOutcome =
  | Resized
  | { outcome: "removed"; key: string; outputKey: string }
  /** The twin `owner` owns the output; `outputEtag` when this event rendered it again from the owner. */
  | {
      outcome: "kept-by-twin";
      key: string;
      outputKey: string;
      owner: string;
      sourceEtag?: string;
      outputEtag?: string;
      uploadId?: string;
    }
  | { outcome: "skipped"; key: string; reason: string };

/** What was learned of the source before a failure, for the results event of a refusal or a give-up. */
export interface SourceSeen {
  uploadId?: string;
  etag?: string;
}

/** Outputs change when their source does, so caches may keep them for a day at most. */
export const OUTPUT_CACHE_CONTROL = "public, max-age=86400";

/**
 * What one S3 event asks of one size, applied so that handling it twice leaves the same state,
 * and so that once every event is handled the output is the render of its preferred existing
 * source (see `twinSource`: `x.png` before `x`), or absent when no source maps to it:
 * - a creation writes the output from the source as it is now, unless its preferred twin exists;
 * - a removal leaves the output alone if the source exists again (a re-upload overtook the event)
 *   or its preferred twin exists, renders it from a surviving fallback twin, and deletes it only
 *   when neither twin exists.
 */
export async function processObject(
  store: ObjectStore,
  object: NotificationObject,
  job: SizeJob,
  seen: SourceSeen = {},
): Promise<ObjectOutcome> {
  const { key, bucket } = object;
  if (!job.sourceBuckets.includes(bucket))
    return { outcome: "skipped", key, reason: `bucket ${bucket} is not a source` };
  if (!isInputKey(key, job.layout))
    return { outcome: "skipped", key, reason: `key is not under ${job.layout.inputPrefix}` };
  const twin = twinSource(key, job.layout);
  if (object.eventName.startsWith("ObjectRemoved:")) return removeOutput(store, bucket, key, twin, job);
  if (twin?.preferred && (await store.exists(bucket, twin.key))) {
    // Only for the results event: who uploaded this source, so a waiting uploader hears of the twin.
    const head = await store.head(bucket, key);
    return keptByTwin(
      key,
      twin.key,
      job,
      head && { sourceEtag: head.etag, uploadId: uploadIdOf(head.metadata) },
    );
  }
  return resizeObject(store, bucket, key, job, seen);
}

export async function resizeObject(
  store: ObjectStore,
  bucket: string,
  key: string,
  job: SizeJob,
  seen: SourceSeen = {},
): Promise<Resized | { outcome: "skipped"; key: string; reason: string }> {
  const target = outputKey(key, job.size, job.layout);
  const source = await store.get(bucket, key, job.maxSourceBytes);
  if (!source) return { outcome: "skipped", key, reason: "source no longer exists" };
  const uploadId = recordSeen(seen, source);
  const icon = await resizeIcon(source.body, { size: job.size });
  const written = await store.put(job.outputBucket, target, icon.png, {
    contentType: "image/png",
    cacheControl: OUTPUT_CACHE_CONTROL,
    metadata: {
      [OUTPUT_METADATA.sourceEtag]: source.etag,
      [OUTPUT_METADATA.sourceBucket]: bucket,
      [OUTPUT_METADATA.renderVersion]: String(RENDER_VERSION),
    },
  });
  return {
    outcome: "resized",
    key,
    outputKey: target,
    width: icon.width,
    height: icon.height,
    bytes: icon.png.byteLength,
    sourceEtag: source.etag,
    ...(source.versionId ? { sourceVersionId: source.versionId } : {}),
    outputEtag: written.etag,
    ...(uploadId ? { uploadId } : {}),
  };
}

async function removeOutput(
  store: ObjectStore,
  bucket: string,
  key: string,
  twin: TwinSource | undefined,
  job: SizeJob,
): Promise<ObjectOutcome> {
  const target = outputKey(key, job.size, job.layout);
  if (await store.exists(bucket, key)) return { outcome: "skipped", key, reason: "source exists again" };
  if (twin?.preferred && (await store.exists(bucket, twin.key))) return keptByTwin(key, twin.key, job);
  if (twin && !twin.preferred) {
    const rendered = await resizeObject(store, bucket, twin.key, job);
    if (rendered.outcome === "resized")
      return keptByTwin(key, twin.key, job, { outputEtag: rendered.outputEtag });
  }
  await store.delete(job.outputBucket, target);
  return { outcome: "removed", key, outputKey: target };
}

function keptByTwin(
  key: string,
  owner: string,
  job: SizeJob,
  facts: { sourceEtag?: string; outputEtag?: string; uploadId?: string | undefined } = {},
): ObjectOutcome {
  const known = Object.entries(facts).filter(([, value]) => value !== undefined && value !== "");
  return {
    outcome: "kept-by-twin",
    key,
    outputKey: outputKey(key, job.size, job.layout),
    owner,
    ...Object.fromEntries(known),
  };
}

/** Notes what the store said of the source (for a later refusal's event); returns its upload id. */
export function recordSeen(seen: SourceSeen, head: ObjectHead): string | undefined {
  const uploadId = uploadIdOf(head.metadata);
  Object.assign(seen, head.etag ? { etag: head.etag } : {}, uploadId ? { uploadId } : {});
  return uploadId;
}

function uploadIdOf(metadata: Record<string, string>): string | undefined {
  return metadata[SOURCE_METADATA.uploadId] || undefined;
}

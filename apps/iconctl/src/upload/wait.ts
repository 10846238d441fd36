import { setTimeout as sleep } from "node:timers/promises";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type KeyLayout, OUTPUT_METADATA, outputKey } from "@icon-fanout/config";
import type { UploadItem } from "./plan.js";

export interface WaitRow {
  source: string;
  size: number;
  outputKey: string;
  /** `W×H` once the output is there. */
  dimensions?: string;
  seconds?: number;
  /** Set when the output did not appear in time. */
  error?: string;
}

export interface WaitOptions {
  sizes: number[];
  layout: KeyLayout;
  timeoutMs: number;
  intervalMs: number;
  onDone?: (row: WaitRow) => void;
  /** Stops polling (Ctrl-C); what is still pending is left out rather than reported as timed out. */
  signal?: AbortSignal;
}

/**
 * Polls every size's output of every upload until it exists *for this content* (the output's
 * source ETag metadata equals the upload's MD5, so an older output does not count), or until the
 * timeout. Reads only the PNG header to report dimensions.
 */
export async function waitForOutputs(
  s3: S3Client,
  accessPoint: string,
  items: UploadItem[],
  options: WaitOptions,
): Promise<WaitRow[]> {
  const started = Date.now();
  const pending = items.flatMap((item) =>
    options.sizes.map((size) => ({ item, size, outputKey: outputKey(item.key, size, options.layout) })),
  );
  const rows: WaitRow[] = [];
  while (pending.length > 0 && !options.signal?.aborted) {
    const checks = await Promise.all(
      pending.map((entry) => readHeader(s3, accessPoint, entry.outputKey, entry.item.md5)),
    );
    for (let index = pending.length - 1; index >= 0; index -= 1) {
      const found = checks[index];
      const entry = pending[index];
      if (!found || !entry) continue;
      const row = {
        source: entry.item.key,
        size: entry.size,
        outputKey: entry.outputKey,
        dimensions: `${found.width}×${found.height}`,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      };
      rows.push(row);
      options.onDone?.(row);
      pending.splice(index, 1);
    }
    if (pending.length === 0) break;
    if (Date.now() - started >= options.timeoutMs) {
      for (const entry of pending) {
        rows.push({
          source: entry.item.key,
          size: entry.size,
          outputKey: entry.outputKey,
          error: "timed out",
        });
      }
      break;
    }
    await sleep(options.intervalMs, undefined, options.signal ? { signal: options.signal } : {}).catch(
      () => undefined,
    );
  }
  return rows.sort((a, b) => a.source.localeCompare(b.source) || a.size - b.size);
}

async function readHeader(
  s3: S3Client,
  bucket: string,
  key: string,
  md5: string,
): Promise<{ width: number; height: number } | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: "bytes=0-31" }));
    if (response.Metadata?.[OUTPUT_METADATA.sourceEtag] !== md5) return undefined;
    const header = Buffer.from((await response.Body?.transformToByteArray()) ?? []);
    if (header.length < 24 || header.toString("latin1", 12, 16) !== "IHDR") return undefined;
    return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

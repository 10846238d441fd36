/**
 * `upload --wait` after the uploads: outcomes heard from the results topic for what was sent (one
 * line each as it arrives), outputs polled for unchanged files (nothing was sent, so no event will
 * come); polling for everything when the caller may not subscribe.
 */
import type { Context } from "../commands.js";
import type { Listener } from "../listen/listener.js";
import { table } from "../render.js";
import { FAILED_OUTCOMES, hearOutcomes, type OutcomeRow } from "./hear.js";
import type { UploadItem } from "./plan.js";
import type { UploadResult } from "./upload.js";
import { type WaitRow, waitForOutputs } from "./wait.js";

export interface WaitSettings {
  timeoutSeconds: number;
  pollSeconds: number;
  signal?: AbortSignal;
}

/** Waits and prints; returns how many (source, size) pairs did not become an output. */
export async function waitForUploads(
  context: Context,
  results: UploadResult[],
  listener: Listener | undefined,
  settings: WaitSettings,
): Promise<number> {
  const { out, outputs } = context;
  const sizes = outputs.sizes.map((size) => size.size);
  const sent = (status: UploadResult["status"]) =>
    results.filter((result) => result.status === status).map((result) => result.item);
  const poll = (items: UploadItem[], onDone?: (row: WaitRow) => void) =>
    waitForOutputs(context.clients.s3, outputs.accessPointArn, items, {
      sizes,
      layout: outputs.keyLayout,
      timeoutMs: settings.timeoutSeconds * 1000,
      intervalMs: settings.pollSeconds * 1000,
      ...(onDone ? { onDone } : {}),
      ...(settings.signal ? { signal: settings.signal } : {}),
    });
  if (!listener) {
    const rows = await poll([...sent("uploaded"), ...sent("unchanged")]);
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
    const timedOut = rows.filter((row) => row.error).length;
    if (timedOut > 0) out.write(`${timedOut} output(s) did not appear within ${settings.timeoutSeconds} s\n`);
    return timedOut;
  }
  const print = (row: OutcomeRow) =>
    out.write(`${row.outcome} ${row.source} size ${row.size}: ${row.detail} (${row.seconds} s)\n`);
  const [heard, polled] = await Promise.all([
    hearOutcomes(listener, sent("uploaded"), {
      sizes,
      layout: outputs.keyLayout,
      timeoutMs: settings.timeoutSeconds * 1000,
      onRow: print,
      onInvalid: (reason) => out.write(`ignored a message that is not a results event (${reason})\n`),
      ...(settings.signal ? { signal: settings.signal } : {}),
    }),
    poll(sent("unchanged"), (row) =>
      out.write(`unchanged ${row.source} size ${row.size}: ${row.dimensions} ${row.outputKey}\n`),
    ),
  ]);
  for (const row of [...heard, ...polled.filter((row) => row.error)])
    if ("outcome" in row ? row.outcome === "timed out" : true)
      out.write(`timed out ${row.source} size ${row.size}: no outcome within ${settings.timeoutSeconds} s\n`);
  const counts = new Map<string, number>();
  for (const row of heard) counts.set(row.outcome, (counts.get(row.outcome) ?? 0) + 1);
  const unchanged = polled.filter((row) => !row.error).length;
  if (unchanged > 0) counts.set("unchanged", unchanged);
  const timedOutPolls = polled.length - unchanged;
  if (timedOutPolls > 0) counts.set("timed out", (counts.get("timed out") ?? 0) + timedOutPolls);
  out.write(
    `${[...counts].map(([outcome, count]) => `${count} ${outcome}`).join(", ") || "nothing to wait for"}\n`,
  );
  return heard.filter((row) => FAILED_OUTCOMES.has(row.outcome)).length + timedOutPolls;
}

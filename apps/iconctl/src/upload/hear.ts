/**
 * `upload --wait` by listening: every (source, size) of the run is done when its results event
 * arrives, whatever the outcome, so a refusal is reported within seconds instead of at the timeout.
 */
import { type KeyLayout, outputKey } from "@icon-fanout/config";
import type { ResultOutcome } from "@icon-fanout/events";
import type { Listener } from "../listen/listener.js";
import { resultDetail } from "../listen/result-text.js";
import type { UploadItem } from "./plan.js";

export interface OutcomeRow {
  source: string;
  size: number;
  outputKey: string;
  outcome: ResultOutcome | "timed out";
  detail: string;
  seconds: number;
}

/** Outcomes that mean the upload did not become an output. */
export const FAILED_OUTCOMES: ReadonlySet<OutcomeRow["outcome"]> = new Set([
  "refused",
  "gave-up",
  "timed out",
]);

export async function hearOutcomes(
  listener: Listener,
  items: UploadItem[],
  options: {
    sizes: number[];
    layout: KeyLayout;
    timeoutMs: number;
    onRow?: (row: OutcomeRow) => void;
    /** Aborts the wait (Ctrl-C): the rows heard so far are returned. */
    signal?: AbortSignal;
    /** Bodies on the queue that are not results events. */
    onInvalid?: (reason: string) => void;
  },
): Promise<OutcomeRow[]> {
  const started = Date.now();
  const pending = new Map(
    items.flatMap((item) =>
      options.sizes.map((size) => [pendingKey(item.key, size), { source: item.key, size }] as const),
    ),
  );
  const rows: OutcomeRow[] = [];
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  try {
    while (pending.size > 0 && !signal.aborted) {
      const { events, invalid } = await listener.receive(signal);
      for (const reason of invalid) options.onInvalid?.(reason);
      for (const event of events) {
        const key = pendingKey(event.sourceKey, event.size);
        if (!pending.has(key) || event.outcome === "removed") continue;
        pending.delete(key);
        const row = {
          source: event.sourceKey,
          size: event.size,
          outputKey: event.outputKey,
          outcome: event.outcome,
          detail: resultDetail(event),
          seconds: seconds(),
        };
        rows.push(row);
        options.onRow?.(row);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  if (!options.signal?.aborted)
    for (const { source, size } of pending.values())
      rows.push({
        source,
        size,
        outputKey: outputKey(source, size, options.layout),
        outcome: "timed out",
        detail: `no outcome within ${Math.round(options.timeoutMs / 1000)} s`,
        seconds: seconds(),
      });
  return rows.sort((a, b) => a.source.localeCompare(b.source) || a.size - b.size);
}

const pendingKey = (source: string, size: number) => `${size} ${source}`;

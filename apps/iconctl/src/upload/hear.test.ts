import { DEFAULT_KEY_LAYOUT } from "@icon-fanout/config";
import type { RenderedEvent } from "@icon-fanout/events";
import { afterEach, expect, it, vi } from "vitest";
import type { Listener } from "../listen/listener.js";
import { renderedEvent } from "../test-fixtures.js";
import { hearOutcomes } from "./hear.js";
import type { UploadItem } from "./plan.js";

afterEach(() => {
  vi.useRealTimers();
});

const item = { key: "icons/a.png", input: "a.png", md5: "e" } as UploadItem;
const rendered16 = renderedEvent(16);

/** A queue that hands out `batches` one per receive, then long-polls until aborted, as SQS does. */
function listenerOf(batches: RenderedEvent[][]): Listener {
  return {
    queueUrl: "q",
    receive: (signal) => {
      const events = batches.shift();
      if (events) return Promise.resolve({ events, invalid: [] });
      return new Promise((resolve) =>
        signal?.addEventListener("abort", () => resolve({ events: [], invalid: [] }), { once: true }),
      );
    },
    close: async () => undefined,
  };
}

it("reports each (source, size) once its outcome arrives and times out the rest at --timeout, not later", async () => {
  vi.useFakeTimers();
  const started = Date.now();
  const heard = hearOutcomes(listenerOf([[rendered16, rendered16]]), [item], {
    sizes: [16, 32],
    layout: DEFAULT_KEY_LAYOUT,
    timeoutMs: 30_000,
  });
  await vi.advanceTimersByTimeAsync(30_000);
  const rows = await heard;
  expect(Date.now() - started).toBe(30_000);
  expect(rows.map((row) => [row.size, row.outcome, row.detail])).toEqual([
    [16, "rendered", "16×16 icons-size-16/a.png"],
    [32, "timed out", "no outcome within 30 s"],
  ]);
});

it("stops at Ctrl-C without calling what is still pending timed out", async () => {
  const interrupt = new AbortController();
  const heard = hearOutcomes(listenerOf([]), [item], {
    sizes: [16],
    layout: DEFAULT_KEY_LAYOUT,
    timeoutMs: 60_000,
    signal: interrupt.signal,
  });
  interrupt.abort();
  expect(await heard).toEqual([]);
});

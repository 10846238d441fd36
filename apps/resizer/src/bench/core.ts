import { resizeIcon } from "@icon-fanout/imaging";
import { loadIcons } from "@icon-fanout/test-icons";
import sharp from "sharp";

export function loadCorpus(): Buffer[] {
  return loadIcons().map((icon) => icon.bytes);
}

/** Runs `work` over `items` with `parallel` lanes and returns items per second. */
export async function throughput<T>(
  items: readonly T[],
  parallel: number,
  work: (item: T) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        if (item !== undefined) await work(item);
      }
    }),
  );
  return items.length / ((performance.now() - started) / 1000);
}

export interface CoreRow {
  size: number;
  /** Decoding alone: no pipeline can beat it. */
  decodeFloorPerSecond: number;
  /** `sharp(input).resize(size, size, { fit: "inside" }).png()`: no limits, no checks. */
  naivePerSecond: number;
  /** resizeIcon: the worker's pipeline with every safety check. */
  resizeIconPerSecond: number;
  /** resizeIcon's time per icon over the decode floor's (goal ≤ 1.3). */
  ratioToFloor: number;
  /** resizeIcon's time per icon over the naive pipeline's. */
  ratioToNaive: number;
}

/** Icons per second on the corpus, the three pipelines measured side by side, best of `rounds`. */
export async function measureCore(sizes: number[], rounds = 3, parallel = 4): Promise<CoreRow[]> {
  const corpus = loadCorpus();
  const items = [...corpus, ...corpus, ...corpus];
  const pipelines = {
    floor: (input: Buffer) => sharp(input).raw().toBuffer(),
    naive: (size: number) => (input: Buffer) =>
      sharp(input).resize(size, size, { fit: "inside" }).png().toBuffer(),
    ours: (size: number) => (input: Buffer) => resizeIcon(input, { size }),
  };
  await throughput(corpus, parallel, (input) => pipelines.ours(16)(input)); // warm-up
  const rows: CoreRow[] = [];
  for (const size of sizes) {
    const best = { floor: 0, naive: 0, ours: 0 };
    for (let round = 0; round < rounds; round += 1) {
      best.floor = Math.max(best.floor, await throughput(items, parallel, pipelines.floor));
      best.naive = Math.max(best.naive, await throughput(items, parallel, pipelines.naive(size)));
      best.ours = Math.max(best.ours, await throughput(items, parallel, pipelines.ours(size)));
    }
    rows.push({
      size,
      decodeFloorPerSecond: Math.round(best.floor),
      naivePerSecond: Math.round(best.naive),
      resizeIconPerSecond: Math.round(best.ours),
      ratioToFloor: round2(best.floor / best.ours),
      ratioToNaive: round2(best.naive / best.ours),
    });
  }
  return rows;
}

export const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Child process of `pnpm bench`: resident memory before and after `count` resizes (the corpus,
 * cycled, at 16, 32 and 64 px), so the allocator settings of the parent's environment are measured.
 */
import { resizeIcon } from "@icon-fanout/imaging";
import { loadCorpus, throughput } from "./core.js";

const count = Number(process.argv[2] ?? 10_000);
const corpus = loadCorpus();
const sizes = [16, 32, 64];
const jobs = Array.from({ length: count }, (_, index) => index);
const run = (items: number[]) =>
  throughput(items, 4, (index) =>
    resizeIcon(corpus[index % corpus.length] ?? Buffer.alloc(0), { size: sizes[index % 3] ?? 16 }),
  );

await run(jobs.slice(0, 500)); // warm-up: libvips caches, thread pool, JIT
const before = process.memoryUsage().rss;
await run(jobs);
const after = process.memoryUsage().rss;
process.stdout.write(
  `${JSON.stringify({ count, rssBeforeMb: before / 2 ** 20, rssAfterMb: after / 2 ** 20 })}\n`,
);

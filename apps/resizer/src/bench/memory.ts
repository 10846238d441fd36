/**
 * Child process of `pnpm bench`: resident memory before and after `count` resizes (the corpus,
 * cycled, at 16, 32 and 64 px) and after `count` more, so the allocator settings of the parent's
 * environment are measured.
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
// A second round tells a one-time expansion (heap and allocator sizing up) from a leak.
await run(jobs);
const afterSecondRound = process.memoryUsage().rss;
const mb = (bytes: number) => bytes / 2 ** 20;
process.stdout.write(
  `${JSON.stringify({ count, rssBeforeMb: mb(before), rssAfterMb: mb(after), rssAfterSecondRoundMb: mb(afterSecondRound) })}\n`,
);

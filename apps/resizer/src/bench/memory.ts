/**
 * Child process of `pnpm bench`: resident memory before and after `count` jobs and after `count`
 * more, so the allocator settings of the parent's environment are measured. The `resizes` workload
 * cycles the corpus at 16, 32 and 64 px; `refusals` cycles sources the resizer must refuse
 * (truncated, header only, a pixel bomb, not an image, an SVG with an external reference), whose
 * error paths must not hold on to memory either.
 */
import { crc32 } from "node:zlib";
import { resizeIcon } from "@icon-fanout/imaging";
import { loadCorpus, throughput } from "./core.js";

const count = Number(process.argv[2] ?? 10_000);
const workload = process.argv[3] ?? "resizes";
const corpus = loadCorpus();
const sizes = [16, 32, 64];

/** Broken variants of a corpus icon, each refused for a different reason. */
function refusedSources(icon: Buffer): Buffer[] {
  const bomb = Buffer.from(icon);
  bomb.writeUInt32BE(100_000, 16); // IHDR width
  bomb.writeUInt32BE(100_000, 20); // IHDR height
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29); // IHDR checksum, so only the size is wrong
  return [
    icon.subarray(0, Math.floor(icon.length / 2)),
    icon.subarray(0, 33),
    bomb,
    Buffer.from("not an image\n"),
    Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><image href="file:///etc/passwd"/></svg>',
    ),
  ];
}

const sources = workload === "refusals" ? refusedSources(corpus[0] ?? Buffer.alloc(0)) : corpus;
const jobs = Array.from({ length: count }, (_, index) => index);
const run = (items: number[]) =>
  throughput(items, 4, (index) =>
    resizeIcon(sources[index % sources.length] ?? Buffer.alloc(0), { size: sizes[index % 3] ?? 16 }).catch(
      (error: unknown) => {
        if (workload !== "refusals") throw error;
      },
    ),
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
  `${JSON.stringify({ workload, count, rssBeforeMb: mb(before), rssAfterMb: mb(after), rssAfterSecondRoundMb: mb(afterSecondRound) })}\n`,
);

/**
 * Child process of the command benchmark. `core` (resizeIcon) and `decode` (sharp's decode alone)
 * read every file of a folder, then time one pass over the bytes with as many in flight as
 * `pnpm resize` keeps, and print the seconds; nothing is warmed up, as for the command.
 * `decode-1px` decodes a 1 × 1 PNG as many times: sharp's cost per call before any pixel. `paired`
 * puts each image through both, one at a time in alternating order, and prints core time over
 * decode time: the machine's drift, which moves separate runs by ±20 % here, cancels out.
 */
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { resizeIcon } from "@icon-fanout/imaging";
import sharp from "sharp";
import { throughput } from "./core.js";

const [mode, folder, size] = process.argv.slice(2);
const MODES = ["core", "decode", "decode-1px", "paired"];
if (!mode || !MODES.includes(mode) || !folder || !size) {
  process.stderr.write(`usage: in-process.js ${MODES.join("|")} <folder> <size>\n`);
  process.exit(2);
}
const inputs = readdirSync(folder)
  .sort()
  .map((name) => readFileSync(join(folder, name)));
const core = (input: Buffer) => resizeIcon(input, { size: Number(size) });
const decode = (input: Buffer) => sharp(input).raw().toBuffer();
if (mode === "paired") {
  let coreMs = 0;
  let decodeMs = 0;
  for (const [index, input] of inputs.entries()) {
    const coreFirst = index % 2 === 0;
    const started = performance.now();
    await (coreFirst ? core : decode)(input);
    const between = performance.now();
    await (coreFirst ? decode : core)(input);
    const ended = performance.now();
    coreMs += coreFirst ? between - started : ended - between;
    decodeMs += coreFirst ? ended - between : between - started;
  }
  process.stdout.write(`${coreMs / decodeMs}\n`);
} else {
  const work = mode === "core" ? core : decode;
  const items = mode === "decode-1px" ? new Array<Buffer>(inputs.length).fill(await onePixelPng()) : inputs;
  const perSecond = await throughput(items, availableParallelism() * 2, work);
  process.stdout.write(`${inputs.length / perSecond}\n`);
}

/**
 * A 1 × 1 PNG, used as many times as there are files: what one sharp call costs before any pixel.
 * Made only in its own mode, since any earlier sharp call would warm sharp up for the others.
 */
function onePixelPng(): Promise<Buffer> {
  return sharp({ create: { width: 1, height: 1, channels: 4, background: "#000" } })
    .png()
    .toBuffer();
}

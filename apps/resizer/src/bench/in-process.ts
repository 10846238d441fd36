/**
 * Child process of the command benchmark: reads every file of a folder, then times one pass of
 * `core` (resizeIcon) or `decode` (sharp's decode alone) over the bytes, with as many in flight as
 * `pnpm resize` keeps, and prints the seconds. Nothing is warmed up, as for the command.
 */
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { resizeIcon } from "@icon-fanout/imaging";
import sharp from "sharp";
import { throughput } from "./core.js";

const [mode, folder, size] = process.argv.slice(2);
if ((mode !== "core" && mode !== "decode") || !folder || !size) {
  process.stderr.write("usage: in-process.js core|decode <folder> <size>\n");
  process.exit(2);
}
const inputs = readdirSync(folder)
  .sort()
  .map((name) => readFileSync(join(folder, name)));
const work =
  mode === "core"
    ? (input: Buffer) => resizeIcon(input, { size: Number(size) })
    : (input: Buffer) => sharp(input).raw().toBuffer();
const perSecond = await throughput(inputs, availableParallelism() * 2, work);
process.stdout.write(`${inputs.length / perSecond}\n`);

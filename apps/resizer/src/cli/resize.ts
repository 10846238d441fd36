#!/usr/bin/env node
/**
 * `pnpm resize <file-or-dir>... --size N [--size M ...] --out DIR [--json]` (docs/architecture.md,
 * "Public interfaces" 2): the worker's code path on local files. A directory stands for the input
 * prefix, so `icons/a/b.svg` in it lands at `DIR/icons-size-N/a/b.svg.png`.
 */
import { readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { claimOutputs, DEFAULT_KEY_LAYOUT, leftOutReason } from "@icon-fanout/config/keys";
import { RESIZER_SETTINGS } from "@icon-fanout/config/settings";
import { InvalidImageError } from "@icon-fanout/imaging";
import { resizeObject, type SizeJob } from "../process-object.js";
import { FileStore } from "./file-store.js";

const USAGE = `usage: pnpm resize <file-or-dir>... --size N [--size M ...] --out DIR [--json]

Resizes icons on this machine with the same code the worker runs. A directory is treated as the
icons/ prefix: DIR/icons-size-N/<path inside it>, with .png appended unless the name ends in .png.

  --size N     output size in pixels, 1-4096 (repeat for several)
  --out DIR    where outputs are written
  --json       print {"outputs": [...], "failed": [...]} instead of a summary; each failure has
               "error" (e.g. "truncated: the PNG data ends early") and its stable "code"
  --help       this text

Of twins x and x.png named in one run only x.png is resized (it owns the output, as in the bucket);
x is reported as failed with code "twin".

Exit code: 0 when every input was resized, 1 when any failed (the others are still written), 2 for usage errors.`;

const LOCAL_BUCKET = "local";

interface Source {
  input: string;
  key: string;
}
/**
 * Why an input made no output: a refusal's code (`RefusalCode` of `@icon-fanout/imaging`), or
 * `no-such-file`, `twin`, `same-key` (see `claimOutputs`), or `error` for anything else.
 */
interface Failure {
  input: string;
  /** Code and message, e.g. `truncated: the PNG data ends early`. */
  error: string;
  code: string;
  /** The decoder's own text, when it had one (it varies; never match on it). */
  detail?: string;
}

interface Output {
  input: string;
  size: number;
  output: string;
  width: number;
  height: number;
}

async function main(argv: string[], cwd: string): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`resize: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = performance.now();
  const outDir = resolve(cwd, args.out);
  const store = new FileStore(outDir);
  const failed: Failure[] = [];
  // Of sources with one output (twins, or two files named alike), one is resized, as in the bucket.
  const claimed = claimOutputs(await collectSources(args.inputs, cwd, failed), (source) => source.key);
  for (const left of claimed.leftOut) {
    const error = leftOutReason(left, (source) => source.input);
    failed.push({ input: left.item.input, code: left.why, error });
  }
  for (const source of claimed.kept) store.addSource(source.key, resolve(cwd, source.input), source.input);

  const tasks = [...store.keys()].flatMap((key) => args.sizes.map((size) => ({ key, size })));
  const outputs: Output[] = [];
  const broken = new Map<string, Failure>();
  let done = 0;
  const progress = process.stderr.isTTY && !args.json;
  await runLimited(tasks, availableParallelism() * 2, async ({ key, size }) => {
    const job: SizeJob = {
      size,
      layout: DEFAULT_KEY_LAYOUT,
      outputBucket: LOCAL_BUCKET,
      sourceBuckets: [LOCAL_BUCKET],
      // The worker's default cap, so local runs refuse what the service would.
      maxSourceBytes: RESIZER_SETTINGS.maxSourceBytes.default,
    };
    const input = store.inputOf(key);
    try {
      const result = await resizeObject(store, LOCAL_BUCKET, key, job);
      if (result.outcome === "resized") {
        outputs.push({
          input,
          size,
          output: store.pathOf(result.outputKey),
          width: result.width,
          height: result.height,
        });
      }
    } catch (error) {
      if (!broken.has(input)) broken.set(input, failureOf(input, error));
    }
    done += 1;
    if (progress) process.stderr.write(`\rresizing ${done}/${tasks.length}`);
  });
  if (progress) process.stderr.write("\r\x1b[K");

  failed.push(...broken.values());
  const kept = outputs.filter((output) => !broken.has(output.input));
  kept.sort((a, b) => a.input.localeCompare(b.input) || a.size - b.size);
  failed.sort((a, b) => a.input.localeCompare(b.input));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ outputs: kept, failed }, null, 2)}\n`);
  } else {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const icons = new Set(kept.map((output) => output.input)).size;
    const shown = relative(cwd, outDir).startsWith("..") ? outDir : relative(cwd, outDir) || ".";
    process.stdout.write(
      `resized ${icons} icon${icons === 1 ? "" : "s"} to ${args.sizes.join(", ")} px: ${kept.length} files in ${shown} (${seconds} s)\n`,
    );
    for (const failure of failed) process.stdout.write(`failed ${failure.input}: ${failure.error}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

function failureOf(input: string, error: unknown): Failure {
  if (error instanceof InvalidImageError)
    return {
      input,
      code: error.code,
      error: error.reason,
      ...(error.detail ? { detail: error.detail } : {}),
    };
  return { input, code: "error", error: error instanceof Error ? error.message : String(error) };
}

const OPTIONS = {
  size: { type: "string", multiple: true },
  out: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function parse(argv: string[]) {
  // Not strict: Node's own messages for bad options quote unevenly; these say what is wrong plainly.
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    tokens: true,
    options: OPTIONS,
  });
  for (const token of tokens) if (token.kind === "option") checkOption(token);
  if (values.help) return { help: true, inputs: [], sizes: [], out: "", json: false };
  if (positionals.length === 0) throw new Error("name at least one file or directory");
  if (typeof values.out !== "string") throw new Error("--out DIR is required");
  // checkOption has refused a --size without a value, so every one is a string.
  const sizes = (values.size ?? []).map(String).map((raw) => {
    const size = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(size) || size < 1 || size > 4096)
      throw new Error(`--size ${raw}: must be an integer between 1 and 4096`);
    return size;
  });
  if (sizes.length === 0) throw new Error("--size N is required");
  return {
    help: false,
    inputs: positionals,
    sizes: [...new Set(sizes)],
    out: values.out,
    json: values.json === true,
  };
}

/** Refuses an option the command does not have, a missing value, and a value given to a flag. */
function checkOption(token: { name: string; rawName: string; value?: string; inlineValue?: boolean }): void {
  const { rawName, value } = token;
  const spec = (OPTIONS as Record<string, { type: "string" | "boolean" }>)[token.name];
  if (!spec)
    throw new Error(
      `unknown option ${rawName} (a file whose name starts with - goes after --, as in: -- ${rawName})`,
    );
  if (spec.type === "boolean" && value !== undefined) throw new Error(`${rawName} takes no value`);
  if (spec.type === "string" && (value === undefined || (!token.inlineValue && value.startsWith("-"))))
    throw new Error(`${rawName} needs a value`);
}

/** Files named directly become `icons/<name>`; files inside a directory keep their path under it. */
async function collectSources(inputs: string[], cwd: string, failed: Failure[]): Promise<Source[]> {
  const sources: Source[] = [];
  for (const input of inputs) {
    const path = resolve(cwd, input);
    const info = await stat(path).catch(() => undefined);
    if (!info) failed.push({ input, code: "no-such-file", error: "no such file or directory" });
    else if (info.isDirectory()) {
      for (const file of await walk(path)) {
        sources.push({
          input: join(input, relative(path, file)),
          key: `${DEFAULT_KEY_LAYOUT.inputPrefix}${relative(path, file)}`,
        });
      }
    } else sources.push({ input, key: `${DEFAULT_KEY_LAYOUT.inputPrefix}${basename(path)}` });
  }
  return sources;
}

async function walk(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  });
  await Promise.all(lanes);
}

// `pnpm -s resize … --json | head` closes the pipe early: the reader's choice, and the exit code still tells.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});
process.exitCode = await main(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());

/**
 * Resize speed as the user meets it: the command (`pnpm -s resize`, and its entry run directly)
 * beside the in-process core, sharp's decode alone and, when python3 has Pillow, Pillow's pipeline
 * and decode, on the same files, in one run, plus the fixed costs no image work can hide. Each row
 * runs in its own process, rounds alternate the rows, and every row is measured pinned to one core
 * and on all cores.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadIcons } from "@icon-fanout/test-icons";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const resizeEntry = fileURLToPath(new URL("../cli/resize.js", import.meta.url));
const launcher = fileURLToPath(new URL("../../../../bin/resize", import.meta.url));
const inProcessEntry = fileURLToPath(new URL("./in-process.js", import.meta.url));

/** Pillow's pipeline and decode over a folder, timed inside Python like the in-process rows. */
const PILLOW = String.raw`
import os, sys, time
from PIL import Image
mode, src, size, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
names = sorted(os.listdir(src))
os.makedirs(out, exist_ok=True)
for name in names:
    with Image.open(os.path.join(src, name)) as image:
        if mode == "decode":
            image.load()
        else:
            image.thumbnail((size, size))
            image.save(os.path.join(out, name + ".png"), "PNG")
`;

const ROW = {
  command: "pnpm -s resize DIR --size N",
  launcher: "bin/resize DIR --size N (no pnpm)",
  entry: "node apps/resizer/dist/cli/resize.js (no wrapper)",
  core: "in-process resizeIcon loop",
  decode: "in-process sharp decode only",
  decodeOnePixel: "in-process sharp decode of a 1 × 1 PNG, as often",
  pillow: "Pillow: open, thumbnail, save PNG",
  pillowDecode: "Pillow decode only",
  pnpmStart: "fixed: pnpm -v (pnpm's own start-up)",
  entryStart: "fixed: node resize.js --help (Node and imports)",
  commandStart: "fixed: pnpm -s resize --help (all of it)",
} as const;

export interface CommandRow {
  row: string;
  /** Median seconds over the rounds, pinned to one core. */
  oneCore: number;
  /** Fastest and slowest round, pinned to one core: how noisy the machine was. */
  oneCoreRange: string;
  /** Median seconds over the rounds, on every core the process may use. */
  allCores: number;
  allCoresRange: string;
}

interface Runner {
  row: string;
  run: (pin: boolean, out: string) => number;
}

/** The command line that runs `command` pinned to core 0 (`taskset -c 0`) or on every core. */
function onCores(command: string, args: string[], pin: boolean): [string, string[]] {
  return pin ? ["taskset", ["-c", "0", command, ...args]] : [command, args];
}

/** Wall time of a command; exit code 1 (some inputs refused) still counts as a run. */
function wallSeconds(command: string, args: string[], pin: boolean): number {
  const started = performance.now();
  const result = spawnSync(...onCores(command, args, pin), {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} failed: ${result.stderr}`);
  return seconds;
}

/** The number a child process prints on stdout: seconds of its timed work, or the paired ratio. */
function reportedNumber(command: string, args: string[], pin: boolean): number {
  return Number(execFileSync(...onCores(command, args, pin), { cwd: repoRoot, encoding: "utf8" }).trim());
}

function pillowPython(): string | undefined {
  for (const python of ["python3", "/usr/bin/python3"]) {
    const probe = spawnSync(python, ["-c", "import PIL"], { stdio: "ignore" });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** `count` icon files in a fresh folder, cycling through the repository's test icons. */
export function iconFolder(count: number): string {
  const folder = mkdtempSync(join(tmpdir(), "resize-bench-"));
  const icons = loadIcons();
  for (let index = 0; index < count; index += 1) {
    const icon = icons[index % icons.length];
    if (icon) writeFileSync(join(folder, `${String(index).padStart(4, "0")}-${icon.name}`), icon.bytes);
  }
  return folder;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function runners(input: string, size: number, python: string | undefined): Runner[] {
  const sizeArgs = ["--size", String(size)];
  const list: Runner[] = [
    {
      row: ROW.command,
      run: (pin, out) => wallSeconds("pnpm", ["-s", "resize", input, ...sizeArgs, "--out", out], pin),
    },
    {
      row: ROW.launcher,
      run: (pin, out) => wallSeconds(launcher, [input, ...sizeArgs, "--out", out], pin),
    },
    {
      row: ROW.entry,
      run: (pin, out) => wallSeconds(process.execPath, [resizeEntry, input, ...sizeArgs, "--out", out], pin),
    },
    {
      row: ROW.core,
      run: (pin) => reportedNumber(process.execPath, [inProcessEntry, "core", input, String(size)], pin),
    },
    {
      row: ROW.decode,
      run: (pin) => reportedNumber(process.execPath, [inProcessEntry, "decode", input, String(size)], pin),
    },
    {
      row: ROW.decodeOnePixel,
      run: (pin) =>
        reportedNumber(process.execPath, [inProcessEntry, "decode-1px", input, String(size)], pin),
    },
  ];
  if (python) {
    const pillow = (mode: string) => (pin: boolean, out: string) =>
      wallSeconds(python, ["-c", PILLOW, mode, input, String(size), out], pin);
    list.push({ row: ROW.pillow, run: pillow("pipeline") }, { row: ROW.pillowDecode, run: pillow("decode") });
  }
  list.push(
    { row: ROW.pnpmStart, run: (pin) => wallSeconds("pnpm", ["-v"], pin) },
    { row: ROW.entryStart, run: (pin) => wallSeconds(process.execPath, [resizeEntry, "--help"], pin) },
    { row: ROW.commandStart, run: (pin) => wallSeconds("pnpm", ["-s", "resize", "--help"], pin) },
  );
  return list;
}

export async function measureCommand(count: number, size: number, rounds: number) {
  const input = iconFolder(count);
  // Outputs stay until the end: deleting hundreds of files between runs makes the next run's file
  // creation slower on ext4, which no user's run pays.
  const scratch = mkdtempSync(join(tmpdir(), "resize-bench-out-"));
  const python = pillowPython();
  const rows = runners(input, size, python);
  // Builds whatever is stale first, so the rounds time the command and not a build.
  wallSeconds("pnpm", ["-s", "resize", "--help"], false);
  const times = new Map(rows.map((runner) => [runner.row, { one: [] as number[], all: [] as number[] }]));
  let runs = 0;
  for (let round = 0; round < rounds; round += 1) {
    for (const pin of [true, false]) {
      for (const runner of rows) {
        runs += 1;
        const out = join(scratch, String(runs));
        mkdirSync(out);
        times.get(runner.row)?.[pin ? "one" : "all"].push(runner.run(pin, out));
      }
    }
  }
  const paired = Array.from({ length: rounds }, () =>
    reportedNumber(process.execPath, [inProcessEntry, "paired", input, String(size)], true),
  );
  rmSync(input, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });

  const table: CommandRow[] = rows.map(({ row }) => {
    const { one = [], all = [] } = times.get(row) ?? {};
    return {
      row,
      oneCore: round3(median(one)),
      oneCoreRange: range(one),
      allCores: round3(median(all)),
      allCoresRange: range(all),
    };
  });
  const seconds = (row: string, key: "oneCore" | "allCores" = "oneCore") =>
    table.find((candidate) => candidate.row === row)?.[key] ?? Number.NaN;
  return {
    icons: count,
    size,
    rounds,
    cores: availableParallelism(),
    pillow: python ? "present" : "absent (python3 without Pillow)",
    rows: table,
    ...assess(seconds, python !== undefined, round3(median(paired))),
  };
}

/**
 * The goals' ratios on one core, each beside the best it could be: the command cannot start its
 * work before pnpm has started, so `core + pnpm -v` bounds the command from below, and
 * `decode + pnpm -v` bounds any sharp-based command from below, whatever the code does.
 */
function assess(
  seconds: (row: string, key?: "oneCore" | "allCores") => number,
  pillow: boolean,
  pairedCoreToDecode: number,
) {
  const core = seconds(ROW.core);
  const decode = seconds(ROW.decode);
  const command = seconds(ROW.command);
  const pnpmStart = seconds(ROW.pnpmStart);
  const ratios = {
    commandToCore: round3(command / core),
    launcherToCore: round3(seconds(ROW.launcher) / core),
    entryToCore: round3(seconds(ROW.entry) / core),
    coreToDecode: round3(core / decode),
    /** The same ratio with each image through both in one process (see in-process.ts). */
    coreToDecodePaired: pairedCoreToDecode,
    pillowToCommand: pillow ? round3(seconds(ROW.pillow) / command) : undefined,
    pillowToCommandAllCores: pillow
      ? round3(seconds(ROW.pillow, "allCores") / seconds(ROW.command, "allCores"))
      : undefined,
    pillowToLauncher: pillow ? round3(seconds(ROW.pillow) / seconds(ROW.launcher)) : undefined,
  };
  const bounds = {
    commandToCoreAtBest: round3((core + pnpmStart) / core),
    pillowToCommandAtBest: pillow ? round3(seconds(ROW.pillow) / (decode + pnpmStart)) : undefined,
    /** Even a command that were nothing but sharp's decode, started without pnpm. */
    pillowToDecode: pillow ? round3(seconds(ROW.pillow) / decode) : undefined,
  };
  return {
    ratios,
    bounds,
    goals: {
      commandWithin1_15xOfCore: ratios.commandToCore <= 1.15,
      coreWithin1_25xOfDecode: ratios.coreToDecode <= 1.25,
      commandAtLeast1_2xFasterThanPillow:
        ratios.pillowToCommand === undefined ? undefined : ratios.pillowToCommand >= 1.2,
    },
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const range = (values: number[]) =>
  values.length ? `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}` : "";

/**
 * Resize speed as the user meets it: the command (`pnpm -s resize`, and its entry run directly)
 * beside the in-process core, sharp's decode alone and, when python3 has Pillow, Pillow's pipeline
 * and decode, on the same files, in one run. Each row runs in its own process, rounds alternate
 * the rows, and every row is measured pinned to one core and on all cores.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadIcons } from "@icon-fanout/test-icons";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const resizeEntry = fileURLToPath(new URL("../cli/resize.js", import.meta.url));
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

export interface CommandRow {
  row: string;
  /** Median seconds over the rounds, pinned to one core. */
  oneCoreSeconds: number;
  /** Median seconds over the rounds, on every core the process may use. */
  allCoresSeconds: number;
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

/** Seconds a child process reports on stdout for the timed part of its work. */
function reportedSeconds(command: string, args: string[], pin: boolean): number {
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

export async function measureCommand(count: number, size: number, rounds: number) {
  const input = iconFolder(count);
  const scratch = mkdtempSync(join(tmpdir(), "resize-bench-out-"));
  const python = pillowPython();
  const sizeArgs = ["--size", String(size)];
  const outFolder = (label: string) => join(scratch, `${label}-${Math.random().toString(36).slice(2)}`);
  const runners: Runner[] = [
    {
      row: "pnpm -s resize DIR --size N",
      run: (pin, out) => wallSeconds("pnpm", ["-s", "resize", input, ...sizeArgs, "--out", out], pin),
    },
    {
      row: "node apps/resizer/dist/cli/resize.js (no wrapper)",
      run: (pin, out) => wallSeconds(process.execPath, [resizeEntry, input, ...sizeArgs, "--out", out], pin),
    },
    {
      row: "in-process resizeIcon loop",
      run: (pin) => reportedSeconds(process.execPath, [inProcessEntry, "core", input, String(size)], pin),
    },
    {
      row: "in-process sharp decode only",
      run: (pin) => reportedSeconds(process.execPath, [inProcessEntry, "decode", input, String(size)], pin),
    },
  ];
  if (python) {
    const pillow = (mode: string) => (pin: boolean, out: string) =>
      wallSeconds(python, ["-c", PILLOW, mode, input, String(size), out], pin);
    runners.push(
      { row: "Pillow: open, thumbnail, save PNG", run: pillow("pipeline") },
      { row: "Pillow decode only", run: pillow("decode") },
    );
  }
  // Builds whatever is stale first, so the rounds time the command and not a build.
  wallSeconds("pnpm", ["-s", "resize", "--help"], false);
  const times = new Map(runners.map((runner) => [runner.row, { one: [] as number[], all: [] as number[] }]));
  for (let round = 0; round < rounds; round += 1) {
    for (const pin of [true, false]) {
      for (const runner of runners) {
        const out = outFolder("out");
        mkdirSync(out);
        times.get(runner.row)?.[pin ? "one" : "all"].push(runner.run(pin, out));
        rmSync(out, { recursive: true, force: true });
      }
    }
  }
  rmSync(input, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });

  const rows: CommandRow[] = runners.map((runner) => ({
    row: runner.row,
    oneCoreSeconds: round3(median(times.get(runner.row)?.one ?? [])),
    allCoresSeconds: round3(median(times.get(runner.row)?.all ?? [])),
  }));
  const seconds = (row: string, key: "oneCoreSeconds" | "allCoresSeconds" = "oneCoreSeconds") =>
    rows.find((candidate) => candidate.row.startsWith(row))?.[key] ?? Number.NaN;
  const ratios = {
    commandToCore: round3(seconds("pnpm -s resize") / seconds("in-process resizeIcon")),
    entryToCore: round3(seconds("node apps/resizer") / seconds("in-process resizeIcon")),
    coreToDecode: round3(seconds("in-process resizeIcon") / seconds("in-process sharp decode")),
    pillowToCommand: python ? round3(seconds("Pillow: open") / seconds("pnpm -s resize")) : undefined,
  };
  return {
    icons: count,
    size,
    rounds,
    cores: availableParallelism(),
    pillow: python ? "present" : "absent (python3 without Pillow)",
    rows,
    ratios,
    goals: {
      commandWithin1_15xOfCore: ratios.commandToCore <= 1.15,
      coreWithin1_25xOfDecode: ratios.coreToDecode <= 1.25,
      commandAtLeast1_2xFasterThanPillow:
        ratios.pillowToCommand === undefined ? undefined : ratios.pillowToCommand >= 1.2,
    },
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Workloads: when uploads arrive, as seconds from the start of the run, sorted. Built-in ones are
 * generated from the run's seed; a CSV gives its own timestamps.
 */
import { readFileSync } from "node:fs";
import { DAY_SECONDS, designDay } from "./design-day.js";
import { Random } from "./random.js";

export interface Workload {
  /** How the user named it, e.g. `steady:5/s`. */
  readonly name: string;
  /** Arrival times in seconds, ascending. */
  readonly arrivals: Float64Array;
  /** When the run ends: after the last arrival, long enough for scale-in and scale-to-zero to show. */
  readonly endSeconds: number;
}

export class WorkloadError extends Error {
  override name = "WorkloadError";
}

/** The workloads `pnpm simulate` runs when none is named. */
export const BUILT_IN_WORKLOADS = [
  "burst:1000",
  "steady:0.1/s",
  "steady:5/s",
  "design-day",
  "backfill:100000@50/s",
] as const;

const DEFAULT_STEADY_SECONDS = 4 * 3600;
const TAIL_SECONDS = 30 * 60;
const MAX_ARRIVALS = 2_000_000;

/** Parses a workload spec (`burst:N`, `steady:R/s[:DURATION]`, `design-day`, `backfill:N@R/s`, `csv:PATH`). */
export function workloadFrom(spec: string, seed: number): Workload {
  const random = new Random(seed);
  const [kind, ...rest] = spec.split(":");
  const argument = rest.join(":");
  const make = (arrivals: Float64Array): Workload => ({
    name: spec,
    arrivals,
    endSeconds: (arrivals[arrivals.length - 1] ?? 0) + TAIL_SECONDS,
  });
  switch (kind) {
    case "burst": {
      const count = positiveInteger(argument, spec, "the number of uploads");
      // S3 notifications for one burst reach the queue over about a second.
      return make(sorted(Float64Array.from({ length: count }, () => random.next())));
    }
    case "steady": {
      const match = /^(\d+(?:\.\d+)?)\/s(?::(\d+)([smh]))?$/.exec(argument);
      if (!match)
        throw new WorkloadError(
          `${spec}: expected steady:RATE/s or steady:RATE/s:DURATION, e.g. steady:5/s:4h`,
        );
      const rate = Number(match[1]);
      if (!(rate > 0)) throw new WorkloadError(`${spec}: the rate must be above 0`);
      const seconds = match[2] ? Number(match[2]) * unitSeconds(match[3] as string) : DEFAULT_STEADY_SECONDS;
      return make(poisson(random, rate, seconds, spec));
    }
    case "backfill": {
      const match = /^(\d+)@(\d+(?:\.\d+)?)\/s$/.exec(argument);
      if (!match)
        throw new WorkloadError(`${spec}: expected backfill:COUNT@RATE/s, e.g. backfill:100000@50/s`);
      const count = positiveInteger(match[1] as string, spec, "the number of sources");
      const rate = Number(match[2]);
      if (!(rate > 0)) throw new WorkloadError(`${spec}: the rate must be above 0`);
      // iconctl backfill paces its sends evenly at --rate.
      return make(Float64Array.from({ length: count }, (_, index) => index / rate));
    }
    case "design-day":
      if (argument !== "") throw new WorkloadError(`${spec}: design-day takes no argument`);
      return { name: spec, arrivals: designDay(random), endSeconds: DAY_SECONDS };
    case "csv":
      if (argument === "") throw new WorkloadError(`${spec}: expected csv:PATH`);
      return make(readCsv(argument));
    default:
      throw new WorkloadError(
        `unknown workload "${spec}": expected burst:N, steady:RATE/s[:DURATION], design-day, backfill:N@RATE/s or csv:PATH`,
      );
  }
}

/**
 * One upload time a line: seconds (a number) or an ISO-8601 instant; a first line that is not a
 * time is a header. Times are taken relative to the earliest.
 */
export function parseArrivalsCsv(text: string, source: string): Float64Array {
  const times: number[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const field = (raw.split(",")[0] ?? "").trim();
    if (field === "") return;
    const time = /^\d+(?:\.\d+)?$/.test(field) ? Number(field) : Date.parse(field) / 1000;
    if (Number.isFinite(time) && (/^\d/.test(field) || /^\d{4}-/.test(field))) times.push(time);
    else if (index > 0 || times.length > 0)
      throw new WorkloadError(`${source}:${index + 1}: "${field}" is neither seconds nor an ISO-8601 time`);
  });
  if (times.length === 0) throw new WorkloadError(`${source}: no timestamps`);
  if (times.length > MAX_ARRIVALS) throw new WorkloadError(`${source}: more than ${MAX_ARRIVALS} timestamps`);
  const start = Math.min(...times);
  return sorted(Float64Array.from(times, (time) => time - start));
}

function readCsv(path: string): Float64Array {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new WorkloadError(
      `csv:${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  return parseArrivalsCsv(text, path);
}

function poisson(random: Random, rate: number, seconds: number, spec: string): Float64Array {
  if (rate * seconds > MAX_ARRIVALS) throw new WorkloadError(`${spec}: more than ${MAX_ARRIVALS} uploads`);
  const times: number[] = [];
  for (let at = random.exponential(1 / rate); at < seconds; at += random.exponential(1 / rate))
    times.push(at);
  return Float64Array.from(times);
}

function positiveInteger(text: string, spec: string, what: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= MAX_ARRIVALS))
    throw new WorkloadError(`${spec}: ${what} must be an integer from 1 to ${MAX_ARRIVALS}, got "${text}"`);
  return value;
}

function unitSeconds(unit: string): number {
  return unit === "h" ? 3600 : unit === "m" ? 60 : 1;
}

function sorted(values: Float64Array): Float64Array {
  return values.sort();
}

import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkAutoscalePeriod } from "./autoscaler.js";

/** What `pnpm local` was asked to do, every argument checked. */
export interface LocalArgs {
  help: boolean;
  stack: string;
  /** Resizer processes per size; undefined: each service's desiredCount. */
  workers: number | undefined;
  statusSeconds: number;
  /** Real seconds per policy minute when the resizers autoscale; undefined: a fixed count. */
  autoscalePeriodSeconds: number | undefined;
  upload: boolean;
  /** Icon files or folders as the caller named them (resolved from `cwd`); empty: the samples. */
  icons: string[];
}

/** A wrong command line: nothing was started. */
export class LocalUsageError extends Error {
  override name = "LocalUsageError";
}

/**
 * Reads and checks `pnpm local`'s arguments before anything starts: a wrong stack, number or icon
 * path is named at once instead of after the emulator and every app are up.
 */
export function parseLocalArgs(argv: string[], cwd: string, repoRoot: string): LocalArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new LocalUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help)
    return {
      help: true,
      stack: values.stack,
      workers: undefined,
      statusSeconds: 0,
      autoscalePeriodSeconds: undefined,
      upload: false,
      icons: [],
    };
  const stacks = readdirSync(join(repoRoot, "infra"))
    .map((name) => /^Pulumi\.(.+)\.yaml$/.exec(name)?.[1])
    .filter((name) => name !== undefined);
  if (!stacks.includes(values.stack))
    throw new LocalUsageError(
      `--stack ${values.stack}: no infra/Pulumi.${values.stack}.yaml (stacks: ${stacks.join(", ")})`,
    );
  const workers = values.workers === undefined ? undefined : positiveInteger("--workers", values.workers);
  const statusSeconds = positiveInteger("--status-seconds", values["status-seconds"]);
  const autoscalePeriodSeconds = autoscalePeriod(values.autoscale, values["autoscale-period"]);
  if (autoscalePeriodSeconds !== undefined && workers !== undefined)
    throw new LocalUsageError(
      "--autoscale and --workers: the policy sets the worker count; leave out one of them",
    );
  if (values["no-upload"] && positionals.length > 0)
    throw new LocalUsageError("--no-upload uploads nothing: leave out the icon paths, or --no-upload");
  const missing = positionals.filter((icon) => !existsSync(resolve(cwd, icon)));
  if (missing.length > 0) throw new LocalUsageError(`no such file or directory: ${missing.join(", ")}`);
  return {
    help: false,
    stack: values.stack,
    workers,
    statusSeconds,
    autoscalePeriodSeconds,
    upload: !values["no-upload"],
    icons: positionals,
  };
}

function positiveInteger(option: string, raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new LocalUsageError(`${option} ${raw}: must be a positive integer`);
  return Number(raw);
}

/** `--autoscale [--autoscale-period 6s]`: real seconds per policy minute (default 60, real time). */
function autoscalePeriod(autoscale: boolean, raw: string | undefined): number | undefined {
  if (!autoscale) {
    if (raw !== undefined) throw new LocalUsageError("--autoscale-period needs --autoscale");
    return undefined;
  }
  if (raw === undefined) return 60;
  const match = /^(\d+)s?$/.exec(raw);
  try {
    return checkAutoscalePeriod(match ? Number(match[1]) : Number.NaN);
  } catch {
    throw new LocalUsageError(
      `--autoscale-period ${raw}: must be whole seconds from 6 to 60, a multiple of 6 (e.g. 6s: one policy minute lasts 6 s)`,
    );
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stack: { type: "string", default: "dev" },
      workers: { type: "string" },
      "status-seconds": { type: "string", default: "15" },
      "no-upload": { type: "boolean", default: false },
      autoscale: { type: "boolean", default: false },
      "autoscale-period": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

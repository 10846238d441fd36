import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

/** What `pnpm local` was asked to do, every argument checked. */
export interface LocalArgs {
  help: boolean;
  stack: string;
  /** Resizer processes per size; undefined: each service's desiredCount. */
  workers: number | undefined;
  statusSeconds: number;
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
  if (values["no-upload"] && positionals.length > 0)
    throw new LocalUsageError("--no-upload uploads nothing: leave out the icon paths, or --no-upload");
  const missing = positionals.filter((icon) => !existsSync(resolve(cwd, icon)));
  if (missing.length > 0) throw new LocalUsageError(`no such file or directory: ${missing.join(", ")}`);
  return {
    help: false,
    stack: values.stack,
    workers,
    statusSeconds,
    upload: !values["no-upload"],
    icons: positionals,
  };
}

function positiveInteger(option: string, raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new LocalUsageError(`${option} ${raw}: must be a positive integer`);
  return Number(raw);
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
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

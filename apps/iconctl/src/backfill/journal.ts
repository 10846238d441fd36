import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { BackfillMode } from "./plan.js";

/**
 * What a backfill run has sent so far, kept on the operator's machine so that a run stopped
 * half-way (Ctrl-C, a lost connection, a failed batch) continues where it stopped instead of
 * sending again what is still waiting in the queue.
 */
export interface BackfillRun {
  bucket: string;
  size: number;
  prefix: string;
  mode: BackfillMode;
  /** The render version the run compared with (it decides what `stale` sends). */
  renderVersion: number;
  startedAt: string;
  /** Every source to send up to and including this key (in S3's listing order) was sent. */
  sentThrough?: string;
  sent: number;
  complete: boolean;
}

/** `$XDG_STATE_HOME/iconctl/backfill`, or `~/.local/state/iconctl/backfill`. */
export function defaultJournalDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), ".local", "state"), "iconctl", "backfill");
}

export class Journal {
  readonly file: string;

  constructor(directory: string, bucket: string, size: number) {
    this.file = join(directory, `${bucket}-size${size}.json`);
  }

  /** The last run for this bucket and size, or undefined when there is none or it is unreadable. */
  async read(): Promise<BackfillRun | undefined> {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(this.file, "utf8"));
    } catch {
      return undefined;
    }
    return isRun(value) ? value : undefined;
  }

  /** Replaces the record whole (write, then rename), so a crash leaves the old one or the new one. */
  async write(run: BackfillRun): Promise<void> {
    await mkdir(join(this.file, ".."), { recursive: true });
    await writeFile(`${this.file}.tmp`, `${JSON.stringify(run, null, 2)}\n`);
    await rename(`${this.file}.tmp`, this.file);
  }
}

/** The interrupted run a new one with these settings continues, if any. */
export function resumable(previous: BackfillRun | undefined, next: BackfillRun): BackfillRun | undefined {
  if (!previous || previous.complete || previous.sentThrough === undefined) return undefined;
  const same =
    previous.bucket === next.bucket &&
    previous.size === next.size &&
    previous.prefix === next.prefix &&
    previous.mode === next.mode &&
    previous.renderVersion === next.renderVersion;
  return same ? previous : undefined;
}

function isRun(value: unknown): value is BackfillRun {
  const run = value as Partial<BackfillRun> | null;
  return (
    typeof run === "object" &&
    run !== null &&
    typeof run.bucket === "string" &&
    typeof run.size === "number" &&
    typeof run.prefix === "string" &&
    typeof run.mode === "string" &&
    typeof run.renderVersion === "number" &&
    typeof run.sent === "number" &&
    typeof run.complete === "boolean" &&
    (run.sentThrough === undefined || typeof run.sentThrough === "string")
  );
}

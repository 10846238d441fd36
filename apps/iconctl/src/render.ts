/** Plain-text tables and progress for terminals and logs alike. */

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        /^-?[\d.,]+( s| MB)?$/.test(cell)
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [
    line(cells[0] ?? []),
    line(widths.map((width) => "-".repeat(width))),
    ...cells.slice(1).map(line),
  ].join("\n");
}

/** `90 s`, `35 min`, `3 h`: whole units, the largest that still reads precisely; any time at all is at least `1 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds > 0 ? Math.max(1, Math.round(seconds)) : 0} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** `[########------------]  12/40` */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total}`;
}

export interface Output {
  /** Whether stdout is a terminal (progress redraws in place) or a log (one line per event). */
  tty: boolean;
  write(text: string): void;
}

export const stdout: Output = {
  tty: Boolean(process.stdout.isTTY),
  write: (text) => process.stdout.write(text),
};

export interface Progress {
  update(done: number, total: number): void;
  /** Ends the bar's line on a terminal. */
  end(): void;
}

/**
 * A step's progress: a bar redrawn in place on a terminal; in a log, with `log`, a line per tenth
 * of the way, and otherwise nothing.
 */
export function progress(out: Output, label: string, { log = true } = {}): Progress {
  let drawn = false;
  let tenths = -1;
  return {
    update(done, total) {
      if (out.tty) {
        out.write(`\r${label} ${progressBar(done, total)}`);
        drawn = true;
        return;
      }
      const reached = total === 0 ? 10 : Math.floor((done * 10) / total);
      if (!log || reached === tenths) return;
      tenths = reached;
      out.write(`${label} ${done}/${total}\n`);
    },
    end() {
      if (drawn) out.write("\n");
      drawn = false;
    },
  };
}

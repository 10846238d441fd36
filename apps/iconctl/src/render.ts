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

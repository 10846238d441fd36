/**
 * A working day of a design team, midnight to midnight: eight designers who, between 09:00 and
 * 17:30 (lunch 12:00–13:00 off), upload a set of 1–40 icons about every 25 minutes each, a second
 * or two apart; and one release export of 300 icons at about 16:00. An assumption, not a
 * measurement: replace it with `csv:` timestamps from S3 access logs when there are some.
 */
import type { Random } from "./random.js";

export const DAY_SECONDS = 24 * 3600;
const DESIGNERS = 8;
const MEAN_GAP_SECONDS = 25 * 60;
const WORK = [
  [9 * 3600, 12 * 3600],
  [13 * 3600, 17.5 * 3600],
] as const;
const EXPORT_AT = 16 * 3600;
const EXPORT_ICONS = 300;

export function designDay(random: Random): Float64Array {
  const times: number[] = [];
  for (let designer = 0; designer < DESIGNERS; designer++) {
    for (const [from, to] of WORK) {
      for (
        let at = from + random.exponential(MEAN_GAP_SECONDS);
        at < to;
        at += random.exponential(MEAN_GAP_SECONDS)
      ) {
        const icons = random.integer(1, 40);
        let upload = at;
        for (let icon = 0; icon < icons; icon++) {
          times.push(upload);
          upload += 0.2 + random.next() * 1.8;
        }
      }
    }
  }
  const exportStart = EXPORT_AT + random.next() * 600;
  for (let icon = 0; icon < EXPORT_ICONS; icon++) times.push(exportStart + icon * 0.05);
  return Float64Array.from(times).sort();
}

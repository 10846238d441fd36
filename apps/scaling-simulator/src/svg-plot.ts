/**
 * A small SVG of one workload's runs: the queue's visible backlog (top) and running tasks (bottom)
 * over time, one line per policy. Written by hand: a few hundred points need no charting library.
 */
import type { Reading } from "./reading.js";

export interface PlotSeries {
  readonly policy: string;
  readonly readings: readonly Reading[];
}

const WIDTH = 760;
const PANEL = 150;
const LEFT = 56;
const RIGHT = 150;
const TOP = 30;
const GAP = 40;
const MAX_POINTS = 400;
const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#9467bd"];

export function plotSvg(title: string, series: readonly PlotSeries[]): string {
  const end = Math.max(1, ...series.map((s) => s.readings[s.readings.length - 1]?.at ?? 0));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (at: number) => LEFT + (at / end) * plotWidth;
  const panels = [
    { label: "visible messages", pick: (r: Reading) => r.visible, top: TOP },
    { label: "running tasks", pick: (r: Reading) => r.running, top: TOP + PANEL + GAP },
  ];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${TOP + 2 * PANEL + GAP + 40}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="18" font-size="13">${escapeXml(title)}</text>`,
  ];
  for (const panel of panels) {
    const peak = Math.max(1, ...series.flatMap((s) => s.readings.map(panel.pick)));
    const y = (value: number) => panel.top + PANEL - (value / peak) * PANEL;
    parts.push(
      `<rect x="${LEFT}" y="${panel.top}" width="${plotWidth}" height="${PANEL}" fill="none" stroke="#ccc"/>`,
      `<text x="${LEFT - 6}" y="${panel.top + 4}" text-anchor="end">${peak}</text>`,
      `<text x="${LEFT - 6}" y="${panel.top + PANEL}" text-anchor="end">0</text>`,
      `<text x="${LEFT + 4}" y="${panel.top + 12}" fill="#555">${panel.label}</text>`,
    );
    series.forEach((s, index) => {
      const points = downsample(s.readings, panel.pick)
        .map(([at, value]) => `${x(at).toFixed(1)},${y(value).toFixed(1)}`)
        .join(" ");
      parts.push(
        `<polyline fill="none" stroke="${COLOURS[index % COLOURS.length]}" stroke-width="1.2" points="${points}"/>`,
      );
    });
  }
  const axisY = TOP + 2 * PANEL + GAP + 16;
  for (let i = 0; i <= 4; i++) {
    const at = (end * i) / 4;
    parts.push(`<text x="${x(at).toFixed(1)}" y="${axisY}" text-anchor="middle">${formatTime(at)}</text>`);
  }
  series.forEach((s, index) => {
    const y = TOP + 14 + index * 16;
    parts.push(
      `<line x1="${WIDTH - RIGHT + 10}" y1="${y - 4}" x2="${WIDTH - RIGHT + 28}" y2="${y - 4}" stroke="${COLOURS[index % COLOURS.length]}" stroke-width="2"/>`,
      `<text x="${WIDTH - RIGHT + 32}" y="${y}">${escapeXml(s.policy)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/**
 * A step line through at most MAX_POINTS buckets, each keeping its largest value (so spikes stay
 * visible), with a point only where the value changes.
 */
function downsample(
  readings: readonly Reading[],
  pick: (reading: Reading) => number,
): Array<[number, number]> {
  const bucket = Math.max(1, Math.ceil(readings.length / MAX_POINTS));
  const points: Array<[number, number]> = [];
  let last: number | undefined;
  for (let start = 0; start < readings.length; start += bucket) {
    const slice = readings.slice(start, start + bucket);
    const value = Math.max(...slice.map(pick));
    const from = slice[0]?.at ?? 0;
    if (last === undefined) points.push([from, value]);
    else if (value !== last) points.push([from, last], [from, value]);
    last = value;
  }
  const end = readings[readings.length - 1];
  if (end && last !== undefined) points.push([end.at, last]);
  return points;
}

function formatTime(seconds: number): string {
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds)} s`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

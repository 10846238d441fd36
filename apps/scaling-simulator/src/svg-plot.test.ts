import { describe, expect, it } from "vitest";
import type { Reading } from "./reading.js";
import { plotSvg } from "./svg-plot.js";

const readings = (values: number[]): Reading[] =>
  values.map((visible, index) => ({
    at: index * 10,
    visible,
    inFlight: 0,
    running: visible > 0 ? 2 : 1,
    desired: 1,
  }));

describe("the plot", () => {
  it("is an SVG with one line per policy per panel and a legend naming each policy", () => {
    const svg = plotSvg("burst <1000>", [
      { policy: "stack", readings: readings([0, 5, 5, 0]) },
      { policy: "fixed", readings: readings([0, 9, 0, 0]) },
    ]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(4);
    expect(svg).toContain(">stack</text>");
    expect(svg).toContain(">fixed</text>");
    expect(svg).toContain("burst &lt;1000&gt;");
  });

  it("draws a step only where the value changes, and keeps a one-tick spike", () => {
    const flat = plotSvg("t", [
      { policy: "p", readings: readings(Array.from({ length: 10_000 }, (_, i) => (i === 5_000 ? 7 : 0))) },
    ]);
    const visibleLine = /<polyline[^>]*points="([^"]*)"/.exec(flat)?.[1] ?? "";
    expect(visibleLine.split(" ").length).toBeLessThanOrEqual(6);
    expect(flat).toContain(">7</text>"); // the panel's scale reaches the spike
  });
});

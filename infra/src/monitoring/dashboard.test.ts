import { describe, expect, it } from "vitest";
import { only, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");

describe("dashboard", () => {
  it("shows per size the backlog, in flight, running tasks, the metric against its target, oldest age and dead letters", () => {
    const body = JSON.parse(
      String(only(prod.resources, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody),
    ) as {
      widgets: { properties: { title: string; metrics: unknown[][]; annotations?: unknown } }[];
    };
    const titles = body.widgets.map((widget) => widget.properties.title);
    for (const size of [16, 32, 64]) {
      expect(titles).toEqual(
        expect.arrayContaining([
          `size ${size}: backlog and in flight`,
          `size ${size}: running tasks`,
          `size ${size}: scaling metric (target 100)`,
          `size ${size}: oldest message (s)`,
          `size ${size}: dead letters`,
        ]),
      );
    }
    expect(titles).toContain("Upload topic: notifications delivered and failed");
    const metric = body.widgets.find(
      (widget) => widget.properties.title === "size 16: scaling metric (target 100)",
    );
    expect(metric?.properties.annotations).toEqual({ horizontal: [{ label: "target", value: 100 }] });
  });
});

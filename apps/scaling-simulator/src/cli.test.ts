import { describe, expect, it } from "vitest";
import { run } from "./cli.js";

const capture = (argv: string[]) => {
  let text = "";
  run(argv, (chunk) => {
    text += chunk;
  });
  return text;
};

describe("pnpm simulate", () => {
  const args = ["--stack", "dev", "--workload", "burst:300", "--workload", "steady:1/s:20m", "--json"];

  it("gives byte-identical JSON for the same seed, and different JSON for another", () => {
    const first = capture([...args, "--seed", "7"]);
    expect(capture([...args, "--seed", "7"])).toBe(first);
    expect(capture([...args, "--seed", "8"])).not.toBe(first);
  });

  it("reads the stack file's scaling settings through the validated schema", () => {
    const report = JSON.parse(capture(["--stack", "prod", "--workload", "burst:10", "--json"]));
    expect(report.settings.scaling).toEqual({
      minTasks: 1,
      maxTasks: 20,
      targetValue: 100,
      scaleInCooldownSeconds: 300,
      scaleOutCooldownSeconds: 60,
      acceptableMessagesPerTask: 5,
      stopAfterIdleMinutes: 15,
    });
    expect(report.settings).toMatchObject({ cpu: 512, memory: 1024, concurrency: 32 });
  });

  it("models the stop-last-task periods the stack deploys unless --stop-after-idle tries others", () => {
    const idleMinutes = (extra: string[]) =>
      JSON.parse(capture(["--stack", "dev", "--workload", "burst:10", "--json", ...extra])).settings.scaling
        .stopAfterIdleMinutes;
    expect(idleMinutes([])).toBe(15);
    expect(idleMinutes(["--set", "scaling.stopAfterIdleMinutes=7"])).toBe(7);
    expect(idleMinutes(["--stop-after-idle", "3"])).toBe(3);
  });

  it("tries a changed setting with --set", () => {
    const report = JSON.parse(
      capture(["--stack", "prod", "--set", "scaling.targetValue=150", "--workload", "burst:10", "--json"]),
    );
    expect(report.settings.scaling.targetValue).toBe(150);
  });

  it.each([
    [
      ["--set", "scaling.targetValue=600"],
      /icon-fanout:scaling\.targetValue: must be a number between 50 and 500/,
    ],
    [["--set", "scaling.cooldown=5"], /icon-fanout:scaling\.cooldown: unknown key/],
    [["--set", "targetValue=150"], /--set targetValue=150: expected section\.key=value/],
    [["--stack", "staging"], /no stack file for "staging"/],
    [["--stack", "../prod"], /"\.\.\/prod" is not a stack name/],
    [
      ["--policy", "nope"],
      /"nope" is not a policy \(stack, backlog-per-task, queue-depth-steps, fixed, stack\+fast-out\)/,
    ],
    [["--workload", "burst:many"], /burst:many: the number of uploads must be an integer/],
  ])("refuses %j, naming what is wrong", (extra, message) => {
    expect(() => capture(["--stack", "prod", "--workload", "burst:10", ...extra])).toThrow(message);
  });

  it("prints a table per workload with a row per policy", () => {
    const text = capture(["--stack", "prod", "--workload", "burst:50"]);
    expect(text).toContain("burst:50 (50 uploads)");
    for (const policy of ["stack", "backlog-per-task", "queue-depth-steps", "fixed"])
      expect(text).toMatch(new RegExp(`^\\| ${policy} +\\|`, "m"));
  });
});

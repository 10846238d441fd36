import { outputKey } from "@icon-fanout/config";
import { readStackValues, simSettings, simulate } from "@icon-fanout/scaling-simulator/live";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { stackPolicy } from "../autoscaled-sizes.js";
import { burstIcons } from "./burst-icons.js";
import { type E2eStack, REPO_ROOT, serviceOf, startE2eStack } from "./harness.js";

/**
 * `pnpm local --autoscale` on one size: a burst from zero workers scales out by the stack's policy,
 * every icon is rendered once, the size returns to zero, and the simulator's drain time for the
 * same burst, with this machine's measured worker speed and start time, is set against the measured one.
 */

const BURST = 150;
const SIZE = 32;
/** One policy minute per 6 real seconds: the policy's clock runs 10 times faster. */
const PERIOD_SECONDS = 6;
const FACTOR = 60 / PERIOD_SECONDS;

let stack: E2eStack;
let icons: Map<string, Buffer>;
beforeAll(async () => {
  stack = await startE2eStack({ iconSizes: [SIZE], autoscale: { periodSeconds: PERIOD_SECONDS } });
  icons = await burstIcons("icons/autoscale", BURST);
});
afterAll(async () => {
  await stack?.stop();
});

/** The size's `running/desired` in `iconctl status --local`'s table. */
async function statusTasks(): Promise<string> {
  const { code, stdout, stderr } = await stack.iconctl(["status"]);
  expect(code, stderr).toBe(0);
  const row = stdout.split("\n").find((line) => new RegExp(`^\\s*${SIZE}\\s`).test(line));
  const tasks = row?.match(/\s(\d+\/\d+)\s/)?.[1];
  if (!tasks) throw new Error(`no size-${SIZE} row with tasks in:\n${stdout}`);
  return tasks;
}

it(`scales size ${SIZE} 0 -> N -> 0 for a burst of ${BURST}, rendering each icon once`, async () => {
  const service = serviceOf(stack.local, SIZE);
  const processes = stack.local.processes;
  expect(processes.running(service)).toHaveLength(0);
  expect(await statusTasks()).toBe("0/0");

  // Real-time marks of what this test measures, in seconds since the first upload.
  const t0 = performance.now();
  const since = () => (performance.now() - t0) / 1000;
  const spawned = new Map<string, number>();
  const resized = new Map<string, number[]>();
  let peak = 0;
  processes.onChange(() => {
    const running = processes.running(service);
    peak = Math.max(peak, running.length);
    for (const process of running) if (!spawned.has(process.id)) spawned.set(process.id, since());
  });
  processes.onLine((id, line) => {
    if (!id.startsWith(service) || !line.includes('"outcome":"resized"')) return;
    resized.set(id, [...(resized.get(id) ?? []), since()]);
  });

  const arrivals: number[] = [];
  const keys = [...icons.keys()];
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let index = lane; index < keys.length; index += 8) {
        const key = keys[index] as string;
        await stack.put(key, icons.get(key) as Buffer);
        arrivals.push(since());
      }
    }),
  );

  let sawRunning = "";
  await vi.waitFor(
    async () => {
      if (!sawRunning && processes.running(service).length > 0) sawRunning = await statusTasks();
      const done = [...resized.values()].reduce((sum, times) => sum + times.length, 0);
      expect(done).toBeGreaterThanOrEqual(BURST);
    },
    { timeout: 60_000, interval: 100 },
  );
  const measuredDrain = Math.max(...[...resized.values()].flat());
  expect(sawRunning).toMatch(/^[1-9]\d*\/[1-9]\d*$/);

  // Back to zero: the stop-last-task alarm's idle policy minutes (the stack's setting), then the
  // worker's SIGTERM drain.
  const idleMinutes = simSettings("dev", readStackValues("dev", REPO_ROOT)).scaling.stopAfterIdleMinutes;
  await vi.waitFor(() => expect(processes.running(service)).toHaveLength(0), {
    timeout: (idleMinutes + 2) * PERIOD_SECONDS * 1000 + 30_000,
    interval: 100,
  });
  const zeroAt = since();
  expect(await statusTasks()).toBe("0/0");
  const actions = stack.local.autoscaler?.actions(service) ?? [];
  expect(actions.at(0)).toMatchObject({ from: 0, by: "start-first-task" });
  expect(actions.at(-1)).toMatchObject({ to: 0 });

  const outputs = await stack.outputs();
  for (const key of keys) expect(outputs.has(outputKey(key, SIZE)), key).toBe(true);
  const rendered = stack
    .logs(service)
    .flatMap((line) => (line.outcome === "resized" ? [(line.objects as { key: string }[])[0]?.key] : []));
  expect(rendered).toHaveLength(BURST);
  expect(new Set(rendered).size).toBe(BURST);
  expect(await stack.deadLetters(SIZE)).toBe(0);

  // The simulator on the same burst: this machine's worker speed (icons per busy second) and start time.
  const busySeconds = [...resized.values()].reduce(
    (sum, times) => sum + Math.max(0.001, (times.at(-1) as number) - (times[0] as number)),
    0,
  );
  const iconsPerSecond = BURST / busySeconds;
  const firstSpawn = Math.min(...spawned.values());
  const firstResized = Math.min(...[...resized.values()].map((times) => times[0] as number));
  const startSeconds = Math.max(0.05, firstResized - firstSpawn);
  const settings = simSettings("dev", readStackValues("dev", REPO_ROOT), {
    iconsPerSecondPerTask: iconsPerSecond * FACTOR,
    startMedianSeconds: startSeconds * FACTOR,
  });
  const sorted = Float64Array.from(arrivals.sort((a, b) => a - b).map((at) => at * FACTOR));
  const simulated = simulate(
    settings,
    { name: `burst:${BURST}`, arrivals: sorted, endSeconds: (sorted.at(-1) ?? 0) + (idleMinutes + 5) * 60 },
    stackPolicy("dev", REPO_ROOT),
    1,
  );
  expect(simulated.processed).toBe(BURST);
  const simulatedDrain = simulated.drainSeconds / FACTOR;
  const simulatedFirst = (simulated.actions[0]?.at ?? Number.NaN) / FACTOR;
  const simulatedZero = (simulated.actions.findLast((action) => action.to === 0)?.at ?? Number.NaN) / FACTOR;
  expect(simulatedZero, "the simulation stops the last task within its window").toBeGreaterThan(0);
  process.stdout.write(
    [
      `autoscale: size ${SIZE}, ${BURST} icons, peak ${peak} worker(s), one policy minute = ${PERIOD_SECONDS} s`,
      `  measured: worker ${iconsPerSecond.toFixed(1)} icons/s busy, first render ${startSeconds.toFixed(2)} s after its spawn`,
      `  drain (first upload -> last render): measured ${measuredDrain.toFixed(2)} s, simulated ${simulatedDrain.toFixed(2)} s, discrepancy ${(simulatedDrain - measuredDrain).toFixed(2)} s (${((simulatedDrain / measuredDrain - 1) * 100).toFixed(0)} %)`,
      `  first worker: measured spawn at ${firstSpawn.toFixed(2)} s, simulated start-first-task at ${simulatedFirst.toFixed(2)} s (policy ticks: every ${PERIOD_SECONDS / 6} s, on the clock's whole seconds live, from the first upload simulated)`,
      `  back to zero workers: measured ${zeroAt.toFixed(1)} s, simulated stop-last-task at ${simulatedZero.toFixed(1)} s`,
      `  actions (s since the stack started): ${actions.map((a) => `${(stack.local.autoscaler?.realSeconds(a.at) ?? 0).toFixed(0)}s ${a.from}->${a.to} ${a.by}`).join(", ")}`,
      "",
    ].join("\n"),
  );
});

/**
 * The settings a run simulates: a stack file's, read through packages/config's validated schema,
 * with `--set key=value` changes validated by the same schema, plus the work model's figures.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  PROJECT,
  parseStackConfig,
  RESIZER_SETTINGS,
  SCALING_SETTINGS,
  StackConfigError,
} from "@icon-fanout/config";
import { parse as parseYaml } from "yaml";
import {
  BENCH_MACHINE_VCPUS,
  BENCH_WORKER_ICONS_PER_SECOND,
  TASK_START_MEDIAN_SECONDS,
} from "./assumptions.js";

export interface SimSettings {
  readonly stack: string;
  readonly scaling: {
    readonly minTasks: number;
    readonly maxTasks: number;
    readonly targetValue: number;
    readonly scaleInCooldownSeconds: number;
    readonly scaleOutCooldownSeconds: number;
    readonly acceptableMessagesPerTask: number;
    /** One-minute periods of an empty queue before stop-last-task acts (the stack's unless `--stop-after-idle`). */
    readonly stopAfterIdleMinutes: number;
  };
  /** Units of 1/1024 vCPU and MiB, as in the task definition. */
  readonly cpu: number;
  readonly memory: number;
  readonly concurrency: number;
  readonly drainSeconds: number;
  /** One task's throughput while it has work. */
  readonly iconsPerSecondPerTask: number;
  readonly startMedianSeconds: number;
}

export class SettingsError extends Error {
  override name = "SettingsError";
}

export interface SettingsOverrides {
  /** `section.key=value` pairs, e.g. `scaling.targetValue=150`. */
  readonly set?: readonly string[];
  readonly iconsPerSecondPerTask?: number;
  readonly startMedianSeconds?: number;
  readonly stopAfterIdleMinutes?: number;
}

/** The repository root: the nearest directory above this module holding Pulumi.yaml. */
export function repositoryRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "Pulumi.yaml"))) return dir;
    if (dirname(dir) === dir) throw new SettingsError(`no Pulumi.yaml above ${from}`);
  }
}

/** Reads `Pulumi.<stack>.yaml` from the project's stack config directory. */
export function readStackValues(stack: string, root: string = repositoryRoot()): Record<string, unknown> {
  if (!/^[\w.-]+$/.test(stack))
    throw new SettingsError(`"${stack}" is not a stack name (letters, digits, _ . - only)`);
  const project = parseYaml(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { stackConfigDir?: string };
  const path = join(root, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  if (!existsSync(path)) throw new SettingsError(`no stack file for "${stack}" (looked for ${path})`);
  const document = parseYaml(readFileSync(path, "utf8")) as { config?: unknown } | null;
  const config = document?.config;
  if (typeof config !== "object" || config === null || Array.isArray(config))
    throw new SettingsError(`${path}: expected a "config:" mapping`);
  return config as Record<string, unknown>;
}

/** Applies `section.key=value` changes to a stack's values (values parsed as YAML scalars). */
export function applySets(values: Record<string, unknown>, sets: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = { ...values };
  for (const assignment of sets) {
    const match = /^([A-Za-z]\w*)\.([A-Za-z]\w*)=(.*)$/.exec(assignment);
    if (!match)
      throw new SettingsError(
        `--set ${assignment}: expected section.key=value, e.g. scaling.targetValue=150`,
      );
    const [, section, key, text] = match as unknown as [string, string, string, string];
    const namespaced = `${PROJECT}:${section}`;
    const current = result[namespaced];
    const object = typeof current === "object" && current !== null && !Array.isArray(current) ? current : {};
    result[namespaced] = { ...object, [key]: parseYaml(text) as unknown };
  }
  return result;
}

export function simSettings(
  stack: string,
  values: Record<string, unknown>,
  overrides: SettingsOverrides = {},
): SimSettings {
  let config: ReturnType<typeof parseStackConfig>;
  try {
    config = parseStackConfig(applySets(values, overrides.set ?? []));
  } catch (error) {
    if (error instanceof StackConfigError) throw new SettingsError(`stack ${stack}: ${error.message}`);
    throw error;
  }
  const vcpus = config.resizer.cpu / 1024;
  const iconsPerSecondPerTask =
    overrides.iconsPerSecondPerTask ?? (BENCH_WORKER_ICONS_PER_SECOND * vcpus) / BENCH_MACHINE_VCPUS;
  const startMedianSeconds = overrides.startMedianSeconds ?? TASK_START_MEDIAN_SECONDS;
  const stopAfterIdleMinutes = overrides.stopAfterIdleMinutes ?? config.scaling.stopAfterIdleMinutes;
  const idleRange = SCALING_SETTINGS.stopAfterIdleMinutes;
  if (
    !(
      Number.isInteger(stopAfterIdleMinutes) &&
      stopAfterIdleMinutes >= idleRange.min &&
      stopAfterIdleMinutes <= idleRange.max
    )
  )
    throw new SettingsError(
      `--stop-after-idle must be a whole number of minutes from ${idleRange.min} to ${idleRange.max}, got ${stopAfterIdleMinutes}`,
    );
  for (const [name, value] of [
    ["--icons-per-second", iconsPerSecondPerTask],
    ["--start-median", startMedianSeconds],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0))
      throw new SettingsError(`${name} must be a number above 0, got ${value}`);
  }
  return {
    stack,
    scaling: { ...config.scaling, stopAfterIdleMinutes },
    cpu: config.resizer.cpu,
    memory: config.resizer.memory,
    concurrency: config.resizer.concurrency,
    drainSeconds: RESIZER_SETTINGS.drainSeconds.default,
    iconsPerSecondPerTask,
    startMedianSeconds,
  };
}

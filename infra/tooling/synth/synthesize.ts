import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  PROJECT,
  parseStackConfig,
  type StackConfig,
  StackConfigError,
  unreachedAlarms,
} from "@icon-fanout/config";
import * as pulumi from "@pulumi/pulumi";
import { MockEngine } from "./mock-engine.js";
import { readProjectFile, readStackFile, SynthError } from "./stack-file.js";
import type { SynthDocument } from "./summary.js";

/**
 * Runs the real program for `stack` under the mock engine: the stack file is validated, handed to
 * the program as the Pulumi CLI would hand it, and every registered resource is recorded.
 * `entry` replaces the program's compiled entry (tests run the TypeScript source). `warnings` are
 * what the stack allows but should not do, each naming its key.
 */
export async function synthesize(
  root: string,
  stack: string,
  options: { entry?: string } = {},
): Promise<{ document: SynthDocument; config: StackConfig; warnings: string[] }> {
  const project = readProjectFile(root);
  const entry = options.entry ?? project.entry;
  const values = readStackFile(project, stack, root);
  let config: StackConfig;
  try {
    config = parseStackConfig(values);
  } catch (error) {
    if (error instanceof StackConfigError) {
      const file = relative(root, `${project.stackConfigDir}/Pulumi.${stack}.yaml`);
      throw new SynthError(`${file}: ${error.message}`);
    }
    throw error;
  }

  const engine = await MockEngine.start({
    project: project.name,
    stack,
    accountId: config.accountId,
    region: config.region,
    stackOutputs: referencedOutputs(root, config),
  });
  pulumi.runtime.setAllConfig(toEngineConfig(values));
  const exported = await pulumi.runtime.runInPulumiStack(async () => {
    const module = (await import(`${pathToFileURL(entry).href}?synth=${++runs}`)) as Record<string, unknown>;
    // As Pulumi does: a default-exported function is the program, and what it returns the outputs.
    return typeof module.default === "function" ? await module.default() : { ...module };
  });
  const outputs = await resolve(exported ?? {});
  const resources = await engine.settle();
  // A production stack without a destination is refused by the schema; others only hear of it here.
  const unreached = unreachedAlarms(config.alarms, PROJECT);
  return {
    config,
    warnings: unreached ? [`${PROJECT}:alarms: ${unreached}`] : [],
    document: {
      project: project.name,
      stack,
      resources: resources.map(({ type, name, urn, parent, inputs, dependencies, ignoreChanges }) => ({
        type,
        name,
        urn,
        parent,
        inputs,
        dependencies,
        ignoreChanges,
      })),
      outputs,
    },
  };
}

/**
 * Outputs for a `crossAccount.shadowFrom.stackReference`: the mock engine answers it from the
 * referenced stack's own synth (`synth/<stack>.json`), so synth the referenced stack first.
 */
function referencedOutputs(root: string, config: StackConfig): Record<string, Record<string, unknown>> {
  const reference = config.crossAccount.shadowFrom?.stackReference;
  if (!reference) return {};
  const stack = reference.split("/").at(-1) ?? reference;
  const path = join(root, "synth", `${stack}.json`);
  if (!existsSync(path)) {
    throw new SynthError(
      `crossAccount.shadowFrom.stackReference ${reference} is answered from synth/${stack}.json; run \`pnpm synth ${stack}\` first`,
    );
  }
  return { [reference]: (JSON.parse(readFileSync(path, "utf8")) as SynthDocument).outputs };
}

/** Each synth imports the program afresh; the query keeps a second run in one process from reusing the first. */
let runs = 0;

function resolve(value: unknown): Promise<Record<string, unknown>> {
  return new Promise((done) =>
    pulumi
      .output(value as Record<string, unknown>)
      .apply((resolved) => done(resolved as Record<string, unknown>)),
  );
}

/**
 * The stack file's values as the Pulumi CLI hands them to a program (every value a string, objects
 * and lists as JSON), which the program's `readStackConfig` decodes again.
 */
function toEngineConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/** JSON with object keys sorted at every level, so two runs give the same bytes. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, item: unknown) => (isPlainObject(item) ? sortKeys(item) : item), 2)}\n`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sortKeys(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, object[key]]),
  );
}

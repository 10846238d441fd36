/** Test support: the real program under the mock engine, and the stack files as configs. */
import { fileURLToPath } from "node:url";
import {
  PROJECT,
  parseStackConfig,
  type StackConfig,
  type StackOutputs,
  stackPrefix,
} from "@icon-fanout/config";
import * as pulumi from "@pulumi/pulumi";
import { IconFanout } from "../../src/icon-fanout.js";
import { MockEngine, type RecordedResource } from "../synth/mock-engine.js";
import { readProjectFile, readStackFile } from "../synth/stack-file.js";

export type Stack = "dev" | "prod";

/** The validated configuration of a real stack file, with optional overrides of its keys. */
export function stackConfig(stack: Stack, overrides: Record<string, unknown> = {}): StackConfig {
  const root = fileURLToPath(new URL("../../..", import.meta.url));
  return parseStackConfig({ ...readStackFile(readProjectFile(root), stack, root), ...overrides });
}

export interface ProgramRun {
  resources: RecordedResource[];
  outputs: StackOutputs;
}

/** Runs the program for `config` under the mock engine; `stackOutputs` answers stack references by name. */
export async function runProgram(
  config: StackConfig,
  stack: string,
  stackOutputs: Record<string, Record<string, unknown>> = {},
): Promise<ProgramRun> {
  const engine = await MockEngine.start({
    project: PROJECT,
    stack,
    accountId: config.accountId,
    region: config.region,
    stackOutputs,
  });
  const fanout = new IconFanout(stackPrefix(stack), { config, stack });
  const outputs = await new Promise<StackOutputs>((resolve) =>
    pulumi.output(fanout.outputs).apply((value) => resolve(value as StackOutputs)),
  );
  return { resources: await engine.settle(), outputs };
}

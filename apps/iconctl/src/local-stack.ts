import { readFile } from "node:fs/promises";
import {
  type LocalStack,
  localMetricsFile,
  localMetricsSchema,
  localStackFile,
  localStackSchema,
  type StackOutputs,
} from "@icon-fanout/config";
import { SetupError } from "./errors.js";

/** The repository root, where `pnpm local` keeps `.local/<stack>/stack.json`. */
const REPOSITORY_ROOT = new URL("../../../", import.meta.url);

/** The file of the local stack `pnpm local --stack <stack>` runs, or the one given. */
export function localStackPath(stack: string, file: string | true): string {
  return file === true ? new URL(localStackFile(stack), REPOSITORY_ROOT).pathname : file;
}

export async function loadLocalStack(path: string, stack: string): Promise<LocalStack> {
  const text = await readFile(path, "utf8").catch(() => {
    throw new SetupError(
      `no local stack running for ${stack} (${path} not found); start one with 'pnpm local --stack ${stack}'`,
    );
  });
  const local = parseLocalStack(path, text);
  if (local.stack !== stack) throw new SetupError(`${path} runs stack ${local.stack}, not ${stack}`);
  return local;
}

/** The local stack file's text, checked; what is wrong with it names the file. */
function parseLocalStack(path: string, text: string): LocalStack {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SetupError(`${path} is not a local stack file: not JSON`);
  }
  const parsed = localStackSchema.safeParse(json);
  if (!parsed.success)
    throw new SetupError(`${path} is not a local stack file: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * What ECS and CloudWatch answer in AWS, from the local stack: running and desired processes per
 * service from its file, and the latest scaling metric the publisher's local mode recorded.
 */
export async function readLocalServices(path: string, outputs: StackOutputs) {
  const stack = parseLocalStack(path, await readFile(path, "utf8"));
  const services = outputs.sizes.map((size) => ({
    serviceName: size.serviceName,
    ...stack.services[size.serviceName],
  }));
  const metrics = new Map<string, number>();
  const recorded = await readFile(localMetricsFile(path), "utf8").then(
    (text) => localMetricsSchema.parse(JSON.parse(text)),
    () => undefined,
  );
  outputs.sizes.forEach((size, index) => {
    const metric = recorded?.sizes[String(size.size)]?.metric;
    if (metric !== undefined) metrics.set(`metric${index}`, metric);
  });
  return { services, metrics };
}

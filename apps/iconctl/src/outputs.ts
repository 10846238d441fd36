import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { type StackOutputs, stackOutputsSchema } from "@icon-fanout/config";
import { SetupError } from "./errors.js";

const run = promisify(execFile);

export interface OutputsSource {
  stack: string;
  /** A file holding `pulumi stack output --json` (for machines without the Pulumi CLI). */
  outputsFile?: string;
  /** Runs `pulumi`; tests replace it. */
  pulumi?: (args: string[]) => Promise<string>;
}

/**
 * The stack's outputs, from a file when one is given, otherwise from `pulumi stack output --json`,
 * validated against the typed contract so that a stack deployed by an older program says so.
 */
export async function loadStackOutputs(source: OutputsSource): Promise<StackOutputs> {
  let text: string;
  let origin: string;
  if (source.outputsFile) {
    origin = source.outputsFile;
    try {
      text = await readFile(source.outputsFile, "utf8");
    } catch (error) {
      throw new SetupError(`cannot read outputs file ${source.outputsFile}: ${(error as Error).message}`);
    }
  } else {
    origin = `pulumi stack output --stack ${source.stack}`;
    const pulumi =
      source.pulumi ?? (async (args: string[]) => (await run("pulumi", args, { maxBuffer: 1 << 22 })).stdout);
    try {
      text = await pulumi(["stack", "output", "--json", "--stack", source.stack]);
    } catch (error) {
      const { code, stderr } = error as { code?: string; stderr?: string };
      if (code === "ENOENT") {
        throw new SetupError(
          `the Pulumi CLI is not installed; pass --outputs <file> with the output of 'pulumi stack output --json --stack ${source.stack}'`,
        );
      }
      throw new SetupError(`${origin} failed: ${(stderr ?? (error as Error).message).trim()}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SetupError(`${origin} did not print JSON`);
  }
  if (json && typeof json === "object" && Object.keys(json).length === 0) {
    throw new SetupError(
      `stack ${source.stack} has no outputs; deploy it first (pulumi up --stack ${source.stack})`,
    );
  }
  const parsed = stackOutputsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SetupError(
      `${origin}: not the outputs of an icon-fanout stack (${issue?.path.join(".") || "top level"}: ${issue?.message})`,
    );
  }
  return parsed.data;
}

/** The account and region a stack lives in, read from its topic ARN. */
export function stackPlacement(outputs: StackOutputs): { accountId: string; region: string } {
  const [, , , region = "", accountId = ""] = outputs.topicArn.split(":");
  return { accountId, region };
}

/**
 * `https://sqs.<region>.amazonaws.com/<account>/<name>` → `arn:aws:sqs:<region>:<account>:<name>`.
 * An emulator's URL (`http://127.0.0.1:4566/<account>/<name>`) carries no region: pass the stack's.
 */
export function queueArnOf(queueUrl: string, stackRegion?: string): string {
  const url = new URL(queueUrl);
  const [, account, name] = url.pathname.split("/");
  const region = /^sqs\.([a-z0-9-]+)\./.exec(url.hostname)?.[1] ?? stackRegion;
  if (!region) throw new Error(`cannot tell the region of queue ${queueUrl}`);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

export function queueNameOf(queueUrl: string): string {
  return queueUrl.split("/").at(-1) ?? queueUrl;
}

#!/usr/bin/env node
/**
 * `pnpm synth <stack> [--json <path>] [--quiet]`: the Pulumi program under the mock engine, with
 * no cloud and no Pulumi CLI. Writes `synth/<stack>.json` and prints a summary.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type SynthOutput, SynthPathError, synthOutput } from "./output-path.js";
import { SynthError } from "./stack-file.js";
import { summarize } from "./summary.js";
import { stableJson, synthesize } from "./synthesize.js";

const USAGE = `usage: pnpm synth <stack> [--json <path>] [--quiet]

Runs the Pulumi program for <stack> (infra/Pulumi.<stack>.yaml) under the mock engine and
writes every resource with its inputs to synth/<stack>.json (or --json <path>).

  --json <path>  where to write the JSON document, from the current directory; its folder
                 must exist (default: synth/<stack>.json in the repository, created if missing)
  --quiet        print only the path written
  --help         this text`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    process.stderr.write(`synth: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [stack, ...extra] = parsed.positionals;
  if (!stack || extra.length > 0) {
    process.stderr.write(`synth: expected exactly one stack name\n\n${USAGE}\n`);
    return 2;
  }
  // The caller's directory: scripts/run-app.mjs starts this entry there (pnpm's INIT_CWD).
  let out: SynthOutput;
  try {
    out = synthOutput(stack, parsed.values.json, process.cwd(), root);
  } catch (error) {
    if (!(error instanceof SynthPathError)) throw error;
    process.stderr.write(`synth: ${error.message}\n`);
    return 2;
  }

  try {
    const { document, config, warnings } = await synthesize(root, stack);
    for (const warning of warnings) process.stderr.write(`synth: warning: ${warning}\n`);
    if (out.createFolder) mkdirSync(dirname(out.path), { recursive: true });
    writeFileSync(out.path, stableJson(document));
    if (parsed.values.quiet) {
      process.stdout.write(`${out.shown}\n`);
    } else {
      const total = document.resources.length;
      process.stdout.write(
        `${document.project} · ${stack} · account ${config.accountId} · ${config.region}\n` +
          `wrote ${out.shown} (${total} registrations)\n\n${summarize(document, config.accountId)}\n`,
      );
    }
    return 0;
  } catch (error) {
    const message = error instanceof SynthError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`synth: ${message}\n`);
    return 1;
  }
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
}

process.exitCode = await main(process.argv.slice(2));

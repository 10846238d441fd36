#!/usr/bin/env node
/**
 * `pnpm synth <stack> [--json <path>] [--quiet]`: the Pulumi program under the mock engine, with
 * no cloud and no Pulumi CLI. Writes `synth/<stack>.json` and prints a summary.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SynthError } from "./stack-file.js";
import { summarize } from "./summary.js";
import { stableJson, synthesize } from "./synthesize.js";

const USAGE = `usage: pnpm synth <stack> [--json <path>] [--quiet]

Runs the Pulumi program for <stack> (infra/Pulumi.<stack>.yaml) under the mock engine and
writes every resource with its inputs to synth/<stack>.json (or --json <path>).

  --json <path>  where to write the JSON document (default: synth/<stack>.json)
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
  const out = resolve(
    process.env.INIT_CWD ?? process.cwd(),
    parsed.values.json ?? resolve(root, "synth", `${stack}.json`),
  );

  try {
    const { document, config, warnings } = await synthesize(root, stack);
    for (const warning of warnings) process.stderr.write(`synth: warning: ${warning}\n`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, stableJson(document));
    const written = relative(process.env.INIT_CWD ?? process.cwd(), out) || out;
    if (parsed.values.quiet) {
      process.stdout.write(`${written}\n`);
    } else {
      const total = document.resources.length;
      process.stdout.write(
        `${document.project} · ${stack} · account ${config.accountId} · ${config.region}\n` +
          `wrote ${written} (${total} registrations)\n\n${summarize(document, config.accountId)}\n`,
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

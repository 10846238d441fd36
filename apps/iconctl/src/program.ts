/** The iconctl command line: commands, options, help and exit codes (main.ts runs it). */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { createClients } from "./aws.js";
import { backfillCommand } from "./backfill/command.js";
import { defaultJournalDir } from "./backfill/journal.js";
import type { BackfillMode } from "./backfill/plan.js";
import {
  type Context,
  dlqListCommand,
  dlqRedriveCommand,
  statusCommand,
  uploadCommand,
  verified,
} from "./commands.js";
import { EXIT, SetupError } from "./errors.js";
import { interruptSignal } from "./listen/interrupt.js";
import { loadLocalStack, localStackPath } from "./local-stack.js";
import { loadStackOutputs, stackPlacement } from "./outputs.js";
import { stdout } from "./render.js";
import { watchCommand } from "./watch.js";

const positive = (name: string) => (raw: string) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError(`${name} must be a positive integer`);
  return value;
};

interface StackOptions {
  stack: string;
  outputs?: string;
  profile?: string;
  local?: string | true;
}

async function contextFor(options: StackOptions): Promise<Context> {
  const common = { stack: options.stack, out: stdout, cwd: process.env.INIT_CWD ?? process.cwd() };
  if (options.local) {
    const file = localStackPath(options.stack, options.local);
    const local = await loadLocalStack(file, options.stack);
    return verified({
      ...common,
      outputs: local.outputs,
      clients: createClients(local.region, undefined, local.endpoint),
      accountId: stackPlacement(local.outputs).accountId,
      localStack: file,
    });
  }
  const outputs = await loadStackOutputs({
    stack: options.stack,
    ...(options.outputs ? { outputsFile: options.outputs } : {}),
  });
  const { accountId, region } = stackPlacement(outputs);
  return verified({ ...common, outputs, clients: createClients(region, options.profile), accountId });
}

function withStack(command: Command): Command {
  return command
    .requiredOption("--stack <name>", "the stack to work on, e.g. dev or prod")
    .option(
      "--outputs <file>",
      "read the stack's outputs from this file instead of 'pulumi stack output --json'",
    )
    .option("--profile <name>", "AWS profile (default: the standard credential chain, AWS_PROFILE)")
    .option(
      "--local [file]",
      "work on the local stack 'pnpm local' runs (its .local/<stack>/stack.json, or this file) instead of AWS",
    );
}

export function buildProgram(run: (work: () => Promise<number>) => Promise<void>): Command {
  const program = new Command("iconctl")
    .description("Upload icons, watch the fan-out, and handle dead letters for an icon-fanout stack.")
    .addHelpText(
      "after",
      "\nExit codes: 0 done, 1 some work failed or timed out, 2 usage error, 3 outputs, credentials or account not right.",
    )
    .exitOverride();

  withStack(program.command("upload"))
    .description("upload icons through the designers' access point, skipping unchanged files")
    .argument("<paths...>", "image files or directories (a directory stands for icons/)")
    .option(
      "--wait",
      "then print every size's outcome as the resizers report it (rendered, refused with its reason, kept by a twin, gave up)",
    )
    .addOption(
      new Option("--timeout <seconds>", "how long --wait waits")
        .argParser(positive("--timeout"))
        .default(300),
    )
    .addOption(
      new Option("--concurrency <n>", "uploads at once").argParser(positive("--concurrency")).default(8),
    )
    .action(
      (paths: string[], options: StackOptions & { wait?: boolean; timeout: number; concurrency: number }) =>
        run(async () => {
          const interrupt = interruptSignal();
          try {
            return await uploadCommand(await contextFor(options), paths, {
              wait: options.wait ?? false,
              timeoutSeconds: options.timeout,
              concurrency: options.concurrency,
              pollSeconds: 2,
              signal: interrupt.signal,
            });
          } finally {
            interrupt.dispose();
          }
        }),
    );

  withStack(program.command("watch"))
    .description("print the stack's results events as they happen (one row each, or JSON lines) until Ctrl-C")
    .option("--size <N>", "only this size", positive("--size"))
    .option("--prefix <prefix>", "only sources under this prefix, e.g. icons/brand/")
    .option("--json", 'one results event per line, as JSON (docs/architecture.md, "Results events")')
    .action((options: StackOptions & { size?: number; prefix?: string; json?: boolean }) =>
      run(async () => {
        const interrupt = interruptSignal();
        try {
          return await watchCommand(await contextFor(options), {
            ...(options.size !== undefined ? { size: options.size } : {}),
            ...(options.prefix ? { prefix: options.prefix } : {}),
            json: options.json ?? false,
            signal: interrupt.signal,
            notes: (line) => process.stderr.write(`${line}\n`),
          });
        } finally {
          interrupt.dispose();
        }
      }),
    );

  withStack(program.command("status"))
    .description(
      "per size: waiting and in-flight messages, oldest age, tasks, scaling metric, dead letters, sources without an output",
    )
    .option("--watch", "refresh every few seconds until interrupted")
    .option(
      "--no-listing",
      "skip counting sources without an output (it lists the bucket: one request per 1,000 keys and size)",
    )
    .addOption(
      new Option("--interval <seconds>", "refresh interval with --watch")
        .argParser(positive("--interval"))
        .default(5),
    )
    .action((options: StackOptions & { watch?: boolean; interval: number; listing: boolean }) =>
      run(async () =>
        statusCommand(await contextFor(options), {
          watch: options.watch ?? false,
          intervalSeconds: options.interval,
          listing: options.listing,
        }),
      ),
    );

  withStack(program.command("backfill"))
    .description(
      "enqueue existing sources whose output of one size is missing or stale, as S3 would have notified them",
    )
    .requiredOption("--size <N>", "icon size", positive("--size"))
    .option("--prefix <prefix>", "only sources under this prefix, e.g. icons/team/ (default: every source)")
    .addOption(
      new Option(
        "--missing-only",
        "sources without an output, or whose output was made from another version of them (the default)",
      ).conflicts(["all", "stale"]),
    )
    .addOption(new Option("--all", "every source: re-render the size whole").conflicts(["stale"]))
    .addOption(new Option("--stale", "only sources whose output an older render version made"))
    .option("--dry-run", "print counts and example keys, send nothing")
    .addOption(
      new Option("--rate <n>", "messages per second at most").argParser(positive("--rate")).default(50),
    )
    .option("--restart", "start over instead of continuing an interrupted run")
    .addHelpText(
      "after",
      `\nEach run records what it sent in ${defaultJournalDir()}; running the same command again\nafter Ctrl-C or a failure continues after the last batch SQS took.`,
    )
    .action(
      (
        options: StackOptions & {
          size: number;
          prefix?: string;
          all?: boolean;
          stale?: boolean;
          dryRun?: boolean;
          rate: number;
          restart?: boolean;
        },
      ) =>
        run(async () => {
          const mode: BackfillMode = options.all ? "all" : options.stale ? "stale" : "missing";
          const interrupt = new AbortController();
          // The first Ctrl-C stops after the batch in flight; a second one ends the process.
          const stop = () => interrupt.abort();
          process.once("SIGINT", stop);
          try {
            return await backfillCommand(await contextFor(options), {
              size: options.size,
              ...(options.prefix ? { prefix: options.prefix } : {}),
              mode,
              dryRun: options.dryRun ?? false,
              rate: options.rate,
              restart: options.restart ?? false,
              journalDir: defaultJournalDir(),
              signal: interrupt.signal,
            });
          } finally {
            process.off("SIGINT", stop);
          }
        }),
    );

  const dlq = program.command("dlq").description("inspect or redrive a size's dead-letter queue");
  withStack(dlq.command("list"))
    .description("show dead letters: key, reason, receive count, age (nothing is removed)")
    .requiredOption("--size <N>", "icon size", positive("--size"))
    .addOption(new Option("--limit <n>", "at most this many").argParser(positive("--limit")).default(50))
    .action((options: StackOptions & { size: number; limit: number }) =>
      run(async () => dlqListCommand(await contextFor(options), options.size, options.limit)),
    );
  withStack(dlq.command("redrive"))
    .description("move every dead letter back to the size's queue (SQS message-move task), with progress")
    .requiredOption("--size <N>", "icon size", positive("--size"))
    .action((options: StackOptions & { size: number }) =>
      run(async () => dlqRedriveCommand(await contextFor(options), options.size, 2)),
    );
  return program;
}

/** Runs iconctl with `argv` (without node and script) and returns the exit code. */
export async function runIconctl(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(async (work) => {
    try {
      code = await work();
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      process.stderr.write(`iconctl: ${error.message}\n`);
      code = EXIT.setup;
    }
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw error;
  }
  return code;
}

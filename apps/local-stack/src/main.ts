#!/usr/bin/env node
/**
 * `pnpm local` (bin/local): the whole pipeline on this machine. Renders the stack (`pnpm synth`),
 * starts the fauxqs emulator on 127.0.0.1, provisions it from `synth/<stack>.json`, starts every
 * service's app as processes, uploads the sample icons with `iconctl upload --wait`, then shows
 * `iconctl status` until Ctrl-C, and stops everything it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalUsageError, parseLocalArgs } from "./local-args.js";
import { startLocalStack } from "./local-stack.js";
import { SAMPLE_ICONS_DIR } from "./samples.js";

const root = resolve(fileURLToPath(new URL("../../../", import.meta.url)));
const USAGE = `usage: pnpm local [--stack dev] [--workers N] [--status-seconds 15] [--no-upload]
                  [--autoscale [--autoscale-period 60s]] [icons...]

Runs the stack's pipeline on this machine against the fauxqs S3/SNS/SQS emulator (127.0.0.1 only)
until Ctrl-C. Uploads the given icons (default: the repository's ${relative(root, SAMPLE_ICONS_DIR)}) through 'iconctl upload --wait'.

  --stack <name>          the stack to render and run (default: dev)
  --workers <n>           resizer processes per size (default: the service's desiredCount)
  --status-seconds <n>    how often the status table is printed (default: 15)
  --no-upload             start the stack without uploading anything
  --autoscale             start and stop resizer processes per size by the stack's scaling policies
                          (pnpm simulate's decisions on the publisher's real metric), from minTasks
  --autoscale-period <s>  real seconds one policy minute lasts (6 to 60, a multiple of 6; default 60s):
                          alarm periods, cooldowns and the publisher's tick shrink alike`;

/** The child processes of this run (synth, iconctl), ended when a stop is asked for. */
const children = new Set<ChildProcess>();

/** Runs a Node entry of the repository from the caller's directory; resolves with its exit code. */
function runNode(entry: string, args: string[], stdout: "inherit" | "ignore" = "inherit"): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, entry), ...args], {
      stdio: ["ignore", stdout, "inherit"],
    });
    children.add(child);
    child.once("exit", (code) => {
      children.delete(child);
      done(code ?? 1);
    });
  });
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseLocalArgs>;
  try {
    args = parseLocalArgs(argv, process.cwd(), root);
  } catch (error) {
    if (!(error instanceof LocalUsageError)) throw error;
    process.stderr.write(`local: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { stack } = args;

  // Ctrl-C reaches this process twice under pnpm (from the terminal and forwarded by pnpm): the
  // first asks for a clean stop, later ones must not kill the process halfway through it.
  let signalled: NodeJS.Signals | undefined;
  const stopAsked = new Promise<NodeJS.Signals>((asked) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) return;
      signalled = signal;
      for (const child of children) child.kill("SIGTERM");
      asked(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });

  const synthCode = await runNode("infra/dist/synth/cli.js", [stack, "--quiet"], "ignore");
  if (signalled) {
    process.stdout.write(`\n${signalled}: stopped before anything started\n`);
    return 0;
  }
  if (synthCode !== 0) return synthCode;
  const synthFile = join(root, "synth", `${stack}.json`);
  process.stdout.write(`rendered ${relative(root, synthFile)} (pnpm synth ${stack})\n`);

  const local = await startLocalStack({
    synthFile,
    stateDir: join(root, ".local", stack),
    repoRoot: root,
    ...(args.workers !== undefined ? { workersPerSize: args.workers } : {}),
    ...(args.autoscalePeriodSeconds !== undefined
      ? { autoscale: { periodSeconds: args.autoscalePeriodSeconds } }
      : {}),
    log: (line) => process.stderr.write(`local: ${line}\n`),
  });
  const iconctl = (command: string, rest: string[]) =>
    runNode("apps/iconctl/dist/main.js", [command, "--stack", stack, "--local", local.stackFile, ...rest]);

  process.stdout.write(
    [
      `emulator (fauxqs) on ${local.emulator.endpoint}, stack ${stack} in ${local.plan.region}`,
      ...local.provisioned.created.map((line) => `  created ${line}`),
      "running as local processes (logs in .local/<stack>/logs):",
      ...local.processes.all().map((p) => `  ${p.id} (pid ${p.pid})`),
      "not emulated:",
      ...local.state.notEmulated.map((line) => `  ${line}`),
      `iconctl works against it: pnpm iconctl status --stack ${stack} --local   (file: ${relative(root, local.stackFile)})`,
      "",
    ].join("\n"),
  );

  let timer: NodeJS.Timeout | undefined;
  if (args.upload && !signalled) {
    const icons = args.icons.length > 0 ? args.icons : [SAMPLE_ICONS_DIR];
    const named = args.icons.length > 0 ? args.icons : [relative(root, SAMPLE_ICONS_DIR)];
    process.stdout.write(`uploading ${named.join(", ")}\n`);
    const code = await iconctl("upload", [...icons, "--wait", "--timeout", "120"]);
    if (code !== 0 && !signalled) process.stdout.write(`iconctl upload exited with ${code}\n`);
  }
  if (!signalled) {
    await iconctl("status", []);
    if (!signalled) process.stdout.write("running until Ctrl-C\n");
    timer = setInterval(() => {
      if (!signalled) void iconctl("status", []);
    }, args.statusSeconds * 1000);
  }

  const signal = await stopAsked;
  clearInterval(timer);
  process.stdout.write(
    `\n${signal}: stopping ${local.processes.all().length} process(es) and the emulator…\n`,
  );
  const started = Date.now();
  await local.stop();
  process.stdout.write(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));

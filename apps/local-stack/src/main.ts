#!/usr/bin/env node
/**
 * `pnpm local`: the whole pipeline on this machine. Renders the stack (`pnpm synth`), starts the
 * fauxqs emulator on 127.0.0.1, provisions it from `synth/<stack>.json`, starts every service's
 * app as processes, uploads the sample icons with `iconctl upload --wait`, then shows
 * `iconctl status` until Ctrl-C, and stops everything it started.
 */
import { spawn, spawnSync } from "node:child_process";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startLocalStack } from "./local-stack.js";
import { SAMPLE_ICONS_DIR } from "./samples.js";

const root = resolve(fileURLToPath(new URL("../../../", import.meta.url)));
const USAGE = `usage: pnpm local [--stack dev] [--workers N] [--status-seconds 15] [--no-upload] [icons...]

Runs the stack's pipeline on this machine against the fauxqs S3/SNS/SQS emulator (127.0.0.1 only)
until Ctrl-C. Uploads the given icons (default: the repository's ${relative(root, SAMPLE_ICONS_DIR)}) through 'iconctl upload --wait'.

  --stack <name>          the stack to render and run (default: dev)
  --workers <n>           resizer processes per size (default: the service's desiredCount)
  --status-seconds <n>    how often the status table is printed (default: 15)
  --no-upload             start the stack without uploading anything`;

const node = process.execPath;

function runIconctl(args: string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(node, [join(root, "apps/iconctl/dist/main.js"), ...args], {
      stdio: "inherit",
      cwd: root,
    });
    child.once("exit", (code) => done(code ?? 1));
  });
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`local: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const stack = values.stack;
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  const statusSeconds = Number(values["status-seconds"]);
  if ((workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) || !(statusSeconds >= 1)) {
    process.stderr.write(`local: --workers and --status-seconds must be positive integers\n\n${USAGE}\n`);
    return 2;
  }

  const synth = spawnSync(node, [join(root, "infra/dist/synth/cli.js"), stack, "--quiet"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (synth.status !== 0) return synth.status ?? 1;
  const synthFile = join(root, "synth", `${stack}.json`);
  process.stdout.write(`rendered ${relative(root, synthFile)} (pnpm synth ${stack})\n`);

  const local = await startLocalStack({
    synthFile,
    stateDir: join(root, ".local", stack),
    repoRoot: root,
    ...(workers !== undefined ? { workersPerSize: workers } : {}),
    log: (line) => process.stderr.write(`local: ${line}\n`),
  });
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      process.stdout.write(
        `\n${signal}: stopping ${local.processes.all().length} process(es) and the emulator…\n`,
      );
      const started = Date.now();
      await local.stop();
      process.stdout.write(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    })();
    return stopping;
  };
  const stopped = new Promise<void>((resolveStopped) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const)
      process.once(signal, () => void stop(signal).then(resolveStopped));
  });

  const stackFile = relative(root, local.stackFile);
  process.stdout.write(
    [
      `emulator (fauxqs) on ${local.emulator.endpoint}, stack ${stack} in ${local.plan.region}`,
      ...local.provisioned.created.map((line) => `  created ${line}`),
      "running as local processes (logs in .local/<stack>/logs):",
      ...local.processes.all().map((p) => `  ${p.id} (pid ${p.pid})`),
      "not emulated:",
      ...local.state.notEmulated.map((line) => `  ${line}`),
      `iconctl works against it: pnpm iconctl status --stack ${stack} --local   (file: ${stackFile})`,
      "",
    ].join("\n"),
  );

  if (!values["no-upload"]) {
    const icons = positionals.length > 0 ? positionals : [SAMPLE_ICONS_DIR];
    process.stdout.write(`uploading ${icons.map((icon) => relative(root, icon) || icon).join(", ")}\n`);
    const code = await runIconctl([
      "upload",
      ...icons,
      "--stack",
      stack,
      "--local",
      local.stackFile,
      "--wait",
      "--timeout",
      "120",
    ]);
    if (code !== 0) process.stdout.write(`iconctl upload exited with ${code}\n`);
  }

  const timer = setInterval(() => {
    if (!stopping) void runIconctl(["status", "--stack", stack, "--local", local.stackFile]);
  }, statusSeconds * 1000);
  await runIconctl(["status", "--stack", stack, "--local", local.stackFile]);
  process.stdout.write("running until Ctrl-C\n");
  await stopped;
  clearInterval(timer);
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stack: { type: "string", default: "dev" },
      workers: { type: "string" },
      "status-seconds": { type: "string", default: "15" },
      "no-upload": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
}

process.exitCode = await main(process.argv.slice(2));
